import Foundation
import GRDB

extension SQLiteStore: Outbox {
    public func unroutedNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        try await outboxEntries(AlertReadSQL.unrouted, limit: limit, what: "the unrouted notifications")
    }

    public func route(_ routings: [OutboxRouting], now: Int64) async throws(StoreError) {
        guard !routings.isEmpty else { return }
        do {
            try await pool.write { db in
                for routing in routings { try Self.route(routing, now: now, db) }
            }
        } catch {
            throw StoreError(.write, "cannot route \(routings.count) notifications", underlying: error)
        }
    }

    public func enqueue(_ notification: AlertNotification, routedTo targets: [OutboxRouting.Delivery], now: Int64) async throws(StoreError) -> Int64 {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO alert_outbox (idempotency_key, payload, created_at) VALUES (?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
                    arguments: [notification.idempotencyKey, notification.json, now])
                let id = try Int64.fetchOne(db, sql: "SELECT id FROM alert_outbox WHERE idempotency_key = ?", arguments: [notification.idempotencyKey])!
                try Self.route(OutboxRouting(id: id, deliveries: targets), now: now, db)
                return id
            }
        } catch {
            throw StoreError(.write, "cannot queue notification \(notification.idempotencyKey)", underlying: error)
        }
    }

    private static func route(_ routing: OutboxRouting, now: Int64, _ db: Database) throws {
        var seen = Set<String>()
        for d in routing.deliveries where seen.insert(d.target).inserted {
            try db.cachedStatement(
                sql: """
                    INSERT INTO outbox_delivery (outbox, receiver, state, attempts, due_at) VALUES (?, ?, 'waiting', 0, ?)
                    ON CONFLICT (outbox, receiver) DO NOTHING
                    """
            ).execute(arguments: [routing.id, d.target, d.dueAt])
        }
        try db.cachedStatement(sql: "UPDATE alert_outbox SET routed_at = ? WHERE id = ? AND routed_at IS NULL").execute(arguments: [now, routing.id])
        // Routed to nobody: nothing to wait for.
        if routing.deliveries.isEmpty {
            try db.cachedStatement(sql: "UPDATE alert_outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL").execute(arguments: [now, routing.id])
        }
    }

    public func claimDeliveries(
        target: String, now: Int64, limit: Int, claimant: String, leaseUntil: Int64
    ) async throws(StoreError) -> [OutboxDelivery] {
        do {
            let rows = try await pool.write { db in
                // One writer: select and mark in one transaction (PostgreSQL: FOR UPDATE SKIP LOCKED).
                let due = try Row.fetchAll(
                    db.cachedStatement(
                        sql: """
                            SELECT d.outbox, d.attempts, d.last_error, o.payload, o.created_at, d.message
                            FROM outbox_delivery d JOIN alert_outbox o ON o.id = d.outbox
                            WHERE d.receiver = ? AND d.state = 'waiting' AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
                            ORDER BY d.outbox LIMIT ?
                            """), arguments: [target, now, now, limit]
                ).map { row in (row[0] as Int64, row[1] as Int, row[2] as String?, row[3] as String, row[4] as Int64, row[5] as String?) }
                let claim = try db.cachedStatement(
                    sql: "UPDATE outbox_delivery SET claimant = ?, lease_until = ?, attempts = attempts + 1 WHERE outbox = ? AND receiver = ?")
                for row in due {
                    // The attempt is counted when it is claimed: a daemon that dies mid-send has made one.
                    try claim.execute(arguments: [claimant, leaseUntil, row.0, target])
                }
                return due
            }
            return try rows.map { row in
                OutboxDelivery(
                    entry: try Self.entry(id: row.0, payload: row.3, createdAt: row.4), target: target, attempts: row.1, lastError: row.2,
                    message: row.5)
            }
        } catch {
            throw StoreError(.write, "cannot claim deliveries to \(target)", underlying: error)
        }
    }

    public func assignMessage(_ assignments: [(id: Int64, message: String)], target: String) async throws(StoreError) {
        guard !assignments.isEmpty else { return }
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: "UPDATE outbox_delivery SET message = ? WHERE outbox = ? AND receiver = ? AND message IS NULL")
                for a in assignments { try statement.execute(arguments: [a.message, a.id, target]) }
            }
        } catch {
            throw StoreError(.write, "cannot record the messages of \(assignments.count) deliveries to \(target)", underlying: error)
        }
    }

    public func releaseClaims(_ ids: [Int64], target: String) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        UPDATE outbox_delivery SET claimant = NULL, lease_until = NULL, attempts = max(0, attempts - 1)
                        WHERE outbox = ? AND receiver = ? AND state = 'waiting'
                        """)
                for id in ids { try statement.execute(arguments: [id, target]) }
            }
        } catch {
            throw StoreError(.write, "cannot release \(ids.count) claimed deliveries to \(target)", underlying: error)
        }
    }

    /// Every claim: the daemon lock lets one daemon at a time use this file, so a claim found at
    /// its notifier's start was left by one that died mid-send.
    public func endOrphanedClaims() async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "UPDATE outbox_delivery SET claimant = NULL, lease_until = NULL WHERE state = 'waiting' AND claimant IS NOT NULL")
                return db.changesCount
            }
        } catch {
            throw StoreError(.write, "cannot end the claims left by an earlier daemon", underlying: error)
        }
    }

    public func scheduleRetry(_ ids: [Int64], target: String, retryAt: Int64, reason: String) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        do {
            try await pool.write { db in
                let statement = try db.cachedStatement(
                    sql: """
                        UPDATE outbox_delivery SET due_at = ?, last_error = ?, claimant = NULL, lease_until = NULL
                        WHERE outbox = ? AND receiver = ? AND state = 'waiting'
                        """)
                for id in ids { try statement.execute(arguments: [retryAt, reason, id, target]) }
            }
        } catch {
            throw StoreError(.write, "cannot schedule the retry of \(ids.count) deliveries to \(target)", underlying: error)
        }
    }

    public func finish(_ ids: [Int64], target: String, as outcome: DeliveryOutcome, at: Int64, reason: String?) async throws(StoreError) {
        guard !ids.isEmpty else { return }
        do {
            try await pool.write { db in
                let end = try db.cachedStatement(
                    sql: """
                        UPDATE outbox_delivery SET state = ?, finished_at = ?, last_error = coalesce(?, last_error), claimant = NULL, lease_until = NULL
                        WHERE outbox = ? AND receiver = ? AND state = 'waiting'
                        """)
                let open = try db.cachedStatement(sql: "SELECT count(*) FROM outbox_delivery WHERE outbox = ? AND state = 'waiting'")
                let done = try db.cachedStatement(sql: "UPDATE alert_outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL")
                for id in ids {
                    try end.execute(arguments: [outcome.rawValue, at, reason, id, target])
                    // The notification is finished once every delivery of it is.
                    if try Int.fetchOne(open, arguments: [id]) == 0 { try done.execute(arguments: [at, id]) }
                }
            }
        } catch {
            throw StoreError(.write, "cannot record the end of \(ids.count) deliveries to \(target)", underlying: error)
        }
    }

    public func nextDue(target: String) async throws(StoreError) -> Int64? {
        do {
            return try await pool.read { db in
                try Int64.fetchOne(
                    db,
                    sql: "SELECT min(max(due_at, coalesce(lease_until, 0))) FROM outbox_delivery WHERE receiver = ? AND state = 'waiting'",
                    arguments: [target])
            }
        } catch {
            throw StoreError(.read, "cannot read when the next delivery to \(target) is due", underlying: error)
        }
    }

    // Reads every delivery row (delivered ones too, until the purge): a target with only
    // delivered ones is listed with zeros. Not on the daemon's path (its gauge is waitingCounts()).
    public func deliveryCounts() async throws(StoreError) -> [String: OutboxDepth] {
        do {
            return try await pool.read { db in
                var depths: [String: OutboxDepth] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: "SELECT receiver, sum(state = 'waiting'), sum(state = 'dead'), sum(state = 'held') FROM outbox_delivery GROUP BY receiver")
                {
                    depths[row[0]] = OutboxDepth(waiting: row[1], deadLettered: row[2], held: row[3])
                }
                return depths
            }
        } catch {
            throw StoreError(.read, "cannot count the outbox's deliveries", underlying: error)
        }
    }

    public func waitingCounts() async throws(StoreError) -> [String: Int] {
        do {
            return try await pool.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(
                    db, sql: "SELECT receiver, count(*) FROM outbox_delivery INDEXED BY outbox_delivery_due WHERE state = 'waiting' GROUP BY receiver")
                {
                    counts[row[0]] = row[1]
                }
                return counts
            }
        } catch {
            throw StoreError(.read, "cannot count the waiting deliveries", underlying: error)
        }
    }

    public func undelivered(_ outcome: DeliveryOutcome, since: Int64, limit: Int) async throws(StoreError) -> [FinishedDelivery] {
        do {
            let rows = try await pool.read { db in
                try Row.fetchAll(db, sql: AlertReadSQL.undelivered, arguments: [outcome.rawValue, since, limit]).map {
                    ($0[0] as Int64, $0[1] as String, $0[2] as Int64, $0[3] as String, $0[4] as String?, $0[5] as Int64, $0[6] as Int)
                }
            }
            return try rows.map {
                FinishedDelivery(
                    entry: try Self.entry(id: $0.0, payload: $0.1, createdAt: $0.2), target: $0.3, outcome: outcome, reason: $0.4, at: $0.5,
                    attempts: $0.6)
            }
        } catch {
            throw StoreError(.read, "cannot read the \(outcome.rawValue) deliveries", underlying: error)
        }
    }

    public func latestNotifications(of keys: [AlertKey]) async throws(StoreError) -> [AlertKey: OutboxEntry] {
        guard !keys.isEmpty else { return [:] }
        do {
            let rows = try await pool.read { db in
                // A range of the unique index on idempotency_key: `prefix` up to `prefix` with its
                // last byte ('/') raised by one ('0').
                let statement = try db.cachedStatement(
                    sql: "SELECT id, payload, created_at FROM alert_outbox WHERE idempotency_key > ? AND idempotency_key < ? ORDER BY id DESC LIMIT 1")
                return try keys.compactMap { key -> (AlertKey, Int64, String, Int64)? in
                    let prefix = "\(key.rule)/\(key.station)/\(key.parameter)/"
                    guard let row = try Row.fetchOne(statement, arguments: [prefix, String(prefix.dropLast()) + "0"]) else { return nil }
                    return (key, row[0], row[1], row[2])
                }
            }
            var out: [AlertKey: OutboxEntry] = [:]
            for r in rows { out[r.0] = try Self.entry(id: r.1, payload: r.2, createdAt: r.3) }
            return out
        } catch {
            throw StoreError(.read, "cannot read the latest notifications of \(keys.count) alerts", underlying: error)
        }
    }

    public func purgeFinished(before: Int64) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                try db.execute(sql: "DELETE FROM outbox_delivery WHERE outbox IN (\(AlertReadSQL.delivered))", arguments: [before])
                try db.execute(sql: "DELETE FROM alert_outbox WHERE delivered_at < ?", arguments: [before])
                return db.changesCount
            }
        } catch {
            throw StoreError(.write, "cannot purge the finished notifications", underlying: error)
        }
    }

    /// An outbox row as the notification it holds.
    static func entry(id: Int64, payload: String, createdAt: Int64) throws -> OutboxEntry {
        OutboxEntry(id: id, notification: try AlertNotification(outboxJSON: payload), createdAt: createdAt)
    }
}
