public import Logging
public import Monitoring
public import ServiceLifecycle
public import Store

/// The rule engine inside the daemon: sees every batch the writer commits (``didCommit(_:outcomes:)``),
/// evaluates it at once, ticks on a schedule for time-based conditions, and writes each
/// transition with its notification to the journal in one transaction.
///
/// ```swift
/// let rules = RuleService(engine: engine, journal: store, store: store, clock: ContinuousClock(), now: WallClock.seconds)
/// let writer = BatchingWriter(store: store, clock: ContinuousClock(), observer: rules)
/// ```
///
/// Batches, ticks and reloads go through one queue and are handled one at a time, so the
/// journal receives transitions in the order they happened. Transitions a failing journal could
/// not take are kept and written with the next ones, in order; the engine's state never runs
/// ahead of what a restart can recover by more than them.
public final class RuleService<C: Clock>: Service, CommitObserver where C.Duration == Duration {
    private let engine: EngineBox
    private let journal: any AlertJournal
    private let store: any TimeSeriesStore
    private let clock: C
    private let now: @Sendable () -> Int64
    private let tickInterval: Duration
    private let logger: Logger
    private let inbox: AsyncStream<Work>
    private let inboxContinuation: AsyncStream<Work>.Continuation

    /// What the service's queue carries.
    enum Work: Sendable {
        /// Committed readings.
        case batch([Sample])
        /// Time to check time-based conditions.
        case tick
        /// A frame whose time no working clock gives, from the collector.
        case clockFault(StationClockFault)
        /// New rules and stations; resumed once swapped in.
        case reload([Rule], StationRegistry, CheckedContinuation<Void, Never>)
        /// Readings handed over by ``evaluate(_:before:)``: `before` runs first, and the
        /// continuation is resumed with whether the journal took the transitions.
        case handed([Sample], @Sendable () -> Void, CheckedContinuation<Bool, Never>)
    }
    private let figures = Locked(RuleServiceFigures())
    /// The case register `case_overdue` rules judge, read before each tick; nil: none.
    private let cases: (any CaseRegister)?
    /// Told of alerts that started firing, after they are written (the case register reopens
    /// finished cases whose linked rule fired again).
    private let fired = Locked<(@Sendable ([(key: AlertKey, at: Int64)]) async -> Void)?>(nil)
    private let queued = Locked<(@Sendable () -> Void)?>(nil)

    /// Creates the service.
    /// - Parameters:
    ///   - engine: the engine, with the instances loaded from the journal.
    ///   - journal: where transitions go.
    ///   - store: where open hours and days and last-heard times are read from at start.
    ///   - clock: times the ticks; tests pass a ``TestClock``-like clock.
    ///   - now: the wall time in seconds, for arrival times and ticks.
    ///   - tickInterval: how often time-based conditions are checked.
    ///   - metrics: the service's metrics (made from the bootstrapped backend by default).
    ///   - cases: the case register, for `case_overdue` rules; nil when there is none.
    ///   - journalChunk: the most transitions one journal transaction takes (``defaultJournalChunk``
    ///     where the journal shares a writer with the live batches); `Int.max` writes each
    ///     evaluation whole, as a rule leader must when its cursor commits with the transitions.
    public init(
        engine: sending RuleEngine, journal: any AlertJournal, store: any TimeSeriesStore, clock: C, now: @escaping @Sendable () -> Int64,
        tickInterval: Duration = .seconds(5), logger: Logger = Logger(label: "envmon.rules"), metrics: RuleMetrics = RuleMetrics(),
        cases: (any CaseRegister)? = nil, journalChunk: Int = RuleService.defaultJournalChunk
    ) {
        self.cases = cases
        self.engine = EngineBox(engine, metrics: metrics, journalChunk: max(1, journalChunk))
        self.journal = journal
        self.store = store
        self.clock = clock
        self.now = now
        self.tickInterval = tickInterval
        self.logger = logger
        (inbox, inboxContinuation) = AsyncStream.makeStream(of: Work.self, bufferingPolicy: .unbounded)
    }

    /// Transitions per journal transaction by default: a day judged for five thousand series at
    /// once would otherwise hold SQLite's one writer, and the live batches' replies, for a
    /// quarter of a second.
    public static var defaultJournalChunk: Int { 250 }

    /// The figures so far.
    public var currentFigures: RuleServiceFigures { figures.withLock { $0 } }

    public func didCommit(_ samples: [Sample], outcomes: [SampleOutcome]) {
        // Re-sent duplicates were evaluated when first committed.
        var fresh: [Sample] = []
        fresh.reserveCapacity(samples.count)
        for (s, o) in zip(samples, outcomes) where o == .inserted || o == .changed { fresh.append(s) }
        if !fresh.isEmpty { inboxContinuation.yield(.batch(fresh)) }
    }

    /// Evaluates readings committed elsewhere (the rule leader's commit log), after what is
    /// queued, as ``didCommit(_:outcomes:)`` evaluates fresh readings: `before` runs just before
    /// the evaluation (the leader names the commit-log batch its journal write will close).
    /// Returns once the transitions are written: true, or false when the journal refused them
    /// (they stay queued for the next write) or the service has stopped.
    public func evaluate(_ samples: [Sample], before: @escaping @Sendable () -> Void) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            if case .terminated = inboxContinuation.yield(.handed(samples, before, done)) { done.resume(returning: false) }
        }
    }

    /// A collector saw a frame whose time no working clock gives (``StationClockFault``): the
    /// station's `clock` rules count it. Returns at once; call it from any thread.
    public func clockFault(_ fault: StationClockFault) {
        inboxContinuation.yield(.clockFault(fault))
    }

    /// Rebuilds what the engine keeps in memory: when each station was last heard from, the
    /// open hours and days of averaged series, the recent readings of stuck and rate rules, the
    /// year's load of reduction targets. Call it before the writer commits anything: a reading
    /// both replayed and handed over as a batch would count twice in its hour. ``run()`` calls
    /// it unless it was called before; a second call does nothing.
    public func prime() async {
        let t = now()
        let retired = await engine.prime(store: store, now: t, logger: logger)
        await write(retired, at: t, countStates: true)
    }

    public func run() async throws {
        await prime()
        let ticker = Task { [clock, tickInterval, inboxContinuation] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: tickInterval) } catch { return }
                inboxContinuation.yield(.tick)
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown { [self] in
            for await work in inbox { await handle(work) }
        }
        // Shutting down: what was committed before the writer closed is still evaluated.
        inboxContinuation.finish()
        for await work in inbox {
            if case .tick = work { continue }
            await handle(work)
        }
    }

    /// Swaps in new rules and stations (sensors/ or rules/ reloaded). Instances of rules that
    /// still exist keep their state and timers; when each station was last heard from is kept.
    public func reload(rules: [Rule], stations: StationRegistry) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            if case .terminated = inboxContinuation.yield(.reload(rules, stations, done)) {
                // Not running (any more): nothing can interleave, swap in place.
                Task { await self.handle(.reload(rules, stations, done)) }
            }
        }
    }

    /// Checks time-based conditions now (hours and days past their grace window, silent
    /// stations) and writes what changed; for runs that end before the next tick.
    public func tick() async {
        await handle(.tick)
    }

    /// Stops taking batches (for tests that do not run a service group).
    public func finish() { inboxContinuation.finish() }

    private func handle(_ work: Work) async {
        if case .handed(let samples, let before, let done) = work {
            before()
            let t = now()
            let transitions = await engine.evaluate(samples, now: t)
            figures.withLock {
                $0.batches += 1
                $0.readings += samples.count
            }
            let failed = await write(transitions, at: t)
            done.resume(returning: !failed)
            let firing = transitions.filter { $0.to == .firing && $0.from != .firing }.map { (key: $0.instance.key, at: $0.at) }
            if !failed, !firing.isEmpty, let tell = fired.withLock({ $0 }) { await tell(firing) }
            return
        }
        let t = now()
        let transitions: [AlertTransition]
        var reloaded = false
        switch work {
        case .batch(let samples):
            transitions = await engine.evaluate(samples, now: t)
            figures.withLock {
                $0.batches += 1
                $0.readings += samples.count
            }
        case .tick:
            if let cases { await engine.readCases(cases, logger: logger) }
            transitions = await engine.evaluate([], now: t)
            await engine.markUpdatesDue()
            figures.withLock { $0.ticks += 1 }
        case .clockFault(let fault):
            transitions = await engine.clockFault(fault, now: t)
            figures.withLock { $0.clockFaults += 1 }
        case .reload(let rules, let stations, let done):
            transitions = await engine.reload(rules: rules, stations: stations, now: t)
            reloaded = true
            done.resume()
        case .handed: return
        }
        await write(transitions, at: t, countStates: reloaded)
        let firing = transitions.filter { $0.to == .firing && $0.from != .firing }.map { (key: $0.instance.key, at: $0.at) }
        if !firing.isEmpty, let tell = fired.withLock({ $0 }) { await tell(firing) }
    }

    /// Calls `handler` with the alerts that started firing (key and time), once they are written:
    /// the case register reopens finished cases whose linked rule fired again (防止问题反弹).
    public func onAlertsFired(_ handler: @escaping @Sendable ([(key: AlertKey, at: Int64)]) async -> Void) {
        fired.withLock { $0 = handler }
    }

    /// Hands transitions to the journal (with any a failed write left) and counts the outcome;
    /// the instances per state are counted again when some were written, or when `countStates`.
    @discardableResult
    private func write(_ transitions: [AlertTransition], at t: Int64, countStates: Bool = false) async -> Bool {
        let (recorded, failed) = await engine.flush(
            transitions, journal: journal, recordedAt: t, logger: logger, countStates: countStates)
        figures.withLock {
            $0.recorded += recorded
            if failed { $0.journalFailures += 1 }
        }
        if recorded > 0, let wake = queued.withLock({ $0 }) { wake() }
        return failed
    }

    /// Calls `wake` each time transitions are committed to the journal (their notifications
    /// with them): the notifier routes them at once instead of polling the outbox.
    public func onNotificationsQueued(_ wake: @escaping @Sendable () -> Void) {
        queued.withLock { $0 = wake }
    }
}

/// The engine and the transitions not yet written, behind one actor so batches and ticks never
/// run at once.
actor EngineBox {
    var engine: RuleEngine
    var unrecorded: [AlertTransition] = []
    let metrics: RuleMetrics
    /// Transitions per journal transaction.
    let journalChunk: Int

    init(_ engine: sending RuleEngine, metrics: RuleMetrics, journalChunk: Int) {
        self.engine = engine
        self.metrics = metrics
        self.journalChunk = journalChunk
    }

    /// Swaps the engine; returns the transitions that close the instances of removed rules.
    func reload(rules: [Rule], stations: StationRegistry, now: Int64) -> [AlertTransition] {
        metrics.evaluated(.reload, readings: 0, elapsed: nil)
        let names = Set(rules.map(\.name))
        let retired = engine.retireRules(keeping: names, now: now)
        let kept = engine.activeInstances.filter { names.contains($0.key.rule) }
        let next = RuleEngine(rules: rules, stations: stations, instances: kept, grace: engine.grace)
        for (id, s) in engine.stationStates {
            if let seen = s.lastSeen { next.primeLastSeen(id, at: seen, flag: s.lastFlag) }
        }
        engine = next
        return retired
    }

    func evaluate(_ batch: [Sample], now: Int64) -> [AlertTransition] {
        let started = ContinuousClock.now
        defer { metrics.evaluated(batch.isEmpty ? .tick : .batch, readings: batch.count, elapsed: ContinuousClock.now - started) }
        return batch.isEmpty ? engine.tick(now: now) : engine.ingest(batch, receivedAt: now)
    }

    func clockFault(_ fault: StationClockFault, now: Int64) -> [AlertTransition] {
        metrics.evaluated(.clockFault, readings: 0, elapsed: nil)
        return engine.clockFault(fault, now: now)
    }

    func markUpdatesDue() { updatesDue = true }

    /// Instance updates wait for the next tick (or transition), so a firing alert fed a reading
    /// a second costs one row write per tick, not one per reading.
    var updatesDue = false
    var primed = false
    var unwrittenUpdates: [AlertKey: AlertInstance] = [:]

    /// Writes the transitions (after any left from a failed write); returns how many were
    /// written and whether the write failed. Counts them, and the instances per state when
    /// some were written or when `countStates`.
    func flush(
        _ transitions: [AlertTransition], journal: any AlertJournal, recordedAt: Int64, logger: Logger, countStates: Bool = false
    ) async -> (Int, Bool) {
        let (written, failed) = await write(transitions, journal: journal, recordedAt: recordedAt, logger: logger)
        if failed { metrics.journalFailed() }
        if written > 0 || countStates { metrics.alertCounts(engine.stateCounts()) }
        return (written, failed)
    }

    private func write(_ transitions: [AlertTransition], journal: any AlertJournal, recordedAt: Int64, logger: Logger) async -> (Int, Bool) {
        unrecorded += transitions
        // A leftover update from a failed write is older than a new transition of its instance.
        for t in transitions { unwrittenUpdates[t.instance.key] = nil }
        if updatesDue || !unrecorded.isEmpty {
            for u in engine.takeUpdates() { unwrittenUpdates[u.key] = u }
            updatesDue = false
        }
        guard !unrecorded.isEmpty || !unwrittenUpdates.isEmpty else { return (0, false) }
        // Fresh updates are the engine's current state: written after the transitions.
        // Taken out before the write suspends, so nothing added meanwhile is dropped with them.
        let writing = unrecorded, updates = unwrittenUpdates
        unrecorded = []
        unwrittenUpdates = [:]
        // In transactions of at most `journalChunk` transitions (the updates with the last): the
        // journal shares the store's one writer with the live batches, and a day judged for five
        // thousand series at once would hold their commits (and their 9014 replies) up for a
        // quarter of a second. Each transition is still written whole, with its notification.
        var written = 0
        repeat {  // at least once: there may be updates without transitions
            let end = writing.count - written <= journalChunk ? writing.count : written + journalChunk
            do {
                try await journal.record(
                    Array(writing[written..<end]), updates: end == writing.count ? Array(updates.values) : [], recordedAt: recordedAt)
            } catch {
                metrics.recorded(writing[..<written])
                unrecorded = Array(writing[written...]) + unrecorded
                unwrittenUpdates.merge(updates) { newer, _ in newer }
                logger.error("alert transitions not written, retried with the next ones: \(error)")
                log(writing[..<written], logger)
                return (written, true)
            }
            written = end
        } while written < writing.count
        metrics.recorded(writing)
        log(writing[...], logger)
        return (writing.count, false)
    }


    /// One line per transition that notifies (pending periods starting and ending at debug);
    /// past the first 20 of a batch, one line that counts the rest by rule and state, so a day
    /// judged for thousands of series at once does not flood the log.
    private func log(_ transitions: ArraySlice<AlertTransition>, _ logger: Logger) {
        var rest: [String: Int] = [:]
        for (i, t) in transitions.enumerated() {
            let level: Logger.Level = t.notification == nil ? .debug : .notice
            if i < 20 || level == .debug {
                logger.log(level: level, "alert \(t.instance.key): \(t.from.rawValue) → \(t.to.rawValue): \(t.reason)")
            } else {
                rest["\(t.instance.key.rule) → \(t.to.rawValue)", default: 0] += 1
            }
        }
        if !rest.isEmpty {
            let counts = rest.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            logger.notice("alert: \(rest.values.reduce(0, +)) more transitions (\(counts)); envmon alerts lists them")
        }
    }

    /// The year's load so far of each reduction target, from the hourly rollups of the days
    /// before the ones the replay rebuilds (the same arithmetic as live: valid hourly mean
    /// concentration × valid hourly mean flow).
    func primeTargets(store: any TimeSeriesStore, now: Int64, logger: Logger) async {
        for (name, goal, list) in engine.targetRules {
            var from = Int64.max
            for station in list {
                let calendar = ZoneCalendar(station.timeZone)
                let kind: SeriesKind = station.expectedInterval >= 3_600 ? .hour : .realtime
                let c = SeriesKey(station: station.id, parameter: goal.pollutant, kind: kind)
                let q = SeriesKey(station: station.id, parameter: goal.flow, kind: kind)
                let liveFrom = engine.replayStart(for: c, now: now) + 3_600
                from = min(from, liveFrom)
                let civil = calendar.civil(at: liveFrom)
                let yearStart = calendar.day(containing: calendar.firstInstant(ofLocal: CivilTime(year: civil.year, month: 1, day: 1).secondsIfUTC)).lowerBound
                guard yearStart < liveFrom, let cp = station.parameter(goal.pollutant), let qp = station.parameter(goal.flow) else { continue }
                do {
                    let cr = try await store.aggregate(AggregateQuery(series: c, range: yearStart..<liveFrom, step: 3_600, function: .avg))
                    let qr = try await store.aggregate(AggregateQuery(series: q, range: yearStart..<liveFrom, step: 3_600, function: .avg))
                    let flows = Dictionary(qr.map { ($0.start, $0) }, uniquingKeysWith: { a, _ in a })
                    var byDay: [Int64: Double] = [:]
                    for row in cr {
                        guard let cv = row.value, AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount), let f = flows[row.start], let qv = f.value, AmbientValidity.isValidHour(validReadings: f.validCount, expectedReadings: f.expectedCount),
                            let rate = EmissionLoad.rate(concentration: cv, unit: cp.unit, flow: qv, flowUnit: qp.unit)
                        else { continue }
                        byDay[calendar.day(containing: row.start).lowerBound, default: 0] += rate
                    }
                    for (day, kg) in byDay { engine.primeTargetLoad(rule: name, day: day, date: calendar.civil(at: day), kilograms: kg) }
                } catch {
                    logger.error("rules: cannot read \(c) for the reduction target \(name): \(error)")
                }
            }
            if from != .max { engine.countTargetsFrom(from) }
        }
    }

    /// Returns the transitions that close the alerts of rules removed while the daemon was stopped.
    func prime(store: any TimeSeriesStore, now: Int64, logger: Logger) async -> [AlertTransition] {
        guard !primed else { return [] }
        primed = true
        let retired = engine.retireRules(keeping: Set(engine.rules.map(\.name)), now: now)
        // Last heard: the newest stored reading of each station, so a station silent since
        // before the restart is still noticed; one never heard from stays unjudged.
        var series: [SeriesKey] = []
        for station in engine.stations.stations where !station.retired {
            for p in station.parameters {
                for kind in SeriesKind.allCases { series.append(SeriesKey(station: station.id, parameter: p.parameter.id, kind: kind)) }
            }
        }
        if let latest = try? await store.latest(of: series) {
            var newest: [String: StoredSample] = [:]
            for (key, s) in latest where s.time > newest[key.station]?.time ?? .min { newest[key.station] = s }
            for (station, s) in newest { engine.primeLastSeen(station, at: min(s.time, now), flag: s.flag) }
        }
        var replayed = 0
        for key in engine.averagedSeries() {
            let from = engine.replayStart(for: key, now: now)
            do {
                let samples = try await store.samples(of: key, in: from..<(now + 1))
                engine.replay(samples.map { Sample(series: key, time: $0.time, value: $0.value, flag: $0.flag) }, now: now)
                replayed += samples.count
            } catch {
                logger.error("rules: cannot read \(key) to rebuild its open hours and days: \(error)")
            }
        }
        var recent = 0
        for (key, lookback) in engine.seriesWithRecentReadings() {
            if let samples = try? await store.samples(of: key, in: (now - lookback)..<(now + 1)) {
                engine.replayRecent(samples.map { Sample(series: key, time: $0.time, value: $0.value, flag: $0.flag) })
                recent += samples.count
            }
        }
        replayed += recent
        await primeTargets(store: store, now: now, logger: logger)
        defer {
            if !retired.isEmpty { logger.notice("rules: \(retired.count) alerts of rules no longer in rules/ closed") }
        }
        logger.info("rules: \(engine.rules.count) rules, \(engine.activeInstances.count) alerts resumed, \(replayed) stored readings replayed into open hours and days and the memory of stuck and rate rules")
        return retired
    }
}

/// What the rule service has done, for logs and tests.
public struct RuleServiceFigures: Sendable, Hashable {
    /// Batches evaluated.
    public var batches = 0
    /// Readings evaluated.
    public var readings = 0
    /// Transitions written to the journal.
    public var recorded = 0
    /// Journal writes that failed (their transitions were retried).
    public var journalFailures = 0
    /// Ticks run.
    public var ticks = 0
    /// Clock faults the collectors reported.
    public var clockFaults = 0
}
