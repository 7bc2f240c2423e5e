public import Logging
import Monitoring
public import ServiceLifecycle
public import Store

/// The notifier inside the daemon: routes what the rule engine queued in the outbox, and
/// delivers it to every target on its own, at least once, grouped, retried with backoff,
/// dead-lettered past `max_age`, held by silences, acknowledgements, maintenance windows and
/// inhibit rules.
///
/// ```swift
/// let notifier = NotifierService(configuration: config, targets: targets, outbox: store, control: store,
///                                clock: ContinuousClock(), nowMillis: WallClock.milliseconds)
/// ruleService.onNotificationsQueued { notifier.notificationsQueued() }
/// ```
///
/// On one daemon nothing polls: the rule service wakes the router when it commits
/// notifications, the router wakes the targets it routed to, and each target's worker otherwise
/// sleeps until its next delivery, repeat or hold change is due. Daemons sharing one outbox
/// (PostgreSQL) pass `outboxPoll`: then the router and each worker also look at the outbox at
/// least that often, so that what another daemon queued, routed or claimed and did not finish
/// (it died) is routed and sent here — a claim of a dead daemon once its lease ends.
public final class NotifierService<C: Clock>: Service, Sendable where C.Duration == Duration {
    let core: NotifierCore
    private let outbox: any Outbox
    private let control: any AlertControl
    private let journal: (any AlertJournal)?
    private let clock: C
    private let nowMillis: @Sendable () -> Int64
    private let logger: Logger
    private let claimant: String
    private let random: @Sendable () -> Double
    private let outboxPoll: Duration?
    private let routerSignal = WakeSignal()
    private let reloadSignal = WakeSignal()
    private let workerSignals = Locked([String: WakeSignal]())
    private let pendingReload = Locked<(NotifyConfiguration, [DeliveryTarget])?>(nil)
    /// The loops end at their next turn: set for a reload (one generation) or the shutdown.
    /// Not task cancellation: a send in flight finishes and its outcome is recorded, and what a
    /// worker claimed but did not send is released, never left leased.
    private let ending = Locked(false)
    private let shuttingDown = Locked(false)
    private let lastPurge = Locked<Int64>(0)
    private let metrics = NotifierMetrics()

    /// How many deliveries a worker claims at once.
    static var claimLimit: Int { 500 }
    /// How many messages a target has in flight at once. Beside the 21,000 frames/s HJ 212 load
    /// (`Benchmarks/notify-throughput.sh`), 4 held one webhook to about 1,240 messages/s, 16 let
    /// through about 1,360–1,420/s: with the machine busy each answer takes milliseconds, and the
    /// sends, not the daemon's work, were the limit. Alertmanager sets no bound per receiver.
    static var concurrency: Int { 16 }

    /// Creates the service.
    /// - Parameters:
    ///   - configuration: the `notify:` section.
    ///   - targets: its receivers' integrations with their channels (``DeliveryTarget/all(in:channel:)``).
    ///   - outbox: where notifications wait.
    ///   - control: silences and acknowledgements.
    ///   - journal: where the alerts firing now are read at start, so repeats go on after a restart.
    ///   - clock: times the waits; tests pass a test clock.
    ///   - nowMillis: the wall time in milliseconds.
    ///   - claimant: this daemon's name on its claims.
    ///   - random: draws in 0..<1 for the retry jitter.
    ///   - outboxPoll: how often the router and each worker look at the outbox without being
    ///     woken (daemons sharing one outbox); nil: only when woken or due.
    public init(
        configuration: NotifyConfiguration, targets: [DeliveryTarget], outbox: any Outbox, control: any AlertControl,
        journal: (any AlertJournal)? = nil, clock: C,
        nowMillis: @escaping @Sendable () -> Int64, logger: Logger = Logger(label: "envmon.notifier"),
        claimant: String = "envmon", random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        outboxPoll: Duration? = nil
    ) {
        core = NotifierCore(configuration: configuration, targets: targets)
        self.outbox = outbox
        self.control = control
        self.journal = journal
        self.clock = clock
        self.nowMillis = nowMillis
        self.logger = logger
        self.claimant = claimant
        self.random = random
        self.outboxPoll = outboxPoll
    }

    private var now: Int64 { nowMillis() / 1_000 }
    var nowMillisValue: Int64 { nowMillis() }
    var controlStore: any AlertControl { control }

    /// The rule service committed notifications: route them. Returns at once; call it from any thread.
    public func notificationsQueued() { routerSignal.signal() }

    /// Swaps in a new configuration (SIGHUP); groups of targets that still exist keep their memory.
    public func reload(configuration: NotifyConfiguration, targets: [DeliveryTarget]) {
        pendingReload.withLock { $0 = (configuration, targets) }
        reloadSignal.signal()
    }

    /// What it has done so far.
    public var figures: NotifierFigures { get async { await core.figures } }

    /// Targets that gave notifications up in the last `window` seconds, with why: the daemon is
    /// not ready while there are any.
    public func recentDeadLetters(window: Int64 = 600) async -> [(target: String, reason: String)] {
        await core.recentDeadLetters(now: now, window: window)
    }

    public func run() async throws {
        await refreshHolds()
        await endOrphanedClaims()
        await resume()
        await withGracefulShutdownHandler { [self] in
            while !Task.isCancelled && !shuttingDown.withLock({ $0 }) {
                await runGeneration()
                guard let (configuration, targets) = pendingReload.withLock({ p in defer { p = nil }; return p }) else { continue }
                await core.reload(configuration: configuration, targets: targets)
                logger.notice("notify reloaded: \(targets.count) targets")
            }
        } onGracefulShutdown: { [self] in
            shuttingDown.withLock { $0 = true }
            reloadSignal.signal()
        }
    }

    /// Whether the loops should end (a reload, the shutdown, or cancellation).
    private var isEnding: Bool { Task.isCancelled || ending.withLock { $0 } }

    /// The router and one worker per target, until a reload (or shutdown) ends them.
    private func runGeneration() async {
        let names = await core.targets.keys.sorted()
        workerSignals.withLock { signals in
            signals = Dictionary(uniqueKeysWithValues: names.map { ($0, signals[$0] ?? WakeSignal()) })
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.routeLoop() }
            for name in names { group.addTask { await self.workLoop(target: name) } }
            await reloadSignal.wait()
            // Each loop ends at its next turn; sends in flight finish and are recorded.
            ending.withLock { $0 = true }
            routerSignal.signal()
            for s in workerSignals.withLock({ Array($0.values) }) { s.signal() }
            await group.waitForAll()
        }
        ending.withLock { $0 = false }
    }

    /// Makes what a killed daemon was sending due at once (``Outbox/endOrphanedClaims()``).
    private func endOrphanedClaims() async {
        do {
            let ended = try await outbox.endOrphanedClaims()
            if ended > 0 { logger.notice("notifier: \(ended) deliveries an earlier daemon was sending when it stopped are due again") }
        } catch {
            report("notifier: \(error) (they are due again when their lease ends)")
        }
    }

    /// Remembers the alerts firing now from their last notifications (a restart).
    private func resume() async {
        guard let journal else { return }
        do {
            let active = try await journal.loadAlertInstances().filter { $0.state == .firing || $0.state == .noData }
            let latest = try await outbox.latestNotifications(of: active.map(\.key))
            await core.resume(latest.values.map(\.notification), now: now)
            if !latest.isEmpty { logger.info("notifier: \(latest.count) alerts firing at start; their repeats go on") }
        } catch {
            report("notifier: cannot read the alerts firing at start (their repeats wait for their next change): \(error)")
        }
    }

    // MARK: routing

    private func routeLoop() async {
        var holdsRead = clock.now
        while !isEnding {
            // Silences and acknowledgements made through another daemon's API (or ended there)
            // reach this one only through the store: looked at every `outboxPoll`, before what
            // is routed now is planned, and the workers woken only when they changed.
            if let outboxPoll, holdsRead.duration(to: clock.now) >= outboxPoll {
                holdsRead = clock.now
                await refreshHolds(wakingAlways: false)
            }
            let failed = await routePending()
            let t = now
            if t - lastPurge.withLock({ $0 }) >= 3_600 {
                lastPurge.withLock { $0 = t }
                await purge(now: t)
            }
            // Woken by the rule service; the hourly purge is the only timer, and a failure
            // (the store busy or failing) is tried again in 5 s.
            // Daemons sharing the outbox look every `outboxPoll` too: another daemon's rule
            // leader may have queued notifications and died before routing them.
            // The holds' next look counts from the last one, not from this turn: frequent wakes
            // must not put it off.
            let poll = outboxPoll.map { $0 - holdsRead.duration(to: clock.now) } ?? .seconds(3_600)
            await routerSignal.wait(upTo: max(.zero, min(Duration.seconds(failed ? 5 : 3_600), poll)), on: clock)
        }
    }

    /// Routes what is unrouted; true when the store failed.
    private func routePending() async -> Bool {
        while !isEnding {
            let entries: [OutboxEntry]
            do {
                entries = try await outbox.unroutedNotifications(limit: 1_000)
            } catch {
                report("notifier: cannot read the outbox: \(error)")
                return true
            }
            guard !entries.isEmpty else { return false }
            let t = now
            let (routings, resolvedSome) = await core.route(entries, now: t)
            do {
                try await outbox.route(routings, now: t)
            } catch {
                // Routed again next time: the core's group memory only moved due times earlier.
                report("notifier: cannot route \(routings.count) notifications: \(error)")
                return true
            }
            await core.committed(routings.flatMap(\.deliveries))
            await refreshDepth()
            // A resolved alert may end an inhibition anywhere: every worker looks again.
            let woken = resolvedSome ? nil : Set(routings.flatMap { $0.deliveries.map(\.target) })
            let signals = workerSignals.withLock { s in woken.map { w in w.compactMap { s[$0] } } ?? Array(s.values) }
            for s in signals { s.signal() }
            if entries.count < 1_000 { return false }
        }
        return false
    }

    /// Refreshes the outbox depth gauges, at most once a second.
    private func refreshDepth(settling: Bool = false) async {
        guard metrics.depthDue(nowMillis: nowMillis(), settling: settling) else { return }
        do {
            metrics.depth(try await outbox.waitingCounts(), targets: await core.targets.keys.sorted())
        } catch {
            report("notifier: cannot count the outbox: \(error)")
        }
    }

    private func purge(now t: Int64) async {
        let retention = await core.configuration.retention
        do {
            let n = try await outbox.purgeFinished(before: t - retention)
            if n > 0 { logger.info("notifier: purged \(n) finished notifications older than \(retention / 86_400) d") }
        } catch {
            logger.warning("notifier: cannot purge finished notifications: \(error)")
        }
    }

    // MARK: a target's worker

    private func workLoop(target name: String) async {
        guard let signal = workerSignals.withLock({ $0[name] }) else { return }
        await readNextDue(target: name)
        var lastRead = clock.now
        while !isEnding {
            await resend(target: name)
            let more = await deliverDue(target: name)
            await refreshDepth(settling: !more)
            if more { continue }
            let wake = await core.nextWake(target: name, now: now)
            var wait = wake.map { Duration.milliseconds(max(0, $0 * 1_000 - nowMillis())) }
            if let outboxPoll { wait = min(wait ?? outboxPoll, outboxPoll) }
            await signal.wait(upTo: wait, on: clock)
            // Deliveries another daemon routed, or claimed and left (their lease ends), are
            // known here only from the outbox.
            if let outboxPoll, lastRead.duration(to: clock.now) >= outboxPoll {
                await readNextDue(target: name)
                lastRead = clock.now
            }
        }
    }

    /// Learns from the outbox when `name` is next due (after what was claimed, or at start).
    private func readNextDue(target name: String) async {
        let token = await core.dueReadToken(name)
        do {
            await core.setNextDue(name, fromOutbox: try await outbox.nextDue(target: name), token: token)
        } catch {
            report("notifier: cannot read when \(name) is due: \(error)")
            await core.backOff(name, until: now + 5)
        }
    }

    /// Queues repeats and releases for `name`, routed to it alone.
    private func resend(target name: String) async {
        let t = now
        for n in await core.takeResends(target: name, now: t) {
            do {
                _ = try await outbox.enqueue(n, routedTo: [.init(target: name, dueAt: t)], now: t)
                await core.setNextDue(name, t)
            } catch {
                report("notifier: cannot queue \(n.idempotencyKey) for \(name): \(error)")
                // Not lost: a release is held again and tried at the worker's next turn, in 5 s.
                await core.restore(n, target: name, now: t)
                await core.backOff(name, until: t + 5)
            }
        }
    }

    /// Claims what is due for `name` and sends it; true when more may be due at once.
    private func deliverDue(target name: String) async -> Bool {
        let t = now
        guard let due = await core.dueTime(of: name), due <= t else { return false }
        let claimed: [OutboxDelivery]
        let lease = await core.configuration.lease
        do {
            claimed = try await outbox.claimDeliveries(target: name, now: t, limit: Self.claimLimit, claimant: claimant, leaseUntil: t + lease)
        } catch {
            // Not at once again: a failing store would make this loop spin.
            report("notifier: cannot claim deliveries to \(name): \(error)")
            await core.backOff(name, until: t + 5)
            return false
        }
        if claimed.isEmpty {
            await readNextDue(target: name)
            return false
        }
        let plan = await core.plan(claimed, target: name, now: t)
        await hold(plan.held, target: name, now: t)
        let fresh = plan.messages.filter { $0.existingKey == nil }.flatMap { m in m.deliveries.map { (id: $0.entry.id, message: m.message!.idempotencyKey) } }
        do {
            try await outbox.assignMessage(fresh, target: name)
        } catch {
            logger.warning("notifier: cannot record the messages of \(name): \(error)")
        }
        guard let target = await core.targets[name] else { return false }
        // Delivered messages are recorded together, up to `finishBatch` in one transaction: one
        // commit a message made a busy target wait on the store's one writer behind every
        // ingest batch (about 90 messages/s under 20,000 frames/s, 550/s on an idle store).
        var delivered: [DeliveredMessage] = []
        var unsent: [Int64] = []
        await withTaskGroup(of: DeliveredMessage?.self) { group in
            var running = 0
            for m in plan.messages {
                if isEnding {
                    // A reload or the shutdown: what is not sent yet is released for the next turn.
                    unsent += m.deliveries.map(\.entry.id)
                    continue
                }
                if running == Self.concurrency {
                    if let d = await group.next() ?? nil { delivered.append(d) }
                    running -= 1
                    if delivered.count >= Self.finishBatch {
                        await record(delivered, to: target)
                        delivered = []
                    }
                }
                group.addTask { await self.send(m, to: target) }
                running += 1
            }
            for await d in group { if let d { delivered.append(d) } }
        }
        await record(delivered, to: target)
        if !unsent.isEmpty {
            let outbox = self.outbox
            let ids = unsent
            // Outside any cancellation: these claims must not stay leased.
            do {
                try await Task { try await outbox.releaseClaims(ids, target: name) }.value
            } catch {
                report("notifier: cannot release \(unsent.count) claimed deliveries to \(name) (due again when their lease ends): \(error)")
            }
        }
        return claimed.count == Self.claimLimit
    }

    /// How many delivered messages are recorded in one transaction at most.
    static var finishBatch: Int { 64 }

    /// A message the target took, not yet recorded.
    private struct DeliveredMessage: Sendable {
        var message: PlannedMessage
        var ids: [Int64]
        /// When it was taken (whole seconds, rounded up).
        var at: Int64
        var seconds: Double
    }

    /// Records delivered messages in one transaction, then tells the core.
    private func record(_ delivered: [DeliveredMessage], to target: DeliveryTarget) async {
        guard let at = delivered.map(\.at).max() else { return }
        let ids = delivered.flatMap(\.ids)
        do {
            // Outside any cancellation (a test's, or an abrupt end): the target has these.
            let outbox = self.outbox
            try await Task { try await outbox.finish(ids, target: target.name, as: .delivered, at: at, reason: nil) }.value
        } catch {
            let keys = delivered.compactMap { $0.message.message?.idempotencyKey }.joined(separator: ", ")
            report("notifier: \(target.name) has message(s) \(keys), but they cannot be recorded (they may be sent again): \(error)")
        }
        for d in delivered {
            metrics.sent(target: target.name, notifications: d.ids.count, seconds: d.seconds)
            if let resolved = await core.delivered(d.message, target: target.name, now: d.at) { await raise(resolved, about: target.name) }
        }
    }

    private func hold(_ held: [(OutboxDelivery, String)], target: String, now t: Int64) async {
        guard !held.isEmpty else { return }
        for (reason, list) in Dictionary(grouping: held, by: \.1) {
            do {
                try await outbox.finish(list.map(\.0.entry.id), target: target, as: .held, at: t, reason: reason)
            } catch {
                report("notifier: cannot record \(list.count) held deliveries to \(target): \(error)")
            }
            logger.info("notifier: \(list.count) notification(s) to \(target) held: \(reason)")
        }
        metrics.held(target: target, count: held.count)
        await core.held(target: target, count: held.count)
    }

    /// Sends one message; a delivered one is returned for ``record(_:to:)``, a failed one is
    /// scheduled for retry or dead-lettered here.
    private func send(_ m: PlannedMessage, to target: DeliveryTarget) async -> DeliveredMessage? {
        guard let message = m.message else { return nil }
        let started = nowMillis()
        let outcome = await target.channel.send(message, now: started / 1_000)
        // Rounded up for the retry: the store keeps whole seconds, and a retry must not come
        // sooner than its backoff.
        let t = (nowMillis() + 999) / 1_000
        let ids = m.deliveries.map(\.entry.id)
        switch outcome {
        case .delivered:
            return DeliveredMessage(message: m, ids: ids, at: t, seconds: Double(nowMillis() - started) / 1_000)
        case .retryable, .final:
            // Attempts so far, this one included; the oldest notification decides the age.
            let attempts = (m.deliveries.map(\.attempts).max() ?? 0) + 1
            let created = m.deliveries.map(\.entry.createdAt).min() ?? t
            let policy = await core.configuration.retry
            switch policy.decide(after: outcome, attempts: attempts, createdAt: created, now: t, random: random()) {
            case .retry(let at, let why):
                do {
                    let outbox = self.outbox
                    try await Task { try await outbox.scheduleRetry(ids, target: target.name, retryAt: at, reason: why) }.value
                } catch {
                    report("notifier: cannot schedule the retry of \(ids.count) deliveries to \(target.name): \(error)")
                }
                await core.setNextDue(target.name, at)
                metrics.retried(target: target.name, reason: why, count: ids.count)
                await core.retried(target: target.name, count: ids.count)
                logger.warning("notifier: \(target.name): \(why); \(ids.count) notification(s) retried in \(at - t) s (attempt \(attempts))")
            case .deadLetter(let why):
                do {
                    let outbox = self.outbox
                    try await Task { try await outbox.finish(ids, target: target.name, as: .dead, at: t, reason: why) }.value
                } catch {
                    report("notifier: cannot record \(ids.count) dead-lettered deliveries to \(target.name): \(error)")
                }
                metrics.deadLettered(target: target.name, reason: why, count: ids.count)
                report("notifier: \(target.name): \(ids.count) notification(s) given up (dead-lettered): \(why)")
                if let alert = await core.deadLettered(target: target.name, count: ids.count, reason: why, now: t) {
                    await raise(alert, about: target.name)
                }
            case nil:
                break
            }
        }
        return nil
    }

    /// Queues the notifier's own alert, routed like any other but not to the target it is about.
    private func raise(_ n: AlertNotification, about target: String) async {
        let t = now
        let deliveries = await core.internalDeliveries(n, about: target, now: t)
        do {
            _ = try await outbox.enqueue(n, routedTo: deliveries, now: t)
            await core.committed(deliveries)
        } catch {
            report("notifier: cannot queue the internal alert \(n.idempotencyKey): \(error)")
        }
        let signals = workerSignals.withLock { s in deliveries.compactMap { s[$0.target] } }
        for s in signals { s.signal() }
    }

    /// Logs a failure, except one caused by the service being stopped.
    private func report(_ message: @autoclosure () -> String) {
        if !Task.isCancelled { logger.error("\(message())") }
    }

    // MARK: silences and acknowledgements

    /// Re-reads silences and acknowledgements and wakes every worker (a hold may have ended).
    public func refreshHolds() async { await refreshHolds(wakingAlways: true) }

    /// ``refreshHolds()``; `wakingAlways` false wakes the workers only when the holds changed.
    /// Refreshes may overlap (the router's poll, a silence made through the API): the one whose
    /// read began last wins, so an older read never takes back a silence a newer one brought.
    private func refreshHolds(wakingAlways: Bool) async {
        let ticket = await core.holdsTicket()
        do {
            let changed = await core.setHolds(
                silences: try await control.silences(notEndedAt: now), acknowledgements: try await control.openAcknowledgements(), ticket: ticket)
            if !changed && !wakingAlways { return }
        } catch {
            report("notifier: cannot read silences and acknowledgements: \(error)")
            // The holds are as they were: a poll against a failing store wakes nobody.
            if !wakingAlways { return }
        }
        for s in workerSignals.withLock({ Array($0.values) }) { s.signal() }
    }

    /// Creates a silence: notifications matching every matcher are held from `startsAt` until `endsAt`.
    /// - Throws: ``NotifierError`` for a bad matcher or an empty or backwards period; `StoreError` when it cannot be stored.
    public func silence(matchers: [String], startsAt: Int64?, endsAt: Int64, by: String, comment: String) async throws -> Silence {
        let s = try Self.validatedSilence(matchers: matchers, startsAt: startsAt ?? now, endsAt: endsAt, by: by, comment: comment, now: now)
        var stored = s
        stored.id = try await control.addSilence(s)
        await refreshHolds()
        logger.notice("notifier: silence \(stored.id) by \(by) until \(endsAt): \(matchers.joined(separator: ", "))")
        return stored
    }

    /// Ends a silence now; false when there was none in force with that id.
    public func expireSilence(_ id: Int64) async throws -> Bool {
        let done = try await control.expireSilence(id, at: now)
        await refreshHolds()
        return done
    }

    /// Acknowledges an open episode: its further firing notifications are held until it ends.
    public func acknowledge(episode: Int64, by: String, comment: String) async throws -> AlertEpisode {
        let e = try await control.acknowledge(episode: episode, by: by, comment: comment, at: now)
        await refreshHolds()
        return e
    }

    /// Checks a silence before it is stored, for the daemon and for the CLI writing the store itself.
    public static func validatedSilence(matchers: [String], startsAt: Int64, endsAt: Int64, by: String, comment: String, now: Int64) throws -> Silence {
        guard !matchers.isEmpty else { throw NotifierError(.badSilence, "a silence needs at least one matcher") }
        for m in matchers { _ = try LabelMatcher(parsing: m) }
        guard endsAt > startsAt, endsAt > now else { throw NotifierError(.badSilence, "a silence must end after it starts and after now") }
        guard !by.isEmpty else { throw NotifierError(.badSilence, "a silence needs its author (--by)") }
        return Silence(matchers: matchers, startsAt: startsAt, endsAt: endsAt, createdBy: by, comment: comment, createdAt: now)
    }
}
