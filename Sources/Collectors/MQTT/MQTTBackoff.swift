/// Exponential backoff with jitter for reconnecting to the broker: the n-th retry in a row waits
/// a random time in [d/2, d], where d = `minimum` × 2ⁿ⁻¹ capped at `maximum` ("equal jitter": never
/// all at once after a broker restart, never less than half the step).
public struct MQTTBackoff: Sendable, Hashable {
    /// The first step, in milliseconds.
    public var minimumMilliseconds = 1_000
    /// The largest step, in milliseconds.
    public var maximumMilliseconds = 60_000

    /// Creates a backoff.
    public init(minimumMilliseconds: Int = 1_000, maximumMilliseconds: Int = 60_000) {
        self.minimumMilliseconds = minimumMilliseconds
        self.maximumMilliseconds = max(minimumMilliseconds, maximumMilliseconds)
    }

    /// The step before jitter of retry `attempt` (1 for the first retry).
    public func step(attempt: Int) -> Int {
        let doublings = min(max(attempt - 1, 0), 40)
        let step = Double(minimumMilliseconds) * Double(1 << doublings)
        return Int(min(step, Double(maximumMilliseconds)))
    }

    /// How long to wait before retry `attempt`, in milliseconds; `unit` is a random number in
    /// [0, 1) (injected: tests pass fixed ones).
    public func delay(attempt: Int, unit: Double) -> Int {
        let step = self.step(attempt: attempt)
        let half = step / 2
        return half + Int(Double(step - half) * min(max(unit, 0), 1))
    }
}
