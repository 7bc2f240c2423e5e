import Foundation
import GRDB
import Monitoring

extension SQLiteStore: AlertJournal {
    public func loadAlertInstances() async throws(StoreError) -> [AlertInstance] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rule, station, parameter, state, since, pending_since, clearing_since, value, peak,
                               last_observed, sequence, episode FROM alert_instance ORDER BY rule, station, parameter
                        """
                ).map { row in
                    AlertInstance(
                        key: AlertKey(rule: row[0], station: row[1], parameter: row[2]),
                        state: AlertState(rawValue: row[3]) ?? .inactive, since: row[4], pendingSince: row[5],
                        clearingSince: row[6], value: row[7], peak: row[8], lastObserved: row[9], sequence: row[10],
                        episode: row[11])
                }
            }
        } catch {
            throw StoreError(.read, "cannot read alert state", underlying: error)
        }
    }

    public func record(_ transitions: [AlertTransition], updates: [AlertInstance] = [], recordedAt: Int64) async throws(StoreError) {
        guard !transitions.isEmpty || !updates.isEmpty else { return }
        do {
            try await pool.write { db in
                for t in transitions { try Self.record(t, recordedAt: recordedAt, db) }
                for i in updates where i.state != .inactive {
                    // Only the fields that move without a transition; the episode's peak too.
                    try Self.run(
                        db,
                        """
                            UPDATE alert_instance SET pending_since = ?, clearing_since = ?, value = ?, peak = ?, last_observed = ?
                            WHERE rule = ? AND station = ? AND parameter = ? AND sequence = ?
                            """,
                        [
                            i.pendingSince, i.clearingSince, i.value, i.peak, i.lastObserved, i.key.rule, i.key.station, i.key.parameter,
                            i.sequence,
                        ])
                    if i.state.isActive {
                        try Self.run(
                            db, "UPDATE alert_episode SET peak = ? WHERE rule = ? AND station = ? AND parameter = ? AND ended_at IS NULL",
                            [i.peak, i.key.rule, i.key.station, i.key.parameter])
                    }
                }
            }
        } catch {
            throw StoreError(.write, "cannot record \(transitions.count) alert transitions", underlying: error)
        }
    }

    /// Runs a statement from the connection's cache: transitions come by the thousand a second
    /// under a feed with many flagged readings, and parsing each statement anew would dominate.
    private static func run(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }

    private static func record(_ t: AlertTransition, recordedAt: Int64, _ db: Database) throws {
        var instance = t.instance
        let k = instance.key
        // Episodes: one opens when an instance becomes active, closes when it resolves.
        if instance.state.isActive && !t.from.isActive {
            try run(
                db,
                """
                    INSERT INTO alert_episode (rule, station, parameter, state, severity, started_at, fired_at, peak)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                [
                    k.rule, k.station, k.parameter, instance.state.rawValue, t.notification?.severity.rawValue,
                    instance.pendingSince ?? t.at, t.at, instance.peak,
                ])
            instance.episode = db.lastInsertedRowID
        } else if !instance.state.isActive, t.from.isActive {
            // By key: the engine need not know the episode's row id.
            try run(
                db,
                """
                    UPDATE alert_episode SET ended_at = ?, peak = ?
                    WHERE rule = ? AND station = ? AND parameter = ? AND ended_at IS NULL
                    """, [t.at, instance.peak, k.rule, k.station, k.parameter])
            instance.episode = nil
        } else if instance.state.isActive, instance.episode == nil {
            instance.episode = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT max(id) FROM alert_episode WHERE rule = ? AND station = ? AND parameter = ? AND ended_at IS NULL"),
                arguments: [k.rule, k.station, k.parameter])
        }
        if instance.state == .inactive {
            try run(db, "DELETE FROM alert_instance WHERE rule = ? AND station = ? AND parameter = ?", [k.rule, k.station, k.parameter])
        } else {
            try run(
                db,
                """
                    INSERT OR REPLACE INTO alert_instance (rule, station, parameter, state, since, pending_since,
                        clearing_since, value, peak, last_observed, sequence, episode)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                [
                    k.rule, k.station, k.parameter, instance.state.rawValue, instance.since, instance.pendingSince,
                    instance.clearingSince, instance.value, instance.peak, instance.lastObserved, instance.sequence,
                    instance.episode,
                ])
        }
        // A pending period that starts or ends without firing changes the instance row (its timer
        // must survive a restart) but is not history: under flagged feeds it comes and goes by
        // the thousand, and reports count episodes, not near misses.
        let quiet = (t.from == .inactive || t.from == .resolved) && instance.state == .pending || t.from == .pending && instance.state == .inactive
        if quiet { return }
        try run(
            db,
            """
                INSERT INTO alert_transition (rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            [
                k.rule, k.station, k.parameter, instance.sequence, t.from.rawValue, instance.state.rawValue, t.at, recordedAt,
                instance.value, t.reason,
            ])
        if let notification = t.notification {
            let transitionID = db.lastInsertedRowID
            let payload = notification.json
            // A replayed transition (same key) must not queue a second message.
            try run(
                db,
                """
                    INSERT INTO alert_outbox (idempotency_key, transition, created_at, payload) VALUES (?, ?, ?, ?)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """,
                [notification.idempotencyKey, transitionID, recordedAt, payload])
        }
    }

    public func alertHistory(since: Int64, limit: Int) async throws(StoreError) -> [AlertHistoryEntry] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: AlertReadSQL.history, arguments: [since, limit]).map { row in
                    AlertHistoryEntry(
                        key: AlertKey(rule: row[0], station: row[1], parameter: row[2]),
                        from: AlertState(rawValue: row[3]) ?? .inactive, to: AlertState(rawValue: row[4]) ?? .inactive,
                        at: row[5], recordedAt: row[6], value: row[7], reason: row[8])
                }
            }
        } catch {
            throw StoreError(.read, "cannot read the alert history", underlying: error)
        }
    }

    public func alertEpisodes(overlapping range: Range<Int64>) async throws(StoreError) -> [AlertEpisode] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: AlertReadSQL.episodes, arguments: [range.lowerBound, range.upperBound]).map { row in
                    AlertEpisode(
                        id: row[0], key: AlertKey(rule: row[1], station: row[2], parameter: row[3]),
                        state: AlertState(rawValue: row[4]) ?? .firing, startedAt: row[5], firedAt: row[6], endedAt: row[7],
                        peak: row[8], severity: (row[9] as String?).flatMap(AlertSeverity.init(rawValue:)))
                }
            }
        } catch {
            throw StoreError(.read, "cannot read alert episodes", underlying: error)
        }
    }

    public func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        try await outboxEntries(AlertReadSQL.pending, limit: limit, what: "the outbox")
    }

    /// How many notifications are not delivered yet, without reading them.
    public func pendingNotificationCount() async throws(StoreError) -> Int {
        do {
            return try await pool.read { db in try Int.fetchOne(db, sql: AlertReadSQL.pendingCount) ?? 0 }
        } catch {
            throw StoreError(.read, "cannot count the outbox", underlying: error)
        }
    }

    /// Outbox rows of `sql` (id, payload, created_at; `LIMIT ?`), oldest first, decoded.
    func outboxEntries(_ sql: String, limit: Int, what: String) async throws(StoreError) -> [OutboxEntry] {
        do {
            let rows = try await pool.read { db in
                try Row.fetchAll(db, sql: sql, arguments: [limit]).map { row in (row[0] as Int64, row[1] as String, row[2] as Int64) }
            }
            return try rows.map { try Self.entry(id: $0.0, payload: $0.1, createdAt: $0.2) }
        } catch {
            throw StoreError(.read, "cannot read \(what)", underlying: error)
        }
    }
}
