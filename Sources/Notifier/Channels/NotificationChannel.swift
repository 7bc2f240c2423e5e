public import Store

/// A place messages go: an integration of a receiver (a webhook, a mailbox, a robot…). The
/// notifier hands it one group's message at a time and acts on the outcome: delivered, retried
/// with backoff, or dead-lettered. A channel never throws and never retries by itself.
public protocol NotificationChannel: Sendable {
    /// Sends `message`; `now` is the wall time in seconds (for `Retry-After` dates, signatures).
    func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome
}

/// What goes out in one message: the alerts of one group with one status (firing and resolved
/// go in separate messages).
public struct NotificationMessage: Sendable {
    /// The receiver's name (not the target's).
    public var receiver: String
    /// The group's key (``MatchedRoute/groupKey(of:)``).
    public var groupKey: String
    /// The group's labels.
    public var groupLabels: [String: String]
    /// `firing` or `resolved`.
    public var status: AlertNotification.Status
    /// The notifications, oldest first; each with the outbox id it came from (0 for a re-send).
    public var alerts: [MessageAlert]
    /// The dashboard's base address, if configured.
    public var externalURL: String?
    /// Stable for the same set of notifications: what receivers deduplicate on
    /// (`Idempotency-Key`). Derived from the alerts' idempotency keys and the target.
    public var idempotencyKey: String

    /// Creates a message.
    public init(
        receiver: String, groupKey: String, groupLabels: [String: String], status: AlertNotification.Status, alerts: [MessageAlert],
        externalURL: String?, idempotencyKey: String
    ) {
        self.receiver = receiver
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.status = status
        self.alerts = alerts
        self.externalURL = externalURL
        self.idempotencyKey = idempotencyKey
    }

    /// Labels every alert shares.
    public var commonLabels: [String: String] { Self.common(alerts.map(\.notification.labels)) }
    /// Annotations every alert shares.
    public var commonAnnotations: [String: String] { Self.common(alerts.map(\.notification.annotations)) }

    static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var out = maps.first else { return [:] }
        for m in maps.dropFirst() { out = out.filter { m[$0.key] == $0.value } }
        return out
    }
}

/// One alert in a message.
public struct MessageAlert: Sendable, Hashable {
    /// The outbox row (0 when the alert is sent again from the group's memory: a repeat).
    public var outboxID: Int64
    /// The notification.
    public var notification: AlertNotification

    /// Creates an alert of a message.
    public init(outboxID: Int64, notification: AlertNotification) {
        self.outboxID = outboxID
        self.notification = notification
    }

    /// Alertmanager's fingerprint: 16 hex digits identifying the alert by its identity
    /// (`alertname`, `station`, `parameter`), stable across its episodes.
    public var fingerprint: String {
        let l = notification.labels
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a, 64 bits
        for byte in "\(l["alertname"] ?? "")\u{0}\(l["station"] ?? "")\u{0}\(l["parameter"] ?? "")".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
