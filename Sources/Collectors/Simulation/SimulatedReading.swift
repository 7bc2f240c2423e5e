public import Monitoring

/// One value a simulated field unit sent, and what the collector will store for it.
public struct SimulatedReading: Sendable, Hashable {
    /// The parameter's catalogue id.
    public var parameter: String
    /// The HJ 212-2017 factor code.
    public var code: String
    /// The stored value: the text sent (`Rtd`, or `Avg` for minute and hour data) read as HJ 212
    /// reads it, converted to the stored unit.
    public var value: Double
    /// The value as sent, in the reported unit (`Rtd` or `Avg`).
    public var text: String
    /// `Min` and `Max` as sent, for minute and hour data.
    public var minText: String?
    /// See ``minText``.
    public var maxText: String?
    /// The data flag sent.
    public var flag: DataFlag
}
