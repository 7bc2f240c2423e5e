import EnvmonHTTP
import EnvmonTesting
import Foundation
import Hummingbird
import Logging
import Metrics
import Monitoring
import Prometheus
import ServiceLifecycle
import Store
import Testing

/// The listener run for real on 127.0.0.1 with a free port, asked over HTTP.
@Suite struct HTTPListenerTests {
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `listener` in a service group while `body` runs with its port, then shuts it down.
    func withListener(_ listener: HTTPListener, _ body: (Int) async throws -> Void) async throws {
        let group = ServiceGroup(configuration: .init(services: [listener], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                try await body(try await listener.boundPort())
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func healthzAnswersOK() async throws {
        try await withListener(HTTPListener(configuration: .init(port: 0), logger: logger)) { port in
            let reply = try await HTTPGet.get(port: port, "/healthz")
            #expect(reply.status == 200)
            #expect(reply.body == "ok\n")
        }
    }

    @Test func readyzIs200WhenEveryCheckPassesAnd503NamingTheFailingOnes() async throws {
        let broken = Locked(false)
        let checks = [
            HealthCheck("store") { broken.withLock { $0 } ? .failing("the store file was deleted") : .ok },
            HealthCheck("hj212") { .ok },
        ]
        try await withListener(HTTPListener(configuration: .init(port: 0), checks: checks, logger: logger)) { port in
            let ready = try await HTTPGet.get(port: port, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.contentType == "application/json")
            #expect(ready.body.contains(#""status":"ok""#))
            broken.withLock { $0 = true }
            let failing = try await HTTPGet.get(port: port, "/readyz")
            #expect(failing.status == 503)
            #expect(failing.body.contains(#""failing":["store"]"#), "\(failing.body)")
            #expect(failing.body.contains("the store file was deleted"))
        }
    }

    @Test func readyzNamesTheStoreOnceItsFileIsDeleted() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("store.sqlite")
        let store = try SQLiteStore(path: path, stations: TestStations.registry(TestStations.station("s1", parameters: ["PM2.5"])))
        try store.guardFile()
        let checks = [HealthCheck.storeFile(store)]
        try await withListener(HTTPListener(configuration: .init(port: 0), checks: checks, logger: logger)) { port in
            #expect(try await HTTPGet.get(port: port, "/readyz").status == 200)
            try FileManager.default.removeItem(atPath: path)
            let reply = try await HTTPGet.get(port: port, "/readyz")
            #expect(reply.status == 503)
            #expect(reply.body.contains(#""failing":["store"]"#), "\(reply.body)")
        }
        try? store.close()
    }

    @Test func metricsShowsTheRegistryInPrometheusTextFormat() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusMetrics.factory(registry: registry)
        let counter = Counter(label: "envmon_test_things_total", dimensions: [("reason", "bad_crc")], factory: factory)
        counter.increment(by: 3)
        Timer(label: "envmon_test_duration_seconds", factory: factory).recordMilliseconds(3)
        let access = AccessControl([AccessToken(name: "prometheus", role: .read, token: "envmon_scraper")])
        try await withListener(HTTPListener(configuration: .init(port: 0), metrics: registry, access: access, logger: logger)) { port in
            #expect(try await HTTPGet.get(port: port, "/metrics").status == 401)
            let reply = try await HTTPGet.get(port: port, "/metrics", token: "envmon_scraper")
            #expect(reply.status == 200)
            #expect(reply.contentType == "text/plain; version=0.0.4; charset=utf-8")
            #expect(reply.body.contains("# TYPE envmon_test_things_total counter\n"))
            #expect(reply.sample(#"envmon_test_things_total{reason="bad_crc"}"#) == 3)
            // The daemon's buckets: fine below a millisecond.
            #expect(reply.sample(#"envmon_test_duration_seconds_bucket{le="0.0005"}"#) == 0)
            #expect(reply.sample(#"envmon_test_duration_seconds_bucket{le="0.005"}"#) == 1)
        }
    }

    @Test func withoutARegistryThereIsNoMetricsRoute() async throws {
        try await withListener(HTTPListener(configuration: .init(port: 0), logger: logger)) { port in
            let reply = try await HTTPGet.get(port: port, "/metrics")
            #expect(reply.status == 404)
        }
    }

    @Test func providersAddRoutes() async throws {
        struct Version: HTTPRouteProvider {
            func addRoutes(to api: APIRouter) {
                api.get("/api/v1/version", role: nil, summary: "The version") { _, _ in APIResponse.text("1.0") }
            }
        }
        let routes: [any HTTPRouteProvider] = [
            Version(),
            HTTPRoutes { $0.get("/api/v1/echo/{word}", role: nil, summary: "Echo") { _, context in APIResponse.text(context.parameters.get("word") ?? "") } },
        ]
        try await withListener(HTTPListener(configuration: .init(port: 0), routes: routes, logger: logger)) { port in
            let version = try await HTTPGet.get(port: port, "/api/v1/version")
            let echo = try await HTTPGet.get(port: port, "/api/v1/echo/hello")
            let nothing = try await HTTPGet.get(port: port, "/api/v1/nothing")
            #expect(version.body == "1.0")
            #expect(echo.body == "hello")
            #expect(nothing.status == 404)
        }
    }

    @Test func aPortInUseFailsTheListenerAndItsBoundPort() async throws {
        let first = HTTPListener(configuration: .init(port: 0), logger: logger)
        try await withListener(first) { port in
            let second = HTTPListener(configuration: .init(port: port), logger: logger)
            await #expect(throws: (any Error).self) { try await second.run() }
            await #expect(throws: (any Error).self) { try await second.boundPort() }
        }
    }
}
