import EnvmonTesting
import Foundation
import Monitoring
import Rules
import Store
import Testing

/// Alert state through a real SQLite file: restarts keep timers, transitions and their
/// notifications land together, and the writer's commits reach the outbox.
@Suite struct AlertJournalTests {
    static let t0: Int64 = 1_767_225_600
    let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
    let rule = Rule(
        name: "cod-high", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil))),
        match: RuleMatcher(parameters: ["COD"]), holdFor: 3_600, severity: .critical)

    func cod(_ minute: Int64, _ value: Double) -> Sample {
        Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .realtime), time: Self.t0 + minute * 60, value: value)
    }

    @Test func aRestartInTheMiddleOfAPendingPeriodKeepsItsTimer() async throws {
        let dir = TemporaryDirectory()
        let registry = TestStations.registry(outlet)
        do {
            let store = try SQLiteStore(path: dir.file("a.sqlite"), stations: registry)
            let engine = RuleEngine(rules: [rule], stations: registry, instances: try await store.loadAlertInstances())
            let transitions = (0..<30).flatMap { engine.ingest([cod($0, 120)], receivedAt: Self.t0 + $0 * 60) }
            try await store.record(transitions, updates: [], recordedAt: Self.t0 + 1_800)
            try store.close()
        }
        // A new process: the pending period started at t0 and is 30 minutes old.
        let store = try SQLiteStore(path: dir.file("a.sqlite"), stations: registry)
        let loaded = try await store.loadAlertInstances()
        #expect(loaded.map(\.state) == [.pending])
        #expect(loaded.first?.pendingSince == Self.t0)
        let engine = RuleEngine(rules: [rule], stations: registry, instances: loaded)
        let transitions = (30...60).flatMap { engine.ingest([cod($0, 120)], receivedAt: Self.t0 + $0 * 60) }
        #expect(transitions.map(\.to) == [.firing])
        #expect(transitions.first?.at == Self.t0 + 3_600, "one hour after the first breach, not after the restart")
        try await store.record(transitions, updates: [], recordedAt: Self.t0 + 3_600)

        let outbox = try await store.pendingNotifications(limit: 10)
        #expect(outbox.count == 1)
        #expect(outbox.first?.notification.status == .firing)
        #expect(outbox.first?.notification.startsAt == Self.t0)
        #expect(outbox.first?.notification.idempotencyKey == "cod-high/outlet/COD/2")
        let episodes = try await store.alertEpisodes(overlapping: Self.t0..<(Self.t0 + 86_400))
        #expect(episodes.count == 1)
        #expect(episodes.first?.startedAt == Self.t0)
        #expect(episodes.first?.endedAt == nil)
        // Writing the same transitions again (a retry after an unknown outcome) queues nothing twice.
        try await store.record(transitions, updates: [], recordedAt: Self.t0 + 3_601)
        #expect(try await store.pendingNotifications(limit: 10).count == 1)

        // Resolution closes the episode and queues the resolved message.
        let resolved = engine.ingest([cod(70, 40)], receivedAt: Self.t0 + 70 * 60)
        try await store.record(resolved, updates: [], recordedAt: Self.t0 + 70 * 60)
        let closed = try await store.alertEpisodes(overlapping: Self.t0..<(Self.t0 + 86_400))
        #expect(closed.first?.endedAt == Self.t0 + 70 * 60)
        #expect(closed.first?.peak == 120)
        #expect(try await store.pendingNotifications(limit: 10).map(\.notification.status) == [.firing, .resolved])
        let history = try await store.alertHistory(since: 0, limit: 10)
        // Pending periods are kept in the instance row, not in the history.
        #expect(history.map(\.to) == [.resolved, .firing, .firing])
        try store.close()
    }

    @Test func aCommittedExceedanceReachesTheOutboxThroughTheWriter() async throws {
        let dir = TemporaryDirectory()
        let registry = TestStations.registry(outlet)
        let store = try SQLiteStore(path: dir.file("b.sqlite"), stations: registry)
        let immediate = Rule(
            name: "cod-now", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil))),
            match: RuleMatcher(parameters: ["COD"]))
        let service = RuleService(
            engine: RuleEngine(rules: [immediate], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { Self.t0 + 600 }, tickInterval: .seconds(60))
        let writer = BatchingWriter(store: store, maxDelay: .milliseconds(5), clock: ContinuousClock(), observer: service)
        let running = Task { try await service.run() }
        _ = try await writer.submit([cod(0, 50), cod(1, 150)])
        // Re-sending the same readings must not be evaluated twice.
        _ = try await writer.submit([cod(0, 50), cod(1, 150)])
        var outbox: [OutboxEntry] = []
        for _ in 0..<200 where outbox.isEmpty {
            try await Task.sleep(for: .milliseconds(10))
            outbox = try await store.pendingNotifications(limit: 10)
        }
        #expect(outbox.count == 1)
        #expect(outbox.first?.notification.labels["alertname"] == "cod-now")
        #expect(outbox.first?.notification.annotations["value"] == "150")
        try await Task.sleep(for: .milliseconds(50))
        #expect(service.currentFigures.readings == 2, "duplicates are not evaluated again")
        service.finish()
        running.cancel()
        _ = try? await running.value
        await writer.close()
        try store.close()
    }
}

/// A batch that moves hundreds of alerts at once (a day judged for every series) is written in
/// several journal transactions, so the live batches are not held up behind one long one; every
/// transition and its notification are still recorded exactly once.
@Suite struct LargeTransitionBatchTests {
    @Test func sixHundredAlertsFiringAtOnceAreAllRecordedOnce() async throws {
        let dir = TemporaryDirectory()
        let outlets = (0..<600).map { TestStations.station("o\($0)", kind: .dischargeOutlet, interval: 60, parameters: ["COD"]) }
        let registry = StationRegistry(outlets)
        let store = try SQLiteStore(path: dir.file("many.sqlite"), stations: registry)
        let rule = Rule(
            name: "cod-now", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil))),
            match: RuleMatcher(parameters: ["COD"]))
        let t0 = AlertJournalTests.t0
        let service = RuleService(
            engine: RuleEngine(rules: [rule], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { t0 + 600 }, tickInterval: .seconds(60))
        let writer = BatchingWriter(store: store, maxDelay: .milliseconds(5), clock: ContinuousClock(), observer: service)
        let running = Task { try await service.run() }
        // 600 transitions in one batch: more than one journal transaction (250 each).
        _ = try await writer.submit(outlets.map { Sample(series: SeriesKey(station: $0.id, parameter: "COD", kind: .realtime), time: t0, value: 150) })
        var outbox: [OutboxEntry] = []
        for _ in 0..<300 where outbox.count < 600 {
            try await Task.sleep(for: .milliseconds(10))
            outbox = try await store.pendingNotifications(limit: 1_000)
        }
        #expect(outbox.count == 600)
        #expect(Set(outbox.map(\.notification.labels["station"])).count == 600)
        let history = try await store.alertHistory(since: 0, limit: 2_000)
        #expect(history.count == 600 && history.allSatisfy { $0.to == .firing })
        #expect(try await store.loadAlertInstances().count == 600)
        #expect(service.currentFigures.recorded == 600)
        service.finish()
        running.cancel()
        _ = try? await running.value
        await writer.close()
        try store.close()
    }
}

/// Reduction targets count the year's load across a restart: the days before it come from the
/// store's hourly rollups, the open day from the replay.
@Suite struct ReductionTargetRestartTests {
    @Test func theYearsLoadBeforeARestartStillCounts() async throws {
        let dir = TemporaryDirectory()
        var outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 3_600, parameters: ["COD", "Q-water"])
        outlet.labels = ["basin": "test"]
        let registry = TestStations.registry(outlet)
        let allowance = YearlyAllowance(
            name: "cod", pollutant: "COD", flow: "Q-water", scope: StationScope(labels: ["basin": "test"]), years: [2026: 1_656_000])
        let goal = ReductionGoal(allowance: allowance)
        let rule = Rule(name: "cod-target", condition: .reductionTarget(goal))
        let jan1: Int64 = 1_767_196_800  // 2026-01-01T00:00:00+08:00
        let store = try SQLiteStore(path: dir.file("t.sqlite"), stations: registry)
        // Four days of hourly data: 150 mg/L at 400 L/s is 216 kg/h, 5,184 kg a day.
        var samples: [Sample] = []
        for h in 0..<(4 * 24) {
            let t = jan1 + Int64(h) * 3_600
            samples.append(Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .hour), time: t, value: 150))
            samples.append(Sample(series: SeriesKey(station: "outlet", parameter: "Q-water", kind: .hour), time: t, value: 400))
        }
        // Started on 4 January at 10:15: 1–3 January and the morning are in the store.
        let clock = Locked(jan1 + 3 * 86_400 + 10 * 3_600 + 900)
        let before = samples.filter { $0.time <= clock.withLock { $0 } }
        let after = samples.filter { $0.time > clock.withLock { $0 } }
        _ = try await store.write(before)
        let service = RuleService(
            engine: RuleEngine(rules: [rule], stations: registry, grace: 600), journal: store, store: store, clock: ContinuousClock(),
            now: { clock.withLock { $0 } }, tickInterval: .seconds(3_600))
        await service.prime()
        let running = Task { try await service.run() }
        // The rest of 4 January arrives live.
        let result = try await store.write(after)
        service.didCommit(after, outcomes: result.outcomes)
        for _ in 0..<500 where service.currentFigures.readings < after.count { try await Task.sleep(for: .milliseconds(2)) }
        #expect(service.currentFigures.readings == after.count)
        clock.withLock { $0 = jan1 + 4 * 86_400 + 900 }
        await service.tick()
        service.finish()
        _ = try? await running.value
        let active = try await store.loadAlertInstances()
        #expect(active.map(\.key) == [AlertKey(rule: "cod-target", station: "*", parameter: "COD")])
        #expect(active.first?.state == .firing)
        // 4 × 5,184 kg against 1,656 t × 4/365.
        let expected = 4 * 5_184 / (1_656_000 * 4 / 365.0)
        #expect(abs((active.first?.value ?? 0) - expected) < 1e-9, "\(active)")
        let reason = try await store.alertHistory(since: 0, limit: 1).first?.reason ?? ""
        #expect(reason.contains("COD 20.74 t by 2026-01-04"), "\(reason)")
        try store.close()
    }
}

/// Stuck-sensor and rate-of-change rules remember the readings before a restart.
@Suite struct RecentReadingsRestartTests {
    @Test func aStuckSensorSpanningARestartStillFires() async throws {
        let dir = TemporaryDirectory()
        let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 3_600, parameters: ["COD"])
        let registry = TestStations.registry(outlet)
        let rule = Rule(name: "stuck", condition: .stuck(readings: 6, tolerance: 0), match: RuleMatcher(parameters: ["COD"]))
        let t0: Int64 = 1_767_225_600
        let key = SeriesKey(station: "outlet", parameter: "COD", kind: .hour)
        let store = try SQLiteStore(path: dir.file("s.sqlite"), stations: registry)
        // Five identical hourly values before the restart, the sixth after it.
        _ = try await store.write((0..<5).map { Sample(series: key, time: t0 + Int64($0) * 3_600, value: 42) })
        let service = RuleService(
            engine: RuleEngine(rules: [rule], stations: registry), journal: store, store: store, clock: ContinuousClock(),
            now: { t0 + 5 * 3_600 + 60 }, tickInterval: .seconds(3_600))
        await service.prime()
        let running = Task { try await service.run() }
        let sixth = [Sample(series: key, time: t0 + 5 * 3_600, value: 42)]
        let result = try await store.write(sixth)
        service.didCommit(sixth, outcomes: result.outcomes)
        var active: [AlertInstance] = []
        for _ in 0..<500 {
            active = try await store.loadAlertInstances()
            if !active.isEmpty { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(active.map(\.state) == [.firing], "six readings at 42, five of them from before the restart")
        #expect(active.first?.pendingSince == t0)
        service.finish()
        _ = try? await running.value
        try store.close()
    }
}

/// A rule removed while the daemon was stopped does not leave its alert firing forever.
@Suite struct RemovedRuleAtStartTests {
    @Test func anAlertOfARuleRemovedWhileStoppedIsResolvedAtStart() async throws {
        let dir = TemporaryDirectory()
        let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        let registry = TestStations.registry(outlet)
        let t0: Int64 = 1_767_225_600
        let store = try SQLiteStore(path: dir.file("r.sqlite"), stations: registry)
        let old = Rule(
            name: "old-rule", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil))),
            match: RuleMatcher(parameters: ["COD"]))
        let first = RuleEngine(rules: [old], stations: registry)
        let fired = first.ingest([Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .realtime), time: t0, value: 150)], receivedAt: t0)
        try await store.record(fired, updates: [], recordedAt: t0)
        // Restarted with rules/ that no longer has it.
        let service = RuleService(
            engine: RuleEngine(rules: [], stations: registry, instances: try await store.loadAlertInstances()), journal: store, store: store,
            clock: ContinuousClock(), now: { t0 + 600 })
        await service.prime()
        #expect(try await store.loadAlertInstances().filter(\.state.isActive).isEmpty)
        let outbox = try await store.pendingNotifications(limit: 10).map(\.notification)
        #expect(outbox.map(\.status) == [.firing, .resolved])
        #expect(outbox.last?.labels["alertname"] == "old-rule")
        #expect(outbox.last?.annotations["description"] == "rule old-rule removed from rules/")
        try store.close()
    }
}

/// A restart judges only what it can see whole: yesterday, judged by the daemon before, is not
/// judged again from the one hour the replay reads before today.
@Suite struct RestartDayJudgementTests {
    @Test func aRestartDoesNotJudgeYesterdayFromItsLastHour() async throws {
        let dir = TemporaryDirectory()
        let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 3_600, parameters: ["COD"])
        let registry = TestStations.registry(outlet)
        let rules = [
            Rule(name: "daily-completeness", condition: .completeness(basis: .day, minimum: 0.75), match: RuleMatcher(parameters: ["COD"])),
            Rule(
                name: "cod-day", condition: .threshold(Threshold(basis: .day, source: .fixed(above: 50, below: nil))),
                match: RuleMatcher(parameters: ["COD"])),
        ]
        let zone = outlet.timeZone
        let today = ZoneCalendar(zone).day(containing: 1_767_225_600 + 86_400 * 3).lowerBound
        let key = SeriesKey(station: "outlet", parameter: "COD", kind: .hour)
        let store = try SQLiteStore(path: dir.file("r.sqlite"), stations: registry)
        // Yesterday whole (under the limit), and today's first six hours.
        _ = try await store.write((-24..<6).map { Sample(series: key, time: today + Int64($0) * 3_600, value: 20) })
        let now = today + 6 * 3_600 + 300
        // What the rule service's prime does: replay the stored readings from where the engine asks.
        let engine = RuleEngine(rules: rules, stations: registry)
        let from = engine.replayStart(for: key, now: now)
        #expect(from < today, "the replay reads a little of yesterday (its last hour)")
        let stored = try await store.samples(of: key, in: from..<(now + 1))
        engine.replay(stored.map { Sample(series: key, time: $0.time, value: $0.value, flag: $0.flag) }, now: now)
        let transitions = engine.tick(now: now)
        #expect(transitions.isEmpty, "yesterday was whole and under its limit: \(transitions.map { "\($0.instance.key.rule) \($0.to) \($0.reason)" })")
        // Today is judged whole when it ends.
        _ = try await store.write((6..<24).map { Sample(series: key, time: today + Int64($0) * 3_600, value: 20) })
        let rest = (6..<24).map { Sample(series: key, time: today + Int64($0) * 3_600, value: 20) }
        _ = engine.ingest(rest, receivedAt: today + 86_400)
        #expect(engine.tick(now: today + 86_400 + 700).isEmpty, "today whole")
        try store.close()
    }
}
