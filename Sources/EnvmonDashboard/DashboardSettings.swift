/// The `dashboard:` section of the config.
///
/// ```yaml
/// dashboard:
///   enabled: true        # the pages at / (on by default)
///   open: false          # reading pages without a login; only with http.host on loopback (the demo)
///   session: 12h         # how long a login lasts
/// ```
public struct DashboardSettings: Sendable, Equatable {
    /// Whether the daemon serves the pages at all.
    public var enabled: Bool
    /// Whether reading pages are open without a login. The config loader accepts it only when
    /// the listener is bound to a loopback address, so that only this machine's users see them.
    public var open: Bool
    /// How long a login lasts, in seconds.
    public var sessionSeconds: Int64

    /// The settings; by default the pages are on, behind a login of 12 hours.
    public init(enabled: Bool = true, open: Bool = false, sessionSeconds: Int64 = 12 * 3_600) {
        self.enabled = enabled
        self.open = open
        self.sessionSeconds = sessionSeconds
    }
}

extension DashboardSettings {
    /// Whether a listen address is this machine only: `127.0.0.0/8`, `::1`, `localhost`.
    public static func isLoopback(host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
