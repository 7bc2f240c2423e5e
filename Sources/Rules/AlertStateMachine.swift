public import Store

/// The transitions of a condition alert (threshold, rate, stuck, device flag): pure, so every
/// edge is tested without a clock, a store or a daemon.
///
/// - A breach starts a pending period at the observation's start; the alert fires when a breach
///   ends at least `holdFor` after that start (measurement time, not arrival time). With
///   `holdFor` 0 it fires at once.
/// - Anything but a breach ends a pending period. Neutral observations (flagged readings,
///   invalid hours) move nothing: they neither extend nor break a period.
/// - A firing alert resolves only after clear observations spanning `clearFor`; a `hold`
///   (between limit and clear level) or a breach restarts that count. Silence changes nothing.
///   The resolution is dated when the clear condition began.
/// - Observations older than the newest one seen are ignored, so a replay after a restart or a
///   re-sent reading cannot move the state twice.
public enum AlertStateMachine {
    /// What a step produced: the instance after it, and whether its state changed.
    public struct Step: Sendable {
        /// The instance after the observation.
        public var instance: AlertInstance
        /// The state before, when it changed.
        public var changedFrom: AlertState?
    }

    /// Applies one observation.
    public static func step(_ current: AlertInstance, _ o: Observation, holdFor: Int64, clearFor: Int64, peakIsMax: Bool = true) -> Step {
        var i = current
        let from = advance(&i, o, holdFor: holdFor, clearFor: clearFor, peakIsMax: peakIsMax)
        return Step(instance: i, changedFrom: from)
    }

    /// Applies one observation in place (the engine's hot path: no copy of the instance).
    /// - Returns: the state before, when it changed.
    public static func advance(_ i: inout AlertInstance, _ o: Observation, holdFor: Int64, clearFor: Int64, peakIsMax: Bool = true)
        -> AlertState?
    {
        if let last = i.lastObserved, o.end < last { return nil }
        if o.verdict == .neutral { return nil }
        i.lastObserved = o.end
        let before = i.state
        switch (i.state, o.verdict) {
        case (.inactive, .breach), (.resolved, .breach), (.noData, .breach), (.suppressed, .breach):
            i.pendingSince = o.start
            i.clearingSince = nil
            i.value = o.value
            i.peak = o.value
            if o.end - o.start >= holdFor {
                enter(.firing, &i, at: o.end)
            } else {
                enter(.pending, &i, at: o.start)
            }
        case (.pending, .breach):
            i.value = o.value
            i.peak = worse(i.peak, o.value, peakIsMax)
            if o.end - (i.pendingSince ?? o.start) >= holdFor { enter(.firing, &i, at: o.end) }
        case (.pending, .clear), (.pending, .hold):
            i.pendingSince = nil
            i.value = o.value
            i.peak = nil
            enter(.inactive, &i, at: o.start)
        case (.firing, .breach):
            i.value = o.value
            i.peak = worse(i.peak, o.value, peakIsMax)
            i.clearingSince = nil
        case (.firing, .hold):
            i.value = o.value
            i.clearingSince = nil
        case (.firing, .clear):
            i.value = o.value
            let since = i.clearingSince ?? o.start
            i.clearingSince = since
            if o.end - since >= clearFor {
                // pendingSince stays: the resolved notification's startsAt is the episode's
                // start, as the firing one's was (Alertmanager identifies an alert by it).
                i.clearingSince = nil
                // The episode ended when the clear condition began (for an hour or a day, its
                // start), though it is known only now: reports measure durations by it.
                enter(.resolved, &i, at: since)
            }
        case (.inactive, _), (.resolved, _), (.noData, _), (.suppressed, _):
            i.value = o.value
        case (_, .neutral):
            break
        }
        return i.state != before ? before : nil
    }

    static func enter(_ state: AlertState, _ i: inout AlertInstance, at t: Int64) {
        i.state = state
        i.since = t
        i.sequence += 1
    }

    private static func worse(_ a: Double?, _ b: Double?, _ isMax: Bool) -> Double? {
        guard let a else { return b }
        guard let b else { return a }
        return isMax ? max(a, b) : min(a, b)
    }
}
