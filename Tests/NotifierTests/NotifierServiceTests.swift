import EnvmonTesting
import Foundation
import Monitoring
import Notifier
import Store
import Testing

/// A test double for a receiver (what a webhook or a mailbox would be end to end): records each
/// message and answers with scripted outcomes, delivered once the script runs out.
actor RecordingChannel: NotificationChannel {
    private(set) var messages: [NotificationMessage] = []
    private var script: [RetryPolicy.Outcome]
    private let gate: Bool
    private var released = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(_ script: [RetryPolicy.Outcome] = [], blocked: Bool = false) {
        self.script = script
        self.gate = blocked
    }

    nonisolated func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        await record(message)
    }

    private func record(_ message: NotificationMessage) async -> RetryPolicy.Outcome {
        messages.append(message)
        if gate && !released { await withCheckedContinuation { waiting.append($0) } }
        return script.isEmpty ? .delivered : script.removeFirst()
    }

    func release() {
        released = true
        for w in waiting { w.resume() }
        waiting = []
    }
}

/// The notifier against a real SQLite outbox with a test clock: routing, grouping, retries,
/// dead letters, isolation of targets, silences and acknowledgements.
@Suite struct NotifierServiceTests {
    let dir = TemporaryDirectory()
    static let t0: Int64 = 1_767_225_600
    let time = Locked<Int64>(NotifierServiceTests.t0 * 1_000)
    let clock = TestClock()

    func advance(seconds: Int64) {
        time.withLock { $0 += seconds * 1_000 }
        clock.advance(by: .seconds(seconds))
    }

    func makeStore() throws -> SQLiteStore {
        try SQLiteStore(path: dir.file("n.sqlite"), stations: TestStations.registry(TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD"])))
    }

    /// Records one transition of `station`'s COD alert with its notification.
    func queue(_ store: SQLiteStore, station: String, status: AlertNotification.Status, sequence: Int, severity: AlertSeverity = .critical) async throws {
        let now = time.withLock { $0 } / 1_000
        let key = AlertKey(rule: "cod-high", station: station, parameter: "COD")
        let n = AlertNotification(
            idempotencyKey: "cod-high/\(station)/COD/\(sequence)", status: status, severity: severity,
            labels: ["alertname": "cod-high", "station": station, "parameter": "COD", "severity": severity.rawValue],
            annotations: ["description": "COD 120 mg/L above 90"], startsAt: Self.t0, endsAt: status == .resolved ? now : nil)
        let state: AlertState = status == .firing ? .firing : .resolved
        try await store.record(
            [AlertTransition(instance: AlertInstance(key: key, state: state, since: now, sequence: sequence), from: status == .firing ? .pending : .firing, at: now, reason: "x", notification: n)],
            updates: [], recordedAt: now)
    }

    func config(groupWait: Int64 = 0, receivers: [String] = ["duty"], routes: [RouteNode] = []) -> NotifyConfiguration {
        var retry = RetryPolicy()
        retry.firstDelay = .seconds(1)
        retry.maxDelay = .seconds(4)
        retry.maxAge = 60
        return NotifyConfiguration(
            route: RouteNode(receiver: receivers[0], groupBy: .labels(["alertname", "station"]), groupWait: groupWait, groupInterval: 5, repeatInterval: 3_600, routes: routes),
            receivers: receivers.map { ReceiverConfiguration(name: $0, integrations: [.file(FileConfig(path: "/dev/null"))]) }, retry: retry)
    }

    func start(
        _ config: NotifyConfiguration, store: SQLiteStore, channels: [String: RecordingChannel], outboxPoll: Duration? = nil
    ) -> (NotifierService<TestClock>, Task<Void, any Error>) {
        let targets = DeliveryTarget.all(in: config) { _ in RecordingChannel() }.map { t in
            DeliveryTarget(name: t.name, receiver: t.receiver, integration: t.integration, channel: channels[t.receiver]!)
        }
        let notifier = NotifierService(
            configuration: config, targets: targets, outbox: store, control: store, clock: clock, nowMillis: { [time] in time.withLock { $0 } },
            random: { 1 }, outboxPoll: outboxPoll)
        return (notifier, Task { try await notifier.run() })
    }

    /// Waits (in real time) until `condition` holds: at once when the notifier is free to run, up
    /// to five minutes when the whole suite shares two cores (end-to-end tests block one of the
    /// two cooperative threads while their child process runs; 10 s, then a minute, were seen to
    /// run out in CI). A condition that never holds still fails.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<60_000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func aFiringNotificationGoesOutAtOnceAndItsResolvedOneSeparately() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        let (notifier, task) = start(config(), store: store, channels: ["duty": duty])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("the firing message") { await duty.messages.count == 1 }
        try await queue(store, station: "o1", status: .resolved, sequence: 2)
        advance(seconds: 5)  // group_interval
        notifier.notificationsQueued()
        try await eventually("the resolved message") { await duty.messages.count == 2 }
        let m = await duty.messages
        #expect(m.map(\.status) == [.firing, .resolved])
        #expect(m[0].alerts.map(\.notification.idempotencyKey) == ["cod-high/o1/COD/1"])
        #expect(m[0].groupLabels == ["alertname": "cod-high", "station": "o1"])
        try await eventually("both finished") { try await store.pendingNotifications(limit: 10).isEmpty }
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func moreGroupsThanAClaimAreAllSentAndRecordedDelivered() async throws {
        // 700 groups: more than a claim (500) and many recording batches (64) of delivered messages.
        let store = try makeStore()
        let duty = RecordingChannel()
        let (notifier, task) = start(config(), store: store, channels: ["duty": duty])
        for i in 0..<700 { try await queue(store, station: "o\(i)", status: .firing, sequence: 1) }
        notifier.notificationsQueued()
        try await eventually("700 messages") { await duty.messages.count == 700 }
        try await eventually("all recorded delivered") { try await store.pendingNotifications(limit: 10).isEmpty }
        #expect(try await store.deliveryCounts()["duty/file/0"]?.waiting ?? 0 == 0)
        #expect(Set(await duty.messages.flatMap { $0.alerts.map(\.notification.idempotencyKey) }).count == 700)
        try await eventually("700 counted delivered") { await notifier.figures.targets["duty/file/0"]?.delivered == 700 }
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func groupWaitGathersAGroupIntoOneMessage() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        var c = config(groupWait: 10)
        c.route.groupBy = .labels(["alertname"])
        let (notifier, task) = start(c, store: store, channels: ["duty": duty])
        for i in 0..<20 { try await queue(store, station: "o\(i)", status: .firing, sequence: 1) }
        notifier.notificationsQueued()
        try await eventually("routed") { try await store.unroutedNotifications(limit: 100).isEmpty }
        #expect(await duty.messages.isEmpty)
        try await eventually("both asleep") { clock.sleeperCount == 2 }  // the router, and duty until group_wait ends
        advance(seconds: 10)
        try await eventually("one message") { await duty.messages.count == 1 }
        #expect(await duty.messages[0].alerts.count == 20)
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aFailingTargetIsRetriedWithTheSameMessageAndDoesNotHoldAnother() async throws {
        let store = try makeStore()
        let duty = RecordingChannel([.retryable(reason: "HTTP 503"), .retryable(reason: "HTTP 503")])
        let phones = RecordingChannel()
        let c = config(receivers: ["duty", "phones"], routes: [RouteNode(receiver: "phones", matchers: [try LabelMatcher(parsing: "severity=\"critical\"")], continue: true), RouteNode(receiver: "duty")])
        let (notifier, task) = start(c, store: store, channels: ["duty": duty, "phones": phones])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("phones has it") { await phones.messages.count == 1 }
        try await eventually("duty tried once") { await duty.messages.count == 1 }
        // Backoff: 1 s after the first failure, then 2 s (the random half drawn at its most).
        var failedAt = time.withLock { $0 } / 1_000
        try await eventually("the first retry scheduled") { try await store.nextDue(target: "duty/file/0") == failedAt + 1 }
        // Asleep: the router (its hourly purge), phones (its repeat) and duty (its retry); the
        // clock moves only once they wait, or a wait would start from the moved clock.
        try await eventually("all asleep") { clock.sleeperCount == 3 }
        advance(seconds: 1)
        try await eventually("duty tried twice") { await duty.messages.count == 2 }
        failedAt = time.withLock { $0 } / 1_000
        try await eventually("the second retry scheduled") { try await store.nextDue(target: "duty/file/0") == failedAt + 2 }
        try await eventually("all asleep") { clock.sleeperCount == 3 }
        advance(seconds: 1)
        try await Task.sleep(for: .milliseconds(50))
        #expect(await duty.messages.count == 2)
        advance(seconds: 1)
        try await eventually("duty tried thrice") { await duty.messages.count == 3 }
        let keys = await duty.messages.map(\.idempotencyKey)
        #expect(Set(keys).count == 1)
        try await eventually("finished") { try await store.pendingNotifications(limit: 10).isEmpty }
        #expect(await notifier.figures.targets["duty/file/0"]?.retried == 2)
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aFinalErrorDeadLettersAndRaisesAnInternalAlertToTheOtherReceivers() async throws {
        let store = try makeStore()
        let duty = RecordingChannel([.final(reason: "HTTP 400")])
        let phones = RecordingChannel()
        let c = config(receivers: ["duty", "phones"], routes: [RouteNode(receiver: "phones", matchers: [try LabelMatcher(parsing: "alertname=\"NotificationsDeadLettered\"")])])
        let (notifier, task) = start(c, store: store, channels: ["duty": duty, "phones": phones])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("the internal alert") { await phones.messages.count == 1 }
        #expect(await duty.messages.count == 1)
        let alert = await phones.messages[0].alerts[0].notification
        #expect(alert.labels["alertname"] == "NotificationsDeadLettered")
        #expect(alert.labels["target"] == "duty/file/0")
        #expect(try await store.undelivered(.dead, since: 0, limit: 10).map(\.reason) == ["HTTP 400"])
        #expect(await notifier.recentDeadLetters().map(\.target) == ["duty/file/0"])
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aTargetThatNeverAnswersDoesNotDelayAnother() async throws {
        let store = try makeStore()
        let duty = RecordingChannel(blocked: true)
        let phones = RecordingChannel()
        let c = config(receivers: ["duty", "phones"], routes: [RouteNode(receiver: "phones", continue: true), RouteNode(receiver: "duty")])
        let (notifier, task) = start(c, store: store, channels: ["duty": duty, "phones": phones])
        for i in 0..<3 { try await queue(store, station: "o\(i)", status: .firing, sequence: 1) }
        notifier.notificationsQueued()
        try await eventually("phones has all three") { await phones.messages.count == 3 }
        try await eventually("duty has its first in flight") { await duty.messages.count >= 1 }  // none answered
        await duty.release()
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aSilenceHoldsWhatItMatchesAndReleasesWhatStillFiresWhenItEnds() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        let (notifier, task) = start(config(), store: store, channels: ["duty": duty])
        let s = try await notifier.silence(matchers: ["station=\"o1\""], startsAt: nil, endsAt: Self.t0 + 3_600, by: "li", comment: "calibration")
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        try await queue(store, station: "o2", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("o2 sent") { await duty.messages.count == 1 }
        #expect(await duty.messages[0].alerts.map { $0.notification.labels["station"] } == ["o2"])
        try await eventually("o1 held") { try await store.undelivered(.held, since: 0, limit: 10).count == 1 }
        #expect(try await store.undelivered(.held, since: 0, limit: 10)[0].reason?.contains("silence \(s.id)") == true)
        // The silence ends early: o1 still fires, so it goes out now.
        advance(seconds: 1)
        #expect(try await notifier.expireSilence(s.id))
        try await eventually("o1 released") { await duty.messages.count == 2 }
        let released = await duty.messages[1].alerts[0].notification
        #expect(released.labels["station"] == "o1")
        #expect(released.idempotencyKey.hasPrefix("cod-high/o1/COD/1/released/"))
        task.cancel()
        _ = await task.result
        try store.close()
    }

    /// Daemons sharing one outbox (PostgreSQL): a silence made through another daemon's API is
    /// in the store only, and this one holds by it from its next look at the outbox on.
    @Test func aSilenceAnotherDaemonStoredHoldsFromTheNextPoll() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        let (_, task) = start(config(), store: store, channels: ["duty": duty], outboxPoll: .seconds(5))
        try await eventually("router and worker asleep") { clock.sleeperCount == 2 }
        let id = try await store.addSilence(
            Silence(matchers: ["station=\"o1\""], startsAt: Self.t0, endsAt: Self.t0 + 3_600, createdBy: "zhang", comment: "via another daemon", createdAt: Self.t0))
        // Queued by another daemon's rule leader, which died before routing them: this one's
        // next poll reads the silence, then routes them.
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        try await queue(store, station: "o2", status: .firing, sequence: 1)
        advance(seconds: 5)
        try await eventually("o2 sent") { await duty.messages.count == 1 }
        #expect(await duty.messages[0].alerts.map { $0.notification.labels["station"] } == ["o2"])
        try await eventually("o1 held") { try await store.undelivered(.held, since: 0, limit: 10).count == 1 }
        #expect(try await store.undelivered(.held, since: 0, limit: 10)[0].reason?.contains("silence \(id)") == true)
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func anAcknowledgedEpisodeHoldsItsRepeatsButNotItsResolvedNotification() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        var c = config()
        c.route.repeatInterval = 60
        let (notifier, task) = start(c, store: store, channels: ["duty": duty])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("firing sent") { await duty.messages.count == 1 }
        let episode = try #require(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).first)
        _ = try await notifier.acknowledge(episode: episode.id, by: "wang", comment: "on site")
        try await eventually("both asleep") { clock.sleeperCount == 2 }  // the router, and duty until its repeat
        advance(seconds: 60)
        try await eventually("the repeat held") { try await store.undelivered(.held, since: 0, limit: 10).count == 1 }
        #expect(await duty.messages.count == 1)
        try await queue(store, station: "o1", status: .resolved, sequence: 2)
        notifier.notificationsQueued()
        try await eventually("resolved sent") { await duty.messages.count == 2 }
        #expect(await duty.messages[1].status == .resolved)
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aResolvedAlertIsNotRepeatedToATargetThatTakesNoResolvedNotifications() async throws {
        let store = try makeStore()
        let duty = RecordingChannel()
        var c = config()
        c.route.repeatInterval = 60
        var hook = WebhookConfig(url: URL(string: "http://127.0.0.1:9/hook")!)
        hook.sendResolved = false
        c.receivers = [ReceiverConfiguration(name: "duty", integrations: [.webhook(hook)])]
        let (notifier, task) = start(c, store: store, channels: ["duty": duty])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("firing sent") { await duty.messages.count == 1 }
        try await queue(store, station: "o1", status: .resolved, sequence: 2)
        notifier.notificationsQueued()
        try await eventually("resolved routed to nobody") { try await store.pendingNotifications(limit: 10).isEmpty }
        advance(seconds: 120)
        try await Task.sleep(for: .milliseconds(100))
        #expect(await duty.messages.count == 1)  // no repeat of an alert that has resolved
        task.cancel()
        _ = await task.result
        try store.close()
    }

    @Test func aReloadKeepsWhatIsQueuedAndSendsItThroughTheNewConfiguration() async throws {
        let store = try makeStore()
        let duty = RecordingChannel(blocked: true)
        let phones = RecordingChannel()
        let (notifier, task) = start(config(), store: store, channels: ["duty": duty])
        try await queue(store, station: "o1", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("duty's message in flight") { await duty.messages.count == 1 }
        // The receiver is replaced while duty's send hangs: that send finishes and is recorded,
        // and what comes next goes to the new receiver.
        let next = config(receivers: ["phones"])
        let targets = DeliveryTarget.all(in: next) { _ in phones }
        notifier.reload(configuration: next, targets: targets)
        await duty.release()
        try await eventually("duty's delivery recorded") { try await store.deliveryCounts()["duty/file/0"]?.waiting == 0 }
        try await queue(store, station: "o2", status: .firing, sequence: 1)
        notifier.notificationsQueued()
        try await eventually("phones has the next one") { await phones.messages.count == 1 }
        #expect(await phones.messages[0].alerts[0].notification.labels["station"] == "o2")
        task.cancel()
        _ = await task.result
        try store.close()
    }
}
