import Foundation
import PostgresNIO
public import Store

/// The outbox on PostgreSQL, drained by any number of daemons at once.
///
/// A claim is one statement, `UPDATE … FROM (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)`: two
/// claimants never wait for each other and never take the same (notification, receiver)
/// delivery while its lease holds; the row lock lasts the statement, the lease (`claimant`,
/// `lease_until`) what follows. Finishing a delivery locks its notification's row first
/// (`FOR NO KEY UPDATE`, in id order), so of two daemons finishing the last two deliveries of
/// one notification the second sees the first's and marks the notification finished.
extension PostgresStore: Outbox {
    public func unroutedNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        do {
            let rows = try await client.query(
                """
                SELECT id, payload, created_at FROM alert_outbox WHERE routed_at IS NULL AND delivered_at IS NULL ORDER BY id LIMIT \(Int64(limit))
                """, logger: logger)
            return try await PostgresAlertRows.entries(rows)
        } catch {
            throw Self.error(.read, "cannot read the unrouted notifications", error)
        }
    }

    public func route(_ routings: [OutboxRouting], now: Int64) async throws(StoreError) {
        guard !routings.isEmpty else { return }
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await Self.route(routings, now: now, on: connection, logger: logger)
            }
        } catch {
            throw Self.error(.write, "cannot route \(routings.count) notifications", error)
        }
    }

    public func enqueue(_ notification: AlertNotification, routedTo targets: [OutboxRouting.Delivery], now: Int64) async throws(StoreError) -> Int64 {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                var id: Int64?
                let inserted = try await connection.query(
                    """
                    INSERT INTO alert_outbox (idempotency_key, payload, created_at)
                    VALUES (\(notification.idempotencyKey), \(notification.json), \(now))
                    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                    """, logger: logger)
                for try await i in inserted.decode(Int64.self) { id = i }
                if id == nil {
                    // Queued before (by this process or another): a new statement sees it.
                    let found = try await connection.query(
                        "SELECT id FROM alert_outbox WHERE idempotency_key = \(notification.idempotencyKey)", logger: logger)
                    for try await i in found.decode(Int64.self) { id = i }
                }
                guard let id else { throw StoreError(.write, "notification \(notification.idempotencyKey) vanished while it was queued") }
                try await Self.route([OutboxRouting(id: id, deliveries: targets)], now: now, on: connection, logger: logger)
                return id
            }
        } catch {
            throw Self.error(.write, "cannot queue notification \(notification.idempotencyKey)", error)
        }
    }

    /// Inserts the deliveries (the first of a target named twice in one routing), marks the
    /// notifications routed, and those routed to nobody finished.
    private static func route(_ routings: [OutboxRouting], now: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        var ids: [Int64] = []
        var targets: [String] = []
        var dues: [Int64] = []
        for routing in routings {
            var seen = Set<String>()
            for d in routing.deliveries where seen.insert(d.target).inserted {
                ids.append(routing.id)
                targets.append(d.target)
                dues.append(d.dueAt)
            }
        }
        if !ids.isEmpty {
            try await connection.query(
                """
                INSERT INTO outbox_delivery (outbox, receiver, state, attempts, due_at)
                SELECT outbox, receiver, 'waiting', 0, due_at
                FROM unnest(\(ids)::bigint[], \(targets)::text[], \(dues)::bigint[]) AS u(outbox, receiver, due_at)
                ON CONFLICT (outbox, receiver) DO NOTHING
                """, logger: logger)
        }
        let all = routings.map(\.id)
        try await connection.query(
            "UPDATE alert_outbox SET routed_at = \(now) WHERE id = ANY(\(all)::bigint[]) AND routed_at IS NULL", logger: logger)
        // Routed to nobody: nothing to wait for.
        let nobody = routings.filter(\.deliveries.isEmpty).map(\.id)
        if !nobody.isEmpty {
            try await connection.query(
                "UPDATE alert_outbox SET delivered_at = \(now) WHERE id = ANY(\(nobody)::bigint[]) AND delivered_at IS NULL", logger: logger)
        }
    }

    public func claimDeliveries(
        target: String, now: Int64, limit: Int, claimant: String, leaseUntil: Int64
    ) async throws(StoreError) -> [OutboxDelivery] {
        do {
            // One statement (see PostgresAlertSQL.claim). The attempt is counted when claimed:
            // a daemon that dies mid-send has made one.
            var binds = PostgresBindings(capacity: 5)
            binds.append(target)
            binds.append(now)
            binds.append(Int64(limit))
            binds.append(claimant)
            binds.append(leaseUntil)
            let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresAlertSQL.claim, binds: binds), logger: logger)
            var out: [OutboxDelivery] = []
            for try await r in rows.decode((Int64, Int, String?, String, Int64, String?).self) {
                out.append(
                    OutboxDelivery(
                        entry: try PostgresAlertRows.entry(id: r.0, payload: r.3, createdAt: r.4), target: target, attempts: r.1, lastError: r.2,
                        message: r.5))
            }
            return out
        } catch {
            throw Self.error(.write, "cannot claim deliveries to \(target)", error)
        }
    }

    public func assignMessage(_ assignments: [(id: Int64, message: String)], target: String) async throws(StoreError) {
        guard !assignments.isEmpty else { return }
        let ids = assignments.map(\.id)
        let messages = assignments.map(\.message)
        do {
            try await execute(
                """
                UPDATE outbox_delivery d SET message = u.message
                FROM unnest(\(ids)::bigint[], \(messages)::text[]) AS u(outbox, message)
                WHERE d.outbox = u.outbox AND d.receiver = \(target) AND d.message IS NULL
                """)
        } catch {
            throw Self.error(.write, "cannot record the messages of \(assignments.count) deliveries to \(target)", error)
        }
    }

    public func releaseClaims(_ ids: [Int64], target: String) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        do {
            try await execute(
                """
                UPDATE outbox_delivery SET claimant = NULL, lease_until = NULL, attempts = GREATEST(0, attempts - 1)
                WHERE outbox = ANY(\(ids)::bigint[]) AND receiver = \(target) AND state = 'waiting'
                """)
        } catch {
            throw Self.error(.write, "cannot release \(ids.count) claimed deliveries to \(target)", error)
        }
    }

    public func scheduleRetry(_ ids: [Int64], target: String, retryAt: Int64, reason: String) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        do {
            try await execute(
                """
                UPDATE outbox_delivery SET due_at = \(retryAt), last_error = \(reason), claimant = NULL, lease_until = NULL
                WHERE outbox = ANY(\(ids)::bigint[]) AND receiver = \(target) AND state = 'waiting'
                """)
        } catch {
            throw Self.error(.write, "cannot schedule the retry of \(ids.count) deliveries to \(target)", error)
        }
    }

    public func finish(_ ids: [Int64], target: String, as outcome: DeliveryOutcome, at: Int64, reason: String?) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                // The notifications first, in id order: finishes of one notification take turns.
                try await connection.query(
                    "SELECT id FROM alert_outbox WHERE id = ANY(\(ids)::bigint[]) ORDER BY id FOR NO KEY UPDATE", logger: logger)
                try await connection.query(
                    """
                    UPDATE outbox_delivery SET state = \(outcome.rawValue), finished_at = \(at), last_error = coalesce(\(reason), last_error),
                        claimant = NULL, lease_until = NULL
                    WHERE outbox = ANY(\(ids)::bigint[]) AND receiver = \(target) AND state = 'waiting'
                    """, logger: logger)
                // A notification is finished once every delivery of it is.
                try await connection.query(
                    """
                    UPDATE alert_outbox o SET delivered_at = \(at)
                    WHERE o.id = ANY(\(ids)::bigint[]) AND o.delivered_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM outbox_delivery d WHERE d.outbox = o.id AND d.state = 'waiting')
                    """, logger: logger)
            }
        } catch {
            throw Self.error(.write, "cannot record the end of \(ids.count) deliveries to \(target)", error)
        }
    }

    public func nextDue(target: String) async throws(StoreError) -> Int64? {
        do {
            let rows = try await client.query(
                """
                SELECT min(GREATEST(due_at, coalesce(lease_until, 0))) FROM outbox_delivery WHERE receiver = \(target) AND state = 'waiting'
                """, logger: logger)
            var due: Int64?
            for try await d in rows.decode(Int64?.self) { due = d }
            return due
        } catch {
            throw Self.error(.read, "cannot read when the next delivery to \(target) is due", error)
        }
    }

    public func deliveryCounts() async throws(StoreError) -> [String: OutboxDepth] {
        do {
            let rows = try await client.query(
                """
                SELECT receiver, count(*) FILTER (WHERE state = 'waiting'), count(*) FILTER (WHERE state = 'dead'),
                       count(*) FILTER (WHERE state = 'held')
                FROM outbox_delivery GROUP BY receiver
                """, logger: logger)
            var depths: [String: OutboxDepth] = [:]
            for try await (receiver, waiting, dead, held) in rows.decode((String, Int64, Int64, Int64).self) {
                depths[receiver] = OutboxDepth(waiting: Int(waiting), deadLettered: Int(dead), held: Int(held))
            }
            return depths
        } catch {
            throw Self.error(.read, "cannot count the outbox's deliveries", error)
        }
    }

    public func waitingCounts() async throws(StoreError) -> [String: Int] {
        do {
            let rows = try await client.query(
                "SELECT receiver, count(*) FROM outbox_delivery WHERE state = 'waiting' GROUP BY receiver", logger: logger)
            var counts: [String: Int] = [:]
            for try await (receiver, n) in rows.decode((String, Int64).self) { counts[receiver] = Int(n) }
            return counts
        } catch {
            throw Self.error(.read, "cannot count the waiting deliveries", error)
        }
    }

    public func undelivered(_ outcome: DeliveryOutcome, since: Int64, limit: Int) async throws(StoreError) -> [FinishedDelivery] {
        guard outcome != .delivered else { return [] }
        do {
            let rows = try await client.query(
                """
                SELECT o.id, o.payload, o.created_at, d.receiver, d.last_error, d.finished_at, d.attempts
                FROM outbox_delivery d JOIN alert_outbox o ON o.id = d.outbox
                WHERE d.state IN ('held', 'dead') AND d.state = \(outcome.rawValue) AND d.finished_at >= \(since)
                ORDER BY d.finished_at DESC, d.outbox DESC LIMIT \(Int64(limit))
                """, logger: logger)
            var out: [FinishedDelivery] = []
            for try await r in rows.decode((Int64, String, Int64, String, String?, Int64, Int).self) {
                out.append(
                    FinishedDelivery(
                        entry: try PostgresAlertRows.entry(id: r.0, payload: r.1, createdAt: r.2), target: r.3, outcome: outcome, reason: r.4,
                        at: r.5, attempts: r.6))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the \(outcome.rawValue) deliveries", error)
        }
    }

    public func latestNotifications(of keys: [AlertKey]) async throws(StoreError) -> [AlertKey: OutboxEntry] {
        guard !keys.isEmpty else { return [:] }
        // A range of the unique index on idempotency_key (collation C, bytewise): `prefix` up to
        // `prefix` with its last byte ('/') raised by one ('0').
        let prefixes = keys.map { "\($0.rule)/\($0.station)/\($0.parameter)/" }
        let ends = prefixes.map { String($0.dropLast()) + "0" }
        do {
            let rows = try await client.query(
                """
                SELECT k.n, o.id, o.payload, o.created_at
                FROM unnest(\(prefixes)::text[], \(ends)::text[]) WITH ORDINALITY AS k(lo, hi, n)
                CROSS JOIN LATERAL (
                    SELECT id, payload, created_at FROM alert_outbox
                    WHERE idempotency_key > k.lo AND idempotency_key < k.hi ORDER BY id DESC LIMIT 1
                ) o
                """, logger: logger)
            var out: [AlertKey: OutboxEntry] = [:]
            for try await (n, id, payload, createdAt) in rows.decode((Int64, Int64, String, Int64).self) {
                out[keys[Int(n) - 1]] = try PostgresAlertRows.entry(id: id, payload: payload, createdAt: createdAt)
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the latest notifications of \(keys.count) alerts", error)
        }
    }

    public func purgeFinished(before: Int64) async throws(StoreError) -> Int {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    DELETE FROM outbox_delivery WHERE outbox IN (SELECT id FROM alert_outbox WHERE delivered_at < \(before))
                    """, logger: logger)
                let rows = try await connection.query(
                    "WITH d AS (DELETE FROM alert_outbox WHERE delivered_at < \(before) RETURNING 1) SELECT count(*) FROM d", logger: logger)
                var n = 0
                for try await c in rows.decode(Int64.self) { n = Int(c) }
                return n
            }
        } catch {
            throw Self.error(.write, "cannot purge the finished notifications", error)
        }
    }

    /// Runs one statement outside a transaction, its rows (if any) read and dropped.
    func execute(_ query: PostgresQuery) async throws {
        let rows = try await client.query(query, logger: logger)
        for try await _ in rows {}
    }
}
