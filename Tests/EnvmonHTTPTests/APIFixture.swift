import EnvmonHTTP
import EnvmonTesting
import Foundation
import Logging
import Monitoring
import Notifier
import Collectors
import Reports
import Prometheus
import ServiceLifecycle
import Store

/// A real listener on 127.0.0.1 serving the API over a real temporary store:
/// - `outlet-1`, a discharge outlet in Shanghai reporting COD and flow each minute, three hours of
///   minute readings from `t0` (COD = minute of the hour, 0…59; flow 100);
/// - `air-1`, an ambient site reporting PM2.5 hourly, two local days of hour values (day one 80,
///   day two 20: one exceedance day);
/// - one case, `ZY-2026-01`, open;
/// - a token of each role; the clock is a ``ManualClock`` the test moves.
struct APIFixture {
    static let t0 = CivilTime(year: 2026, month: 3, day: 1).secondsIfUTC - 8 * 3_600  // 2026-03-01 00:00 local
    static let tokens: [Role: String] = [.ingest: "envmon_t-ingest", .read: "envmon_t-read", .operate: "envmon_t-operate", .admin: "envmon_t-admin"]

    let directory = TemporaryDirectory()
    let store: SQLiteStore
    let stations: StationRegistry
    let clock = ManualClock(t0 + 3 * 3_600)
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    /// The bureau's zone (`reports.time_zone`): Beijing time unless a test sets another.
    var bureauZone = TimeZone(identifier: "Asia/Shanghai")!

    init() async throws {
        stations = TestStations.registry(
            TestStations.station("outlet-1", kind: .dischargeOutlet, interval: 60, parameters: ["COD", "Q-water"]),
            TestStations.station("air-1", kind: .ambientAir, interval: 3_600, parameters: ["PM2.5"]))
        store = try SQLiteStore(path: directory.file("store.sqlite"), stations: stations)
        let cod = SeriesKey(station: "outlet-1", parameter: "COD", kind: .minute)
        let flow = SeriesKey(station: "outlet-1", parameter: "Q-water", kind: .minute)
        var samples = (0..<180).map { Sample(series: cod, time: Self.t0 + Int64($0) * 60, value: Double($0 % 60)) }
        samples += (0..<180).map { Sample(series: flow, time: Self.t0 + Int64($0) * 60, value: 100) }
        let pm = SeriesKey(station: "air-1", parameter: "PM2.5", kind: .hour)
        samples += (0..<48).map { Sample(series: pm, time: Self.t0 - 2 * 86_400 + Int64($0) * 3_600, value: $0 < 24 ? 80 : 20) }
        _ = try await store.write(samples)
        let yaml = """
            cases:
              - id: ZY-2026-01
                title: 清河纸业COD超标
                source: central-inspection
                unit: 市生态环境局
                leader: 李明
                opened: 2026-01-20
                deadline: 2026-06-30
                stations: [outlet-1]
            """
        _ = try await CaseDesk(register: store.caseRegister).importCases(try CaseFile.parse(yaml, path: "cases.yaml"), by: "test", now: Self.t0)
    }

    /// The API's data on the fixture's store and clock.
    var data: APIData {
        let (stations, clock) = (self.stations, self.clock)
        return APIData(
            store: store, stations: { stations }, now: { clock.now }, language: .en, targetsPath: directory.file("targets"), timeZone: bureauZone)
    }

    /// Every provider the daemon wires: the read and operate routes, the notifier's, and ingest
    /// (committed straight to the store here, without the daemon's batching writer).
    var routes: [any HTTPRouteProvider] {
        let notifier = NotifierService(
            configuration: NotifyConfiguration(),
            targets: [], outbox: store, control: store, clock: ContinuousClock(), nowMillis: { [clock] in clock.now * 1_000 })
        let (store, clock, stations) = (self.store, self.clock, self.stations)
        let readings = ReadingWriter(
            stations: StationBook(stations), submit: { try await store.write($0).outcomes[...] }, now: { clock.now },
            metrics: ReadingMetrics(source: "http", factory: TestMetrics.factory))
        let ingest = IngestRoutes(readings: readings, zone: { stations[$0]?.timeZone }, now: { clock.now })
        return APIData.routes(data) + [NotifierRoutes(handling: notifier, timeZone: bureauZone), ingest]
    }

    /// Runs a listener with every route while `body` runs with its port and the listener.
    func withListener(extra: [any HTTPRouteProvider] = [], _ body: (Int, HTTPListener) async throws -> Void) async throws {
        let access = AccessControl(Self.tokens.map { AccessToken(name: "\($0.key)-token", role: $0.key, token: $0.value) })
        let listener = HTTPListener(
            configuration: .init(port: 0), metrics: TestMetrics.registry, access: access, routes: routes + extra, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [listener], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(try await listener.boundPort(), listener)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try? store.close()
    }
}

/// One Prometheus registry for the API tests' listeners, not bootstrapped as the process's
/// swift-metrics backend (other suites run in the same process).
enum TestMetrics {
    static let registry = PrometheusCollectorRegistry()
    static let factory = PrometheusMetrics.factory(registry: registry)
}
