/// The alert journal, the outbox, silences, acknowledgements and the case register as stored,
/// row for row with their ids: what `envmon migrate` copies from one store to another, so that
/// episode ids (in acknowledgements and cases), outbox ids (in deliveries) and transition ids
/// (in the outbox) still point at the same rows afterwards.
public struct AlertStateRows: Sendable, Hashable {
    /// Every instance that is not inactive.
    public var instances: [AlertInstance]
    /// The history.
    public var transitions: [Transition]
    /// The episodes.
    public var episodes: [AlertEpisode]
    /// The outbox's notifications.
    public var notifications: [Notification]
    /// Their deliveries, one per (notification, receiver).
    public var deliveries: [Delivery]
    /// Silences, ended ones included.
    public var silences: [SilenceRow]
    /// Acknowledgements (their ``AlertAcknowledgement/key`` and ``AlertAcknowledgement/startedAt``
    /// are the episode's, and not stored twice).
    public var acknowledgements: [AlertAcknowledgement]
    /// The cases as they stand.
    public var cases: [CaseRecord]
    /// Their histories.
    public var caseEvents: [CaseEvent]

    /// Creates a set of rows.
    public init(
        instances: [AlertInstance] = [], transitions: [Transition] = [], episodes: [AlertEpisode] = [], notifications: [Notification] = [],
        deliveries: [Delivery] = [], silences: [SilenceRow] = [], acknowledgements: [AlertAcknowledgement] = [], cases: [CaseRecord] = [],
        caseEvents: [CaseEvent] = []
    ) {
        self.instances = instances
        self.transitions = transitions
        self.episodes = episodes
        self.notifications = notifications
        self.deliveries = deliveries
        self.silences = silences
        self.acknowledgements = acknowledgements
        self.cases = cases
        self.caseEvents = caseEvents
    }

    /// A row of the history.
    public struct Transition: Sendable, Hashable {
        public var id: Int64
        public var key: AlertKey
        public var sequence: Int
        public var from: AlertState
        public var to: AlertState
        public var at: Int64
        public var recordedAt: Int64
        public var value: Double?
        public var reason: String

        /// Creates a row.
        public init(
            id: Int64, key: AlertKey, sequence: Int, from: AlertState, to: AlertState, at: Int64, recordedAt: Int64, value: Double?, reason: String
        ) {
            self.id = id
            self.key = key
            self.sequence = sequence
            self.from = from
            self.to = to
            self.at = at
            self.recordedAt = recordedAt
            self.value = value
            self.reason = reason
        }
    }

    /// A row of the outbox: the payload as stored (its JSON text), not decoded and encoded again.
    public struct Notification: Sendable, Hashable {
        public var id: Int64
        public var idempotencyKey: String
        /// The transition that queued it; nil for the notifier's own.
        public var transition: Int64?
        public var createdAt: Int64
        public var payload: String
        public var routedAt: Int64?
        public var deliveredAt: Int64?

        /// Creates a row.
        public init(
            id: Int64, idempotencyKey: String, transition: Int64?, createdAt: Int64, payload: String, routedAt: Int64?, deliveredAt: Int64?
        ) {
            self.id = id
            self.idempotencyKey = idempotencyKey
            self.transition = transition
            self.createdAt = createdAt
            self.payload = payload
            self.routedAt = routedAt
            self.deliveredAt = deliveredAt
        }
    }

    /// A delivery of a notification to one receiver, with its lease if claimed.
    public struct Delivery: Sendable, Hashable {
        public var outbox: Int64
        public var receiver: String
        /// `waiting`, `delivered`, `dead` or `held`.
        public var state: String
        public var attempts: Int
        public var dueAt: Int64
        public var claimant: String?
        public var leaseUntil: Int64?
        public var lastError: String?
        public var finishedAt: Int64?
        public var message: String?

        /// Creates a row.
        public init(
            outbox: Int64, receiver: String, state: String, attempts: Int, dueAt: Int64, claimant: String? = nil, leaseUntil: Int64? = nil,
            lastError: String? = nil, finishedAt: Int64? = nil, message: String? = nil
        ) {
            self.outbox = outbox
            self.receiver = receiver
            self.state = state
            self.attempts = attempts
            self.dueAt = dueAt
            self.claimant = claimant
            self.leaseUntil = leaseUntil
            self.lastError = lastError
            self.finishedAt = finishedAt
            self.message = message
        }
    }

    /// A silence with when it was expired by hand, if it was.
    public struct SilenceRow: Sendable, Hashable {
        public var silence: Silence
        public var expiredAt: Int64?

        /// Creates a row.
        public init(silence: Silence, expiredAt: Int64? = nil) {
            self.silence = silence
            self.expiredAt = expiredAt
        }
    }

    /// How many rows of each table, for the counts `envmon migrate` compares.
    public var counts: [String: Int] {
        [
            "alert_instance": instances.count, "alert_transition": transitions.count, "alert_episode": episodes.count,
            "alert_outbox": notifications.count, "outbox_delivery": deliveries.count, "silence": silences.count,
            "alert_ack": acknowledgements.count, "case_record": cases.count, "case_event": caseEvents.count,
        ]
    }
}
