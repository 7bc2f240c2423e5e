import Foundation

/// The system clock in the units the stores and services take: the default wherever a clock is
/// injected (`now:` parameters, audit stamps), whichever store is in use.
public enum WallClock {
    /// Seconds since the epoch by the system clock.
    public static func seconds() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Milliseconds since the epoch by the system clock (the notifier's times).
    public static func milliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }
}
