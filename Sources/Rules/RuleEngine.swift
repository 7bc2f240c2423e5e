import Foundation
public import Monitoring
public import Store

/// Evaluates rules on readings as they are committed, and on time (`for` durations of hourly and
/// daily means, silent stations) when ``tick(now:)`` is called. No I/O and no clock of its own:
/// the caller passes the time, persists the transitions it returns, and feeds it the instances
/// it persisted before a restart.
///
/// ```swift
/// let engine = RuleEngine(rules: rules, stations: registry, instances: try await journal.loadAlertInstances())
/// let transitions = engine.ingest(committedSamples, receivedAt: now)   // then journal.record(transitions…)
/// let more = engine.tick(now: now)                                     // every few seconds
/// ```
///
/// Work per reading is a dictionary lookup of its series (cached per series) and a loop over the
/// rules that apply to it; matching rules to a series happens once, on its first reading.
/// Not thread-safe: one owner (``RuleService``) calls it.
public final class RuleEngine {
    /// The rules, in file order.
    public let rules: [Rule]
    /// How long after an hour or a day ends late readings are still waited for before it is judged.
    public let grace: Int64
    var stations: StationRegistry

    var instances: [AlertInstance] = []
    var instanceIndex: [AlertKey: Int] = [:]
    var routeIndex: [SeriesKey: Int] = [:]
    var routes: [Route] = []
    var stationStates: [String: StationState] = [:]
    var calendars: [String: ZoneCalendar] = [:]
    /// Instances changed without a transition since ``takeUpdates()`` (value, peak, timers).
    var dirty: Set<Int> = []
    /// Per reduction-target rule: the load so far by year, the loads of days not yet counted, and
    /// the first day that may still be counted (earlier ones were primed from the store).
    var targets: [Int: TargetProgress] = [:]
    /// Routes with open hours or days, so a tick looks only at them.
    var averagingRoutes: Set<Int> = []
    /// The case register as last read (``updateCases(_:)``), for `case_overdue` rules.
    var cases: [CaseRecord] = []
    /// Counters, for logs and tests.
    public internal(set) var statistics = Statistics()

    /// What the engine has done since it was made.
    public struct Statistics: Sendable, Hashable {
        /// Readings evaluated.
        public var readings = 0
        /// Readings of series no rule applies to.
        public var unmatched = 0
        /// Readings that came after their hour or day had been judged (beyond the grace window).
        public var lateBeyondGrace = 0
        /// Hours and days judged.
        public var bucketsClosed = 0
        /// Transitions produced.
        public var transitions = 0
    }

    /// Creates an engine.
    /// - Parameters:
    ///   - rules: the rules (names unique).
    ///   - stations: the stations rules may apply to.
    ///   - instances: persisted instances, to resume their state and timers.
    ///   - grace: seconds to wait for late readings after an hour or a day ends.
    public init(rules: [Rule], stations: StationRegistry, instances: [AlertInstance] = [], grace: Int64 = 600) {
        self.rules = rules
        self.stations = stations
        self.grace = grace
        for i in instances { adopt(i) }
        for station in stations.stations where !station.retired {
            var state = StationState(deadman: deadmanSlots(for: station))
            state.daySlots = stationDaySlots(for: station)
            state.targets = targetRules(for: station)
            state.clock = clockSlots(for: station)
            stationStates[station.id] = state
        }
    }

    /// The pending, firing and other open instances whose value, peak or timers changed without
    /// a transition since the last call: persist them with the transitions.
    public func takeUpdates() -> [AlertInstance] {
        defer { dirty.removeAll(keepingCapacity: true) }
        return dirty.sorted().map { instances[$0] }.filter { $0.state != .inactive && $0.state != .resolved }
    }

    /// Instances not inactive: pending, firing, resolved, no-data, suppressed.
    public var activeInstances: [AlertInstance] { instances.filter { $0.state != .inactive } }

    /// The instance of a key, if it exists.
    public func instance(_ key: AlertKey) -> AlertInstance? { instanceIndex[key].map { instances[$0] } }

    /// Tells the engine when a station was last heard from before it started (measurement time
    /// of its newest stored reading), so a station silent since before a restart still raises
    /// its no-data alert. Stations never heard from are never declared silent.
    public func primeLastSeen(_ station: String, at time: Int64, flag: DataFlag = .normal) {
        guard var s = stationStates[station], s.lastSeen == nil else { return }
        s.lastSeen = time
        s.lastFlag = flag
        stationStates[station] = s
    }

    /// Evaluates committed readings. Re-sent duplicates should not be passed (they were
    /// evaluated when first committed), but would move nothing.
    /// - Parameters:
    ///   - samples: the readings, in commit order.
    ///   - now: when they were committed: the arrival time for the no-data deadman.
    /// - Returns: the transitions, in the order they happened; persist them.
    public func ingest(_ samples: some Collection<Sample>, receivedAt now: Int64) -> [AlertTransition] {
        var out: [AlertTransition] = []
        // A frame's readings come together: the station is marked heard once per run of them.
        var current: (station: String, flag: DataFlag)?
        for sample in samples {
            statistics.readings += 1
            if let c = current, c.station != sample.series.station { heard(c.station, flag: c.flag, at: now, into: &out) }
            current = (sample.series.station, sample.flag)
            let r = route(for: sample.series)
            guard r >= 0 else {
                statistics.unmatched += 1
                continue
            }
            if !routes[r].readingSlots.isEmpty { evaluateReading(sample, route: r, into: &out) }
            if routes[r].averages { accumulate(sample, route: r, now: now) }
        }
        if let c = current { heard(c.station, flag: c.flag, at: now, into: &out) }
        statistics.transitions += out.count
        return out
    }

    /// Feeds stored readings to the hourly and daily means only (after a restart, to rebuild the
    /// hours and days still open); readings rules and the deadman are not moved.
    public func replay(_ samples: some Collection<Sample>, now: Int64) {
        var replayed = Set<Int>()
        for sample in samples {
            let r = route(for: sample.series)
            if r >= 0 && routes[r].averages {
                accumulate(sample, route: r, now: now)
                replayed.insert(r)
            }
        }
        // The replay starts an hour before the first day still open (``replayStart(for:now:)``);
        // the days before it were judged by the daemon before this one, and an hour of them is
        // not a day to judge again (it fired "1 of 24 readings" for every series at each restart).
        for r in replayed {
            let open = calendar(for: routes[r].station).day(containing: now - grace).lowerBound
            routes[r].daysJudgedBefore = max(routes[r].daysJudgedBefore, open)
        }
    }

    /// Judges the hours and days whose grace window has passed, and silent stations.
    public func tick(now: Int64) -> [AlertTransition] {
        var out: [AlertTransition] = []
        closeBuckets(now: now, into: &out)
        checkSilence(now: now, into: &out)
        checkCases(now: now, into: &out)
        statistics.transitions += out.count
        return out
    }

    /// Replaces the stations (sensors/ reloaded). Series are matched to rules again on their next reading.
    public func updateStations(_ registry: StationRegistry) {
        stations = registry
        routeIndex.removeAll()
        routes.removeAll()
        averagingRoutes.removeAll()
        var states: [String: StationState] = [:]
        for station in registry.stations where !station.retired {
            var s = stationStates[station.id] ?? StationState(deadman: [])
            s.deadman = deadmanSlots(for: station)
            s.daySlots = stationDaySlots(for: station)
            s.targets = targetRules(for: station)
            let counted = Dictionary(s.clock.map { ($0.rule, $0.faults) }, uniquingKeysWith: { a, _ in a })
            s.clock = clockSlots(for: station).map { var c = $0; c.faults = counted[c.rule] ?? []; return c }
            states[station.id] = s
        }
        stationStates = states
    }

    // MARK: - Instances

    func adopt(_ instance: AlertInstance) {
        if let i = instanceIndex[instance.key] {
            instances[i] = instance
        } else {
            instanceIndex[instance.key] = instances.count
            instances.append(instance)
        }
    }

    func instanceSlot(_ key: AlertKey) -> Int {
        if let i = instanceIndex[key] { return i }
        instanceIndex[key] = instances.count
        instances.append(AlertInstance(key: key))
        return instances.count - 1
    }

    func calendar(for station: Station) -> ZoneCalendar {
        if let c = calendars[station.timeZone.identifier] { return c }
        let c = ZoneCalendar(station.timeZone)
        calendars[station.timeZone.identifier] = c
        return c
    }
}
