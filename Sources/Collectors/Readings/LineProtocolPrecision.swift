/// The unit of line protocol timestamps: the `precision` parameter of InfluxDB 1.x's `/write`.
public enum LineProtocolPrecision: String, Sendable, Hashable, CaseIterable {
    /// Nanoseconds: the default.
    case nanoseconds = "ns"
    /// Microseconds (`u`, also `us`).
    case microseconds = "u"
    /// Milliseconds.
    case milliseconds = "ms"
    /// Seconds.
    case seconds = "s"
    /// Minutes.
    case minutes = "m"
    /// Hours.
    case hours = "h"

    /// The precision a `precision` parameter names: `ns` (also `n` or none), `u` (also `us`,
    /// `µ`), `ms`, `s`, `m`, `h`; `nil` for anything else.
    public init?(parameter: String?) {
        switch parameter ?? "" {
        case "", "n", "ns": self = .nanoseconds
        case "u", "us", "µ", "µs": self = .microseconds
        case "ms": self = .milliseconds
        case "s": self = .seconds
        case "m": self = .minutes
        case "h": self = .hours
        default: return nil
        }
    }

    /// A timestamp of this precision in whole seconds (rounded down: the store keeps seconds);
    /// `nil` when it overflows.
    public func seconds(_ stamp: Int64) -> Int64? {
        switch self {
        case .nanoseconds: floorDivide(stamp, 1_000_000_000)
        case .microseconds: floorDivide(stamp, 1_000_000)
        case .milliseconds: floorDivide(stamp, 1_000)
        case .seconds: stamp
        case .minutes: multiply(stamp, 60)
        case .hours: multiply(stamp, 3_600)
        }
    }

    private func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? q - 1 : q
    }

    private func multiply(_ a: Int64, _ b: Int64) -> Int64? {
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }
}
