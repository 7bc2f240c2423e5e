/// The notifier's side of the outbox: what the rule engine queued (``AlertJournal``), routed to
/// receivers and delivered to each on its own, so that one receiver's outage never holds another's.
///
/// A notification is first *routed* (the notifier's routing tree names its receivers), which
/// creates one delivery per receiver; each delivery is then *claimed* when due, and ends
/// *delivered* or *dead-lettered*, or is *scheduled again* with the reason. A claim is a lease:
/// the claimant owns the delivery until it reports or the lease runs out (a daemon that died
/// mid-send), after which it is due again, so delivery is at least once. Nothing is deleted
/// until every receiver it was routed to has it or has dead-lettered it
/// (``purgeFinished(before:)``).
///
/// Shaped for PostgreSQL too: a claim is `UPDATE … WHERE (id, receiver) IN (SELECT … FOR UPDATE
/// SKIP LOCKED LIMIT n) RETURNING …`, so several daemons can drain one outbox.
public protocol Outbox: Sendable {
    /// Notifications not routed yet, oldest first.
    func unroutedNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry]

    /// Routes a notification to `receivers`, each delivery due at `now`; with none (no route
    /// matched), the notification is finished at once.
    func route(_ id: Int64, to receivers: [String], now: Int64) async throws(StoreError)

    /// Claims up to `limit` deliveries to `receiver` due at `now`, oldest first, for `claimant`
    /// until `leaseUntil`; a delivery claimed by someone else whose lease has not run out is not
    /// returned.
    func claimDeliveries(
        receiver: String, now: Int64, limit: Int, claimant: String, leaseUntil: Int64
    ) async throws(StoreError) -> [OutboxDelivery]

    /// The delivery reached its receiver.
    func markDelivered(_ id: Int64, receiver: String, at: Int64) async throws(StoreError)

    /// The delivery failed for now: due again at `retryAt`, with why.
    func scheduleRetry(_ id: Int64, receiver: String, retryAt: Int64, reason: String) async throws(StoreError)

    /// The delivery failed for good (a final error, or too old): it is given up, with why.
    func deadLetter(_ id: Int64, receiver: String, at: Int64, reason: String) async throws(StoreError)

    /// When the next delivery to `receiver` is due (claimed ones from their lease's end), if any.
    func nextDue(receiver: String) async throws(StoreError) -> Int64?

    /// Per receiver: deliveries waiting (due or not, claimed or not), and dead-lettered ones.
    func deliveryCounts() async throws(StoreError) -> [String: OutboxDepth]

    /// Deletes the notifications finished (every delivery delivered or dead-lettered, or routed
    /// to none) before `before`, with their deliveries; returns how many.
    func purgeFinished(before: Int64) async throws(StoreError) -> Int
}

/// One notification's delivery to one receiver.
public struct OutboxDelivery: Sendable, Hashable {
    /// The notification and its outbox row.
    public var entry: OutboxEntry
    /// The receiver's name.
    public var receiver: String
    /// Attempts before this one.
    public var attempts: Int
    /// Why the last attempt failed, if one did.
    public var lastError: String?

    /// Creates a delivery.
    public init(entry: OutboxEntry, receiver: String, attempts: Int, lastError: String?) {
        self.entry = entry
        self.receiver = receiver
        self.attempts = attempts
        self.lastError = lastError
    }
}

/// How much one receiver has waiting.
public struct OutboxDepth: Sendable, Hashable {
    /// Deliveries not yet delivered nor dead-lettered.
    public var waiting: Int
    /// Deliveries given up.
    public var deadLettered: Int

    /// Creates figures.
    public init(waiting: Int, deadLettered: Int) {
        self.waiting = waiting
        self.deadLettered = deadLettered
    }
}
