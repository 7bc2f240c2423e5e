import Logging
import Monitoring
import PostgresStore
import Rules
import ServiceLifecycle
import Store
import Synchronization

/// What the daemon's collectors and reloads tell the rules, whether this daemon evaluates them
/// itself (``RuleService``) or only while it leads (``RuleLeader``).
protocol RuleSink: Sendable {
    /// A collector saw a frame whose time no working clock gives.
    func clockFault(_ fault: StationClockFault)
    /// sensors/ or rules/ were reloaded.
    func reload(rules: [Rule], stations: StationRegistry) async
}

extension RuleService: RuleSink {}

/// The rules on a daemon sharing its PostgreSQL database with others: every 1 s it competes for
/// the rule leader's lock (``PostgresLeaderLock``). While it leads, it fences the journal by its
/// term, makes a fresh engine from the journal's alert instances, primes it from the store
/// without the readings not yet evaluated (``CommitExcludingView``), then feeds the commit log
/// after the last leader's cursor in sequence order (polled every 200 ms), the cursor advancing
/// with each batch's journal transaction; ticks run only meanwhile. A lost lock, a journal
/// write refused (a newer term) or any store failure ends the leadership at once: the engine is
/// dropped and the daemon competes again. Non-leaders evaluate nothing.
final class RuleLeader: Service, RuleSink {
    /// Makes a rule service (with its hooks) on `priming`, its engine loaded with `rules` and `stations`.
    typealias Factory = @Sendable (_ priming: any TimeSeriesStore, _ rules: [Rule], _ stations: StationRegistry) async throws -> RuleService<ContinuousClock>

    private let store: PostgresStore
    private let lock: PostgresLeaderLock
    private let make: Factory
    private let metrics: RuleLeaderMetrics
    private let logger: Logger
    private let poll: Duration
    private let state: Mutex<(rules: [Rule], stations: StationRegistry, service: RuleService<ContinuousClock>?)>

    init(
        store: PostgresStore, lock: PostgresLeaderLock, rules: [Rule], stations: StationRegistry, metrics: RuleLeaderMetrics = RuleLeaderMetrics(),
        poll: Duration = .milliseconds(200), logger: Logger, make: @escaping Factory
    ) {
        self.store = store
        self.lock = lock
        self.make = make
        self.metrics = metrics
        self.poll = poll
        self.logger = logger
        state = Mutex((rules, stations, nil))
    }

    func clockFault(_ fault: StationClockFault) {
        state.withLock { $0.service }?.clockFault(fault)
    }

    func reload(rules: [Rule], stations: StationRegistry) async {
        let service = state.withLock { s in
            s.rules = rules
            s.stations = stations
            return s.service
        }
        await service?.reload(rules: rules, stations: stations)
    }

    func run() async throws {
        // A graceful stop (SIGTERM) is not a cancellation: a leader first evaluates what is
        // committed (the writer stopped before the rules, so every reading this daemon
        // acknowledged is), then gives the lock up, and the next daemon takes over at its next
        // try, within a second, where this one stopped.
        await withGracefulShutdownHandler { [self] in
            while !Task.isCancelled && !isStopping {
                do {
                    if let leadership = try await lock.tryLead(now: WallClock.seconds()) { await lead(leadership) }
                } catch {
                    logger.warning("rules: cannot compete for the rule leader's lock: \(error)")
                }
                for _ in 0..<10 where !Task.isCancelled && !isStopping { try? await Task.sleep(for: .milliseconds(100)) }
            }
        } onGracefulShutdown: { [self] in
            stopping.withLock { $0 = true }
        }
        await lock.resign()
    }

    /// Set by a graceful stop.
    private let stopping = Mutex(false)
    private var isStopping: Bool { stopping.withLock { $0 } }
    /// How long a stopping leader goes on evaluating what is committed, at most.
    static let drainLimit: Duration = .seconds(10)

    /// Leads until the lock is lost, the journal refuses a write, or the daemon stops.
    private func lead(_ leadership: PostgresLeaderLock.Leadership) async {
        let term = leadership.term
        store.lead(term: term)
        logger.notice("rules: leading in term \(term), evaluating the commit log after \(leadership.evaluatedSeq)")
        metrics.leading(true, term: term)
        defer { metrics.leading(false, term: term) }
        let (rules, stations) = state.withLock { ($0.rules, $0.stations) }
        // The lock's session ends when it sends nothing for a while (idle_session_timeout): it
        // answers every second while the engine loads and primes, however long that takes.
        let heartbeat = Task { [lock] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                _ = try? await lock.tryLead(now: WallClock.seconds())
            }
        }
        let service: RuleService<ContinuousClock>
        do {
            service = try await make(CommitExcludingView(store, evaluatedSeq: leadership.evaluatedSeq), rules, stations)
        } catch {
            heartbeat.cancel()
            logger.error("rules: cannot load the alert state to lead: \(error)")
            await lock.resign()
            return
        }
        await service.prime()
        heartbeat.cancel()
        _ = await heartbeat.value
        state.withLock { $0.service = service }
        // Detached: not told of the daemon's graceful stop (a task-local that a child task
        // inherits), which would close its inbox before the stopping leader's last evaluations;
        // it ends when cancelled, below, once they are done.
        let running = Task.detached { try? await service.run() }
        defer {
            state.withLock { $0.service = nil }
        }
        let why = await evaluate(from: leadership.evaluatedSeq, term: term, service)
        running.cancel()
        _ = await running.value
        logger.warning("rules: no longer leading (term \(term)): \(why)")
        await lock.resign()
    }

    /// Feeds the commit log to `service` until leadership ends; returns why it ended.
    private func evaluate(from start: Int64, term: Int64, _ service: RuleService<ContinuousClock>) async -> String {
        var cursor = start
        var lastCheck = ContinuousClock.now
        var lastPurge = ContinuousClock.now - .seconds(600)
        var drainUntil: ContinuousClock.Instant?
        while !Task.isCancelled {
            do throws(StoreError) {
                if isStopping, drainUntil == nil { drainUntil = ContinuousClock.now + Self.drainLimit }
                let batches = try await store.commits(after: cursor, limit: 100)
                for batch in batches {
                    let seq = batch.seq
                    let store = store
                    guard await service.evaluate(batch.samples, before: { store.evaluated(through: seq) }) else {
                        return "the journal refused the transitions of commit \(seq)"
                    }
                    cursor = seq
                    // Between batches too: a long backlog must not leave the lock's session
                    // silent past its idle timeout.
                    if ContinuousClock.now - lastCheck >= .seconds(1) {
                        lastCheck = ContinuousClock.now
                        guard try await lock.tryLead(now: WallClock.seconds())?.term == term else { return "the lock is held by another daemon" }
                    }
                }
                if !batches.isEmpty { try await store.advanceEvaluation() }
                let last = try await store.lastCommitSeq()
                metrics.progress(evaluated: cursor, last: last)
                if let drainUntil, cursor >= last || ContinuousClock.now >= drainUntil {
                    return "the daemon is stopping; evaluated through commit \(cursor) of \(last)"
                }
                if ContinuousClock.now - lastCheck >= .seconds(1) {
                    lastCheck = ContinuousClock.now
                    guard try await lock.tryLead(now: WallClock.seconds())?.term == term else { return "the lock is held by another daemon" }
                }
                if ContinuousClock.now - lastPurge >= .seconds(600) {
                    lastPurge = ContinuousClock.now
                    let n = try await store.purgeCommitLog(evaluatedThrough: cursor, committedBefore: WallClock.seconds() - 3_600)
                    if n > 0 { logger.info("rules: purged \(n) evaluated commit-log batches older than an hour") }
                }
                if batches.count < 100, drainUntil == nil { try? await Task.sleep(for: poll) }
            } catch {
                return "\(error)"
            }
        }
        return "the daemon is stopping"
    }
}
