/// Where one alert instance — one (rule, station, parameter) — stands.
///
/// ```
/// inactive ─breach─► pending ─held `for`─► firing ─clear─► resolved ─breach─► pending …
///     └──────────── breach, `for: 0` ───────────┘
/// inactive ─silent past `after`─► no-data ─reading─► resolved        (one per station)
/// inactive ─silent while stopped or in maintenance─► suppressed ─reading─► resolved
/// ```
/// A firing instance whose data stops stays firing: only a valid reading that meets the clear
/// condition resolves it, never silence.
public enum AlertState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Nothing is wrong, or nothing has been seen yet.
    case inactive
    /// The condition holds but not yet for the rule's `for` duration.
    case pending
    /// The condition has held for `for`: people are told.
    case firing
    /// It was firing (or no-data) and the clear condition has been met.
    case resolved
    /// The station has sent nothing for longer than it should (the per-station deadman).
    case noData = "no-data"
    /// Silent, but the station said why (source stopped, maintenance): recorded, nobody told.
    case suppressed

    /// Whether the instance is an open episode: someone was or would be told and it is not over.
    public var isActive: Bool { self == .firing || self == .noData || self == .suppressed }
}

/// How urgent an alert is; passed through to notifications for routing.
public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case info, warning, critical

    public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
