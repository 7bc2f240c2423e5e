import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Rules
import Store
import Testing

/// The case register meets the rule engine: an overdue case raises an alert like any other (a
/// `case_overdue` rule, judged on the engine's injected clock), and a closed case whose linked
/// rule fires again is reopened and says so. Real engine, real SQLite file, a manual clock.
@Suite struct CaseRuleTests {
    let dir = TemporaryDirectory()
    /// 2026-09-30T16:00:00Z = 2026-10-01 00:00 in Shanghai: the first instant after a 09-30 deadline.
    static let dueEnd: Int64 = 1_790_784_000
    let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
    let overdueRule = Rule(name: "case-overdue", condition: .caseOverdue(sources: [], zone: TimeZone(identifier: "Asia/Shanghai")!), labels: ["team": "cases"])
    let codRule = Rule(
        name: "cod-high", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 100, below: nil))),
        match: RuleMatcher(parameters: ["COD"]), severity: .critical)

    func entry(_ id: String, deadline: String, rules: [String] = [], stations: [String] = [], closedOn: String? = nil) -> CaseEntry {
        CaseEntry(
            id: id, title: "整改 \(id)", source: .centralInspection, unit: "市水务局", leader: "张华", opened: "2026-01-20", deadline: deadline,
            stations: stations, rules: rules,
            notes: closedOn.map { [CaseEntry.Note(date: $0, text: "完成", status: .done)] } ?? [],
            closed: closedOn.map { CaseEntry.Note(date: $0, text: "销号") })
    }

    @Test func theEngineJudgesTheDeadlineDayInTheZone() {
        let engine = RuleEngine(rules: [overdueRule], stations: TestStations.registry(outlet))
        let late = CaseRecord(id: "A", title: "a", source: .complaint, unit: "u", deadline: "2026-09-30", status: .inProgress, openedAt: 0)
        let done = CaseRecord(id: "B", title: "b", source: .complaint, deadline: "2026-09-01", status: .done, openedAt: 0)
        engine.updateCases([late, done])
        #expect(engine.tick(now: Self.dueEnd - 1).isEmpty, "the last second of the deadline day is in time")
        let fired = engine.tick(now: Self.dueEnd)
        #expect(fired.map(\.to) == [.firing])
        #expect(fired.first?.instance.key == AlertKey(rule: "case-overdue", station: "*", parameter: "A"))
        #expect(fired.first?.notification?.labels["case"] == "A" && fired.first?.notification?.labels["unit"] == "u")
        #expect(fired.first?.notification?.annotations["deadline"] == "2026-09-30")
        #expect(engine.tick(now: Self.dueEnd + 86_400).isEmpty, "still overdue: no new transition")
        var finished = late
        finished.status = .done
        engine.updateCases([finished, done])
        let resolved = engine.tick(now: Self.dueEnd + 2 * 86_400)
        #expect(resolved.map(\.to) == [.resolved])
        #expect(resolved.first?.notification?.status == .resolved)
    }

    /// Through the rule service and a real store: the register is read before each tick, the
    /// alert and its notification are written to the journal, and noting the case done resolves it.
    @Test func anOverdueCaseRaisesAnAlertThroughTheServiceAndResolvesWhenDone() async throws {
        let registry = TestStations.registry(outlet)
        let store = try SQLiteStore(path: dir.file("o.sqlite"), stations: registry)
        let desk = CaseDesk(register: store.caseRegister)
        let clock = ManualClock(Self.dueEnd - 3_600)
        _ = try await desk.importCases([entry("ZY-5", deadline: "2026-09-30"), entry("ZY-6", deadline: "2026-12-31")], by: "t", now: clock.now)
        let service = RuleService(
            engine: RuleEngine(rules: [overdueRule], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { clock.now }, tickInterval: .seconds(3_600), cases: store.caseRegister)
        await service.tick()
        #expect(try await store.loadAlertInstances().isEmpty, "in time on its deadline day")

        clock.advance(by: 3_600)
        await service.tick()
        let firing = try await store.loadAlertInstances()
        #expect(firing.map(\.key.parameter) == ["ZY-5"] && firing.first?.state == .firing)
        let queued = try await store.pendingNotifications(limit: 10)
        #expect(queued.map(\.notification.labels["alertname"]) == ["case-overdue"])
        #expect(queued.first?.notification.labels["leader"] == "张华")
        #expect(queued.first?.notification.annotations["description"]?.contains("past its deadline 2026-09-30") == true)

        clock.advance(by: 86_400)
        _ = try await desk.note("ZY-5", text: "完工", status: .done, by: "li", at: clock.now)
        await service.tick()
        #expect(try await store.loadAlertInstances().first?.state == .resolved)
        #expect(try await store.pendingNotifications(limit: 10).map(\.notification.status) == [.firing, .resolved])
        try store.close()
    }

    /// 防止问题反弹: the linked rule fires again at the linked station after the case was closed;
    /// the case reopens with the firing in its history. A firing elsewhere, or of another rule,
    /// leaves other cases alone.
    @Test func aClosedCaseReopensWhenItsLinkedRuleFiresAgain() async throws {
        let other = TestStations.station("other", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        let registry = TestStations.registry(outlet, other)
        let store = try SQLiteStore(path: dir.file("r.sqlite"), stations: registry)
        let desk = CaseDesk(register: store.caseRegister)
        let clock = ManualClock(Self.dueEnd)
        _ = try await desk.importCases(
            [
                entry("ZY-1", deadline: "2026-06-30", rules: ["cod-high"], stations: ["outlet"], closedOn: "2026-07-15"),
                entry("ZY-2", deadline: "2026-06-30", rules: ["cod-high"], stations: ["other"], closedOn: "2026-07-15"),
                entry("ZY-3", deadline: "2026-06-30", rules: ["something-else"], stations: ["outlet"], closedOn: "2026-07-15"),
            ], by: "t", now: clock.now)
        let service = RuleService(
            engine: RuleEngine(rules: [codRule], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { clock.now }, tickInterval: .seconds(3_600), cases: store.caseRegister)
        service.onAlertsFired { fired in _ = try? await desk.reopenRelapses(fired, by: "envmon rules", now: clock.now) }
        let running = Task { try await service.run() }
        let reading = Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .realtime), time: Self.dueEnd, value: 180)
        service.didCommit([reading], outcomes: [.inserted])
        var reopened: CaseRecord?
        for _ in 0..<300 {
            reopened = try await store.caseRegister.caseRecord("ZY-1")
            if reopened?.status == .inProgress { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(reopened?.status == .inProgress)
        #expect(reopened?.reopenCount == 1)
        let last = try #require(try await store.caseRegister.caseEvents("ZY-1").last)
        #expect(last.kind == .reopened && last.from == .closed && last.to == .inProgress && last.author == "envmon rules")
        #expect(last.text.hasPrefix("reopened: rule cod-high fired again at outlet COD at 2026-10-01 00:00"), "\(last.text)")
        #expect(last.at == Self.dueEnd)
        #expect(try await store.caseRegister.caseRecord("ZY-2")?.status == .closed, "linked to another station")
        #expect(try await store.caseRegister.caseRecord("ZY-3")?.status == .closed, "linked to another rule")
        service.finish()
        running.cancel()
        _ = try? await running.value

        // The same firing told again (a restart replaying it) reopens nothing twice.
        let again = try await desk.reopenRelapses([(AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"), Self.dueEnd)], by: "x", now: clock.now)
        #expect(again.isEmpty)
        // A firing from before the case was closed is no relapse.
        _ = try await desk.note("ZY-1", text: "完成", status: .done, by: "li", at: Self.dueEnd + 600)
        let before = try await desk.reopenRelapses([(AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"), Self.dueEnd + 300)], by: "x", now: clock.now)
        #expect(before.isEmpty)
        try store.close()
    }
}
