/// The notifier's side of the outbox: what the rule engine queued (``AlertJournal``), routed to
/// delivery targets (a receiver's integrations) and delivered to each on its own, so that one
/// target's outage never holds another's.
///
/// A notification is first *routed* (the notifier's routing tree names its targets), which
/// creates one delivery per target, due when its group is next sent; each delivery is then
/// *claimed* when due, and ends *delivered*, *dead-lettered* or *held* (by a silence, an
/// acknowledgement, a maintenance window or an inhibition), or is *scheduled again* with the
/// reason. A claim is a lease: the claimant owns the delivery until it reports or the lease runs
/// out (a daemon that died mid-send), after which it is due again, so delivery is at least once.
/// The first attempt names the message a delivery went out in (``assignMessage(_:to:target:)``),
/// so a retry sends the same message with the same idempotency key. Nothing is deleted until
/// every target it was routed to has finished with it (``purgeFinished(before:)``).
///
/// Every call takes many notifications at once: the notifier shares the store's one writer
/// with the collectors, and a transaction per notification would hold their commits up.
///
/// Shaped for PostgreSQL too: a claim is `UPDATE … WHERE (id, target) IN (SELECT … FOR UPDATE
/// SKIP LOCKED LIMIT n) RETURNING …`, so several daemons can drain one outbox.
public protocol Outbox: Sendable {
    /// Notifications not routed yet, oldest first.
    func unroutedNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry]

    /// Routes notifications to their targets, in one transaction; a notification routed to
    /// none (no target wants it) is finished at once.
    func route(_ routings: [OutboxRouting], now: Int64) async throws(StoreError)

    /// Queues a notification the notifier makes itself (a repeat, a release after a silence, an
    /// internal alert), routed at once to `targets`; returns its id.
    func enqueue(_ notification: AlertNotification, routedTo targets: [OutboxRouting.Delivery], now: Int64) async throws(StoreError) -> Int64

    /// Claims up to `limit` deliveries to `target` due at `now`, oldest first, for `claimant`
    /// until `leaseUntil`; a delivery claimed by someone else whose lease has not run out is not
    /// returned. Counts the attempt.
    func claimDeliveries(
        target: String, now: Int64, limit: Int, claimant: String, leaseUntil: Int64
    ) async throws(StoreError) -> [OutboxDelivery]

    /// Records which message each delivery goes out in (its first attempt); later attempts keep it.
    func assignMessage(_ assignments: [(id: Int64, message: String)], target: String) async throws(StoreError)

    /// Ends deliveries: delivered, dead-lettered or held, with why (nil for delivered).
    func finish(_ ids: [Int64], target: String, as outcome: DeliveryOutcome, at: Int64, reason: String?) async throws(StoreError)

    /// Gives claimed deliveries back unsent (the notifier stops or reloads): due at once again,
    /// their attempt not counted.
    func releaseClaims(_ ids: [Int64], target: String) async throws(StoreError)

    /// The deliveries failed for now: due again at `retryAt`, with why.
    func scheduleRetry(_ ids: [Int64], target: String, retryAt: Int64, reason: String) async throws(StoreError)

    /// At a notifier's start: ends the claims no running daemon can hold any more, so that what
    /// a killed daemon was sending is due at once instead of when its lease ends (two minutes by
    /// default). A store one daemon owns at a time (SQLite, under its daemon lock) ends every
    /// claim; a shared one (PostgreSQL) none, since another daemon may be sending them.
    /// The attempts stay counted. Returns how many were ended.
    func endOrphanedClaims() async throws(StoreError) -> Int

    /// When the next delivery to `target` is due (claimed ones from their lease's end), if any.
    func nextDue(target: String) async throws(StoreError) -> Int64?

    /// Per target: deliveries waiting (due or not, claimed or not), dead-lettered and held.
    func deliveryCounts() async throws(StoreError) -> [String: OutboxDepth]

    /// Per target, the deliveries not finished: cheap (the index of waiting ones), for a gauge.
    func waitingCounts() async throws(StoreError) -> [String: Int]

    /// Finished deliveries that did not reach their target (held or dead-lettered), newest first;
    /// none for ``DeliveryOutcome/delivered``.
    func undelivered(_ outcome: DeliveryOutcome, since: Int64, limit: Int) async throws(StoreError) -> [FinishedDelivery]

    /// The newest notification queued for each of `keys` (by its idempotency key
    /// `rule/station/parameter/…`), while the outbox still has it: what a restarted notifier
    /// remembers of the alerts that fire.
    func latestNotifications(of keys: [AlertKey]) async throws(StoreError) -> [AlertKey: OutboxEntry]

    /// Deletes the notifications finished (every delivery ended, or routed to none) before
    /// `before`, with their deliveries; returns how many.
    func purgeFinished(before: Int64) async throws(StoreError) -> Int
}

/// How a delivery ended.
public enum DeliveryOutcome: String, Sendable, Hashable, CaseIterable {
    /// The target has it.
    case delivered
    /// Given up: a final error, or too old.
    case dead
    /// Kept back on purpose: silenced, acknowledged, in a maintenance window, inhibited.
    case held
}

/// Where one notification goes.
public struct OutboxRouting: Sendable, Hashable {
    /// One delivery: a target and when it is due (when its group is next sent).
    public struct Delivery: Sendable, Hashable {
        public var target: String
        public var dueAt: Int64
        /// Creates a delivery.
        public init(target: String, dueAt: Int64) {
            self.target = target
            self.dueAt = dueAt
        }
    }

    /// The outbox row.
    public var id: Int64
    /// Its deliveries (none: finished at once).
    public var deliveries: [Delivery]

    /// Creates a routing.
    public init(id: Int64, deliveries: [Delivery]) {
        self.id = id
        self.deliveries = deliveries
    }
}

/// One notification's delivery to one target.
public struct OutboxDelivery: Sendable, Hashable {
    /// The notification and its outbox row.
    public var entry: OutboxEntry
    /// The target's name (`receiver/kind/index`).
    public var target: String
    /// Attempts before this one.
    public var attempts: Int
    /// Why the last attempt failed, if one did.
    public var lastError: String?
    /// The message of its first attempt, if it had one.
    public var message: String?

    /// Creates a delivery.
    public init(entry: OutboxEntry, target: String, attempts: Int, lastError: String?, message: String? = nil) {
        self.entry = entry
        self.target = target
        self.attempts = attempts
        self.lastError = lastError
        self.message = message
    }
}

/// A delivery that ended without reaching its target, for people to see what was kept back.
public struct FinishedDelivery: Sendable, Hashable {
    /// The notification.
    public var entry: OutboxEntry
    /// The target.
    public var target: String
    /// Held or dead.
    public var outcome: DeliveryOutcome
    /// Why.
    public var reason: String?
    /// When.
    public var at: Int64
    /// Attempts made.
    public var attempts: Int

    /// Creates a record.
    public init(entry: OutboxEntry, target: String, outcome: DeliveryOutcome, reason: String?, at: Int64, attempts: Int) {
        self.entry = entry
        self.target = target
        self.outcome = outcome
        self.reason = reason
        self.at = at
        self.attempts = attempts
    }
}

/// How much one target has waiting.
public struct OutboxDepth: Sendable, Hashable {
    /// Deliveries not yet finished.
    public var waiting: Int
    /// Deliveries given up.
    public var deadLettered: Int
    /// Deliveries kept back.
    public var held: Int

    /// Creates figures.
    public init(waiting: Int, deadLettered: Int, held: Int = 0) {
        self.waiting = waiting
        self.deadLettered = deadLettered
        self.held = held
    }
}

extension Outbox {
    /// A shared store's claims may be another daemon's: none is ended.
    public func endOrphanedClaims() async throws(StoreError) -> Int { 0 }

    /// Routes one notification to `targets`, all due at `now`.
    public func route(_ id: Int64, to targets: [String], now: Int64) async throws(StoreError) {
        try await route([OutboxRouting(id: id, deliveries: targets.map { .init(target: $0, dueAt: now) })], now: now)
    }

    /// One delivery reached its target.
    public func markDelivered(_ id: Int64, target: String, at: Int64) async throws(StoreError) {
        try await finish([id], target: target, as: .delivered, at: at, reason: nil)
    }

    /// One delivery given up.
    public func deadLetter(_ id: Int64, target: String, at: Int64, reason: String) async throws(StoreError) {
        try await finish([id], target: target, as: .dead, at: at, reason: reason)
    }

    /// One delivery to try again.
    public func scheduleRetry(_ id: Int64, target: String, retryAt: Int64, reason: String) async throws(StoreError) {
        try await scheduleRetry([id], target: target, retryAt: retryAt, reason: reason)
    }
}
