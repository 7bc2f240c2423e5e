/// Where alert state, its history and the outbox are kept (the seam between the rule engine and
/// a store): SQLite now, PostgreSQL later.
public protocol AlertJournal: Sendable {
    /// Every instance that is not inactive, to resume after a restart.
    func loadAlertInstances() async throws(StoreError) -> [AlertInstance]

    /// Writes the transitions in one transaction: each instance's new state, the history row,
    /// the episode it opens or closes and its notification in the outbox. All or nothing.
    /// - Parameters:
    ///   - transitions: the state changes, in order.
    ///   - updates: instances whose state did not change but whose timers or values did (a
    ///     firing alert's latest value and peak, a clearing period that started), written in
    ///     the same transaction so a restart resumes them.
    ///   - recordedAt: the wall-clock time of the evaluation, for the history.
    func record(_ transitions: [AlertTransition], updates: [AlertInstance], recordedAt: Int64) async throws(StoreError)

    /// The transitions recorded at or after `since` (wall-clock), newest first, at most `limit`.
    func alertHistory(since: Int64, limit: Int) async throws(StoreError) -> [AlertHistoryEntry]

    /// Episodes (firing or no-data periods) that started in `range` or are still open.
    func alertEpisodes(overlapping range: Range<Int64>) async throws(StoreError) -> [AlertEpisode]

    /// Notifications not yet delivered, oldest first.
    func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry]
}

/// A row of the alert history.
public struct AlertHistoryEntry: Sendable, Hashable, Codable {
    /// Which instance.
    public var key: AlertKey
    /// From which state.
    public var from: AlertState
    /// To which state.
    public var to: AlertState
    /// When it happened (measurement or evaluation time).
    public var at: Int64
    /// When it was written (wall clock).
    public var recordedAt: Int64
    /// The value that caused it.
    public var value: Double?
    /// Why.
    public var reason: String

    /// Creates an entry (the journal makes them; other stores and tests too).
    public init(key: AlertKey, from: AlertState, to: AlertState, at: Int64, recordedAt: Int64, value: Double?, reason: String) {
        self.key = key
        self.from = from
        self.to = to
        self.at = at
        self.recordedAt = recordedAt
        self.value = value
        self.reason = reason
    }
}

/// A period an instance spent firing (or without data), for reports.
public struct AlertEpisode: Sendable, Hashable, Codable {
    /// The episode's id.
    public var id: Int64
    /// Which instance.
    public var key: AlertKey
    /// `firing`, `no-data` or `suppressed`.
    public var state: AlertState
    /// When the condition started to hold.
    public var startedAt: Int64
    /// When it fired.
    public var firedAt: Int64
    /// When it resolved; `nil` while open.
    public var endedAt: Int64?
    /// The worst value seen.
    public var peak: Double?
    /// How urgent.
    public var severity: AlertSeverity?

    /// Creates an episode (the journal makes them; reports and tests read them).
    public init(
        id: Int64, key: AlertKey, state: AlertState, startedAt: Int64, firedAt: Int64, endedAt: Int64? = nil, peak: Double? = nil,
        severity: AlertSeverity? = nil
    ) {
        self.id = id
        self.key = key
        self.state = state
        self.startedAt = startedAt
        self.firedAt = firedAt
        self.endedAt = endedAt
        self.peak = peak
        self.severity = severity
    }
}

/// A notification waiting in the outbox.
public struct OutboxEntry: Sendable, Hashable {
    /// The outbox row id: delivery order.
    public var id: Int64
    /// The notification.
    public var notification: AlertNotification
    /// When it was written (wall clock).
    public var createdAt: Int64

    /// Creates an entry.
    public init(id: Int64, notification: AlertNotification, createdAt: Int64) {
        self.id = id
        self.notification = notification
        self.createdAt = createdAt
    }
}
