import EnvmonTesting
import Foundation
import Monitoring
import Rules
import Store
import Testing

/// The `clock` kind: a station sending times no working clock gives raises one alert, which
/// correct times resolve; the alert is persisted like any other.
@Suite struct ClockRuleTests {
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
    let rule = Rule(name: "station-clock", condition: .clock(faults: 3, window: 3_600), clearFor: 1_800)
    let key = AlertKey(rule: "station-clock", station: "outlet", parameter: "*")

    func fault(_ second: Int64, station: String = "outlet") -> StationClockFault {
        StationClockFault(station: station, kind: .behind, sent: "19700101080000", offset: Self.t0 + second, limit: 400 * 86_400, receivedAt: Self.t0 + second)
    }

    func reading(_ second: Int64) -> Sample {
        Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .realtime), time: Self.t0 + second, value: 40)
    }

    @Test func threeFaultsWithinTheWindowFireOnceAndCorrectTimesResolveAfterClearFor() {
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet))
        var transitions = engine.clockFault(fault(0), now: Self.t0)
        transitions += engine.clockFault(fault(60), now: Self.t0 + 60)
        #expect(transitions.isEmpty, "two faults are not yet a clock problem")
        transitions += engine.clockFault(fault(120), now: Self.t0 + 120)
        #expect(transitions.map(\.to) == [.firing])
        let firing = transitions[0]
        #expect(firing.instance.key == key)
        #expect(firing.notification?.labels["alertname"] == "station-clock")
        #expect(firing.notification?.labels["station"] == "outlet")
        #expect(firing.notification?.annotations["value"] == "3")
        #expect(firing.notification?.annotations["description"]?.contains("DataTime 19700101080000") == true)
        // More faults keep it firing, with no new transition.
        #expect(engine.clockFault(fault(180), now: Self.t0 + 180).isEmpty)

        // Correct times again (stored readings): resolved once they span clear_for (30 minutes).
        var back: [AlertTransition] = []
        for minute in Int64(10)...40 { back += engine.ingest([reading(minute * 60)], receivedAt: Self.t0 + minute * 60) }
        #expect(back.map(\.to) == [.resolved])
        #expect(back.first?.at == Self.t0 + 600, "dated when the correct times began")
        #expect(back.first?.notification?.status == .resolved)
    }

    @Test func aFaultAmongCorrectTimesRestartsTheClearingCount() {
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet))
        for s in [Int64(0), 60, 120] { _ = engine.clockFault(fault(s), now: Self.t0 + s) }
        var back: [AlertTransition] = []
        for minute in Int64(10)...30 { back += engine.ingest([reading(minute * 60)], receivedAt: Self.t0 + minute * 60) }
        back += engine.clockFault(fault(31 * 60), now: Self.t0 + 31 * 60)
        for minute in Int64(32)...50 { back += engine.ingest([reading(minute * 60)], receivedAt: Self.t0 + minute * 60) }
        #expect(back.isEmpty, "20 + 18 minutes of correct times, broken by a fault: not yet 30 in a row")
        #expect(engine.instance(key)?.state == .firing)
        for minute in Int64(51)...63 { back += engine.ingest([reading(minute * 60)], receivedAt: Self.t0 + minute * 60) }
        #expect(back.map(\.to) == [.resolved])
    }

    @Test func faultsSpreadWiderThanTheWindowNeverFireAndOtherStationsDoNotCount() {
        let other = TestStations.station("other", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet, other))
        var transitions: [AlertTransition] = []
        for hour in Int64(0)..<10 { transitions += engine.clockFault(fault(hour * 1_900), now: Self.t0 + hour * 1_900) }
        transitions += engine.clockFault(fault(30_000, station: "other"), now: Self.t0 + 30_000)
        transitions += engine.clockFault(fault(30_001, station: "unknown"), now: Self.t0 + 30_001)
        #expect(transitions.isEmpty, "two faults at most within any hour")
    }

    /// Through the service: the collector's report becomes a firing alert in the journal, with
    /// its notification, and a restart resumes it; stored readings resolve it.
    @Test func theServiceRecordsTheAlertAndARestartKeepsIt() async throws {
        let dir = TemporaryDirectory()
        let registry = TestStations.registry(outlet)
        let store = try SQLiteStore(path: dir.file("c.sqlite"), stations: registry)
        let clock = ManualClock(Self.t0)
        let service = RuleService(
            engine: RuleEngine(rules: [rule], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { clock.now }, tickInterval: .seconds(60))
        let running = Task { try await service.run() }
        for s in [Int64(0), 60, 120] {
            service.clockFault(fault(s))
            clock.advance(by: 60)
        }
        var instances: [AlertInstance] = []
        for _ in 0..<300 where !instances.contains(where: { $0.state == .firing }) {
            try await Task.sleep(for: .milliseconds(10))
            instances = try await store.loadAlertInstances()
        }
        #expect(instances.map(\.key) == [key] && instances.first?.state == .firing)
        #expect(try await store.pendingNotifications(limit: 10).map(\.notification.labels["alertname"]) == ["station-clock"])
        #expect(service.currentFigures.clockFaults == 3)
        service.finish()
        running.cancel()
        _ = try? await running.value

        // Restarted: the alert is still firing; correct times spanning clear_for resolve it.
        let engine = RuleEngine(rules: [rule], stations: registry, instances: try await store.loadAlertInstances())
        #expect(engine.instance(key)?.state == .firing)
        var back: [AlertTransition] = []
        for minute in Int64(60)...95 { back += engine.ingest([reading(minute * 60)], receivedAt: Self.t0 + minute * 60) }
        #expect(back.map(\.to) == [.resolved])
        try store.close()
    }
}
