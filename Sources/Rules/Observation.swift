public import Monitoring

/// What one reading, hour or day says about a rule's condition: the input of the state machine.
public struct Observation: Sendable, Hashable {
    /// The verdict.
    public enum Verdict: Sendable, Hashable {
        /// The condition holds (a limit is exceeded, a flag is raised…).
        case breach
        /// The condition does not hold, and the clear condition does: a firing alert may resolve.
        case clear
        /// The condition does not hold, but the clear condition does not either (between the
        /// limit and the clear level): a pending alert stops, a firing one keeps firing.
        case hold
        /// Nothing can be said: a flagged reading, an invalid hour. Moves no timer, resolves nothing.
        case neutral
    }

    /// The verdict.
    public var verdict: Verdict
    /// The start of what was observed (a reading's time, an hour's first second).
    public var start: Int64
    /// The end of what was observed (a reading's time, an hour's end).
    public var end: Int64
    /// The value compared, if any.
    public var value: Double?
    /// What to tell people, rendered only when the observation moves the state (most readings
    /// move nothing, and formatting text for each would cost more than judging it).
    public var note: Note

    /// What an observation says, as data.
    public enum Note: Sendable, Hashable {
        /// Ready text.
        case text(String)
        /// `subject` (such as `COD reading`) above or below `limit`.
        case beyond(parameter: String, what: String, limit: Double, above: Bool)
        /// Within its limits.
        case within(parameter: String, what: String)
        /// A reading with a device flag.
        case flagged(parameter: String, flag: DataFlag)
        /// `count` readings within the tolerance.
        case stuck(parameter: String, count: Int)
        /// Moving again.
        case moving(parameter: String)
        /// Changing at `rate` per `per` seconds (limit `max`, when exceeded).
        case rate(parameter: String, rate: Double, per: Int64, max: Double?)
    }

    /// A short text for people: `COD reading 120 above 90`.
    public var detail: String {
        let v = value.map(RuleEngine.format) ?? "?"
        switch note {
        case .text(let t): return t
        case .beyond(let p, let what, let limit, let above): return "\(p) \(what) \(v) \(above ? "above" : "below") \(RuleEngine.format(limit))"
        case .within(let p, let what): return "\(p) \(what) \(v) within limits"
        case .flagged(let p, let flag): return "\(p) flagged \(flag.rawValue) (\(flag))"
        case .stuck(let p, let n): return "\(p) stuck at \(v) for \(n) readings"
        case .moving(let p): return "\(p) moving"
        case .rate(let p, let rate, let per, let max):
            return "\(p) changed \(RuleEngine.format(rate)) per \(RuleEngine.duration(per))" + (max.map { " (max \(RuleEngine.format($0)))" } ?? "")
        }
    }

    /// Creates an observation.
    public init(_ verdict: Verdict, start: Int64, end: Int64? = nil, value: Double? = nil, note: Note) {
        self.verdict = verdict
        self.start = start
        self.end = end ?? start
        self.value = value
        self.note = note
    }

    /// Creates an observation with ready text.
    public init(_ verdict: Verdict, start: Int64, end: Int64? = nil, value: Double? = nil, detail: String = "") {
        self.init(verdict, start: start, end: end, value: value, note: .text(detail))
    }
}
