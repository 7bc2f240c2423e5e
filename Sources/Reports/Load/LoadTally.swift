public import Monitoring

/// A load in kilograms, measured and substituted kept apart, with the hours behind it.
public struct LoadTally: Sendable, Hashable {
    /// Kilograms from hours with a valid concentration and a valid flow, and from substitutes.
    public var load = CumulativeLoad()
    /// Hours with a valid concentration and a valid flow.
    public var measuredHours = 0
    /// Hours whose concentration or flow (or both) was substituted.
    public var substitutedHours = 0
    /// Hours the source was stopped (flag F): no emission.
    public var stoppedHours = 0
    /// Hours neither measured nor substituted (before the station's first valid hour).
    public var missingHours = 0

    /// An empty tally.
    public init() {}

    /// Adds another tally (of another hour, station or period).
    public mutating func add(_ other: LoadTally) {
        load.measured += other.load.measured
        load.substituted += other.load.substituted
        measuredHours += other.measuredHours
        substitutedHours += other.substitutedHours
        stoppedHours += other.stoppedHours
        missingHours += other.missingHours
    }
}
