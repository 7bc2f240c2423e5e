import Foundation
import GRDB

extension SQLiteStore: Outbox {
    public func unroutedNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        try await outboxEntries(where: "routed_at IS NULL AND delivered_at IS NULL", limit: limit, what: "the unrouted notifications")
    }

    public func route(_ id: Int64, to receivers: [String], now: Int64) async throws(StoreError) {
        do {
            try await pool.write { db in
                for receiver in Set(receivers).sorted() {
                    try db.execute(
                        sql: """
                            INSERT INTO outbox_delivery (outbox, receiver, state, attempts, due_at) VALUES (?, ?, 'waiting', 0, ?)
                            ON CONFLICT (outbox, receiver) DO NOTHING
                            """, arguments: [id, receiver, now])
                }
                try db.execute(sql: "UPDATE alert_outbox SET routed_at = ? WHERE id = ? AND routed_at IS NULL", arguments: [now, id])
                // Routed to nobody: nothing to wait for.
                if receivers.isEmpty { try db.execute(sql: "UPDATE alert_outbox SET delivered_at = ? WHERE id = ?", arguments: [now, id]) }
            }
        } catch {
            throw StoreError(.write, "cannot route notification \(id)", underlying: error)
        }
    }

    public func claimDeliveries(
        receiver: String, now: Int64, limit: Int, claimant: String, leaseUntil: Int64
    ) async throws(StoreError) -> [OutboxDelivery] {
        do {
            let rows = try await pool.write { db in
                // One writer: select and mark in one transaction (PostgreSQL: FOR UPDATE SKIP LOCKED).
                let due = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.outbox, d.attempts, d.last_error, o.payload, o.created_at
                        FROM outbox_delivery d JOIN alert_outbox o ON o.id = d.outbox
                        WHERE d.receiver = ? AND d.state = 'waiting' AND d.due_at <= ? AND (d.lease_until IS NULL OR d.lease_until <= ?)
                        ORDER BY d.outbox LIMIT ?
                        """, arguments: [receiver, now, now, limit]
                ).map { row in (row[0] as Int64, row[1] as Int, row[2] as String?, row[3] as String, row[4] as Int64) }
                for row in due {
                    // The attempt is counted when it is claimed: a daemon that dies mid-send has made one.
                    try db.execute(
                        sql: "UPDATE outbox_delivery SET claimant = ?, lease_until = ?, attempts = attempts + 1 WHERE outbox = ? AND receiver = ?",
                        arguments: [claimant, leaseUntil, row.0, receiver])
                }
                return due
            }
            return try rows.map { row in
                OutboxDelivery(
                    entry: try Self.entry(id: row.0, payload: row.3, createdAt: row.4), receiver: receiver, attempts: row.1, lastError: row.2)
            }
        } catch {
            throw StoreError(.write, "cannot claim deliveries to \(receiver)", underlying: error)
        }
    }

    public func markDelivered(_ id: Int64, receiver: String, at: Int64) async throws(StoreError) {
        try await finish(id, receiver: receiver, state: "delivered", at: at, reason: nil)
    }

    public func deadLetter(_ id: Int64, receiver: String, at: Int64, reason: String) async throws(StoreError) {
        try await finish(id, receiver: receiver, state: "dead", at: at, reason: reason)
    }

    public func scheduleRetry(_ id: Int64, receiver: String, retryAt: Int64, reason: String) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE outbox_delivery SET due_at = ?, last_error = ?, claimant = NULL, lease_until = NULL
                        WHERE outbox = ? AND receiver = ? AND state = 'waiting'
                        """, arguments: [retryAt, reason, id, receiver])
            }
        } catch {
            throw StoreError(.write, "cannot schedule the retry of notification \(id) to \(receiver)", underlying: error)
        }
    }

    public func nextDue(receiver: String) async throws(StoreError) -> Int64? {
        do {
            return try await pool.read { db in
                try Int64.fetchOne(
                    db,
                    sql: "SELECT min(max(due_at, coalesce(lease_until, 0))) FROM outbox_delivery WHERE receiver = ? AND state = 'waiting'",
                    arguments: [receiver])
            }
        } catch {
            throw StoreError(.read, "cannot read when the next delivery to \(receiver) is due", underlying: error)
        }
    }

    public func deliveryCounts() async throws(StoreError) -> [String: OutboxDepth] {
        do {
            return try await pool.read { db in
                var depths: [String: OutboxDepth] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT receiver, sum(state = 'waiting'), sum(state = 'dead') FROM outbox_delivery GROUP BY receiver
                        """)
                {
                    depths[row[0]] = OutboxDepth(waiting: row[1], deadLettered: row[2])
                }
                return depths
            }
        } catch {
            throw StoreError(.read, "cannot count the outbox's deliveries", underlying: error)
        }
    }

    public func purgeFinished(before: Int64) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "DELETE FROM outbox_delivery WHERE outbox IN (SELECT id FROM alert_outbox WHERE delivered_at < ?)", arguments: [before])
                try db.execute(sql: "DELETE FROM alert_outbox WHERE delivered_at < ?", arguments: [before])
                return db.changesCount
            }
        } catch {
            throw StoreError(.write, "cannot purge the finished notifications", underlying: error)
        }
    }

    /// Ends a delivery; the notification is finished once every delivery of it is.
    private func finish(_ id: Int64, receiver: String, state: String, at: Int64, reason: String?) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        UPDATE outbox_delivery SET state = ?, finished_at = ?, last_error = coalesce(?, last_error), claimant = NULL, lease_until = NULL
                        WHERE outbox = ? AND receiver = ? AND state = 'waiting'
                        """, arguments: [state, at, reason, id, receiver])
                let open = try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM outbox_delivery WHERE outbox = ? AND state = 'waiting'", arguments: [id]) ?? 0
                if open == 0 {
                    try db.execute(sql: "UPDATE alert_outbox SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL", arguments: [at, id])
                }
            }
        } catch {
            throw StoreError(.write, "cannot record the delivery of notification \(id) to \(receiver)", underlying: error)
        }
    }

    /// An outbox row as the notification it holds.
    static func entry(id: Int64, payload: String, createdAt: Int64) throws -> OutboxEntry {
        OutboxEntry(id: id, notification: try JSONDecoder().decode(AlertNotification.self, from: Data(payload.utf8)), createdAt: createdAt)
    }
}
