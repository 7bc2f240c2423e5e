/// One change of an alert instance's state, as written to the history and (when it tells
/// someone) to the outbox, in the same transaction as the new state.
public struct AlertTransition: Sendable, Hashable, Codable {
    /// The instance after the change.
    public var instance: AlertInstance
    /// The state before.
    public var from: AlertState
    /// When it happened: the measurement time of the reading (or the evaluation time) that caused it.
    public var at: Int64
    /// Why, for people: `COD 120 mg/L above 90 for 1h`.
    public var reason: String
    /// The notification it causes, or `nil` (pending, suppressed and pending-cancelled cause none).
    public var notification: AlertNotification?

    /// Creates a transition.
    public init(instance: AlertInstance, from: AlertState, at: Int64, reason: String, notification: AlertNotification?) {
        self.instance = instance
        self.from = from
        self.at = at
        self.reason = reason
        self.notification = notification
    }

    /// The new state.
    public var to: AlertState { instance.state }
}

/// A message for the people on duty, waiting in the outbox until the notifier delivers it.
///
/// Shaped after an Alertmanager alert (labels identify it, annotations describe it), so the
/// notifier can post it to a webhook or a real Alertmanager without re-deriving anything.
public struct AlertNotification: Sendable, Hashable, Codable {
    /// `firing` or `resolved` (a no-data alert is a firing alert whose `alertname` says so).
    public enum Status: String, Sendable, Hashable, Codable { case firing, resolved }

    /// Stable across retries and restarts: `rule/station/parameter/sequence`.
    public var idempotencyKey: String
    /// Firing or resolved.
    public var status: Status
    /// How urgent.
    public var severity: AlertSeverity
    /// Identifying labels: `alertname`, `station`, `parameter`, `severity`, and the rule's and station's labels.
    public var labels: [String: String]
    /// Descriptive text: `summary`, `description`, `value`, `limit`, `source`.
    public var annotations: [String: String]
    /// When the episode started (UTC seconds).
    public var startsAt: Int64
    /// When it ended, for a resolved notification.
    public var endsAt: Int64?

    /// Creates a notification.
    public init(
        idempotencyKey: String, status: Status, severity: AlertSeverity, labels: [String: String],
        annotations: [String: String], startsAt: Int64, endsAt: Int64? = nil
    ) {
        self.idempotencyKey = idempotencyKey
        self.status = status
        self.severity = severity
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}
