/// What one readiness check found: the part of the daemon it looks at works, or it does not and why.
public enum HealthStatus: Sendable, Hashable {
    /// It works.
    case ok
    /// It does not; the reason is shown to whoever asks `/readyz` and logged by the watchdog.
    case failing(String)

    /// Whether the status is ``ok``.
    public var isOK: Bool { self == .ok }
}

/// One readiness check of the daemon: a name and a function that looks.
///
/// `/readyz` runs every check at each request and answers 200 when all pass, 503 naming the
/// failing ones otherwise; the systemd watchdog pings only while all pass. A check should be
/// cheap (it runs every few seconds) and must not block: one that has not answered within
/// ``HealthCheck/timeout`` counts as failing.
///
/// ```swift
/// let store = HealthCheck("store") { store.fileProblem.map { .failing($0) } ?? .ok }
/// let notifier = HealthCheck("notifier") { await outbox.deadLettering ? .failing("dead-lettering") : .ok }
/// ```
public struct HealthCheck: Sendable {
    /// The check's name, as `/readyz` lists it: short, lower case (`store`, `hj212`).
    public var name: String
    /// Looks and says what it found.
    public var check: @Sendable () async -> HealthStatus
    /// How long the check may take before it counts as failing.
    public var timeout: Duration

    /// Creates a check.
    /// - Parameters:
    ///   - name: the name `/readyz` lists.
    ///   - timeout: how long it may take before it counts as failing (2 s).
    ///   - check: looks and says what it found.
    public init(_ name: String, timeout: Duration = .seconds(2), check: @escaping @Sendable () async -> HealthStatus) {
        self.name = name
        self.timeout = timeout
        self.check = check
    }

    /// A check that passes while `port()` names the port a listener is bound to.
    /// - Parameters:
    ///   - name: the name `/readyz` lists (`hj212`).
    ///   - port: the bound port, or `nil` while the listener is not listening.
    public static func listening(_ name: String, port: @escaping @Sendable () async -> Int?) -> HealthCheck {
        HealthCheck(name) { await port() == nil ? .failing("not listening") : .ok }
    }
}
