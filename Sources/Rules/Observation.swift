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
    /// A short text for people: `COD 120 > 90 mg/L (hour mean)`.
    public var detail: String

    /// Creates an observation.
    public init(_ verdict: Verdict, start: Int64, end: Int64? = nil, value: Double? = nil, detail: String = "") {
        self.verdict = verdict
        self.start = start
        self.end = end ?? start
        self.value = value
        self.detail = detail
    }
}
