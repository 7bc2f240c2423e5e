import Foundation
import Logging
import PostgresNIO
public import Store

extension PostgresStore: AlertJournal {
    public func loadAlertInstances() async throws(StoreError) -> [AlertInstance] {
        do {
            let rows = try await client.query(
                """
                SELECT rule, station, parameter, state, since, pending_since, clearing_since, value, peak, last_observed, sequence, episode
                FROM alert_instance ORDER BY rule COLLATE "C", station COLLATE "C", parameter COLLATE "C"
                """, logger: logger)
            var out: [AlertInstance] = []
            for try await r in rows.decode(
                (String, String, String, String, Int64, Int64?, Int64?, Double?, Double?, Int64?, Int64, Int64?).self)
            {
                out.append(
                    AlertInstance(
                        key: AlertKey(rule: r.0, station: r.1, parameter: r.2), state: AlertState(rawValue: r.3) ?? .inactive, since: r.4,
                        pendingSince: r.5, clearingSince: r.6, value: r.7, peak: r.8, lastObserved: r.9, sequence: Int(r.10), episode: r.11))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read alert state", error)
        }
    }

    /// Writes the transitions and updates in one transaction, as ``SQLiteStore`` does: each
    /// transition opens or closes its episode, replaces (or deletes) its instance row, and
    /// appends its history row and its notification (once per idempotency key).
    public func record(_ transitions: [AlertTransition], updates: [AlertInstance] = [], recordedAt: Int64) async throws(StoreError) {
        guard !transitions.isEmpty || !updates.isEmpty else { return }
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                for t in transitions { try await Self.record(t, recordedAt: recordedAt, on: connection, logger: logger) }
                for i in updates where i.state != .inactive {
                    // Only the fields that move without a transition; the episode's peak too.
                    let k = i.key
                    try await connection.query(
                        """
                        UPDATE alert_instance SET pending_since = \(i.pendingSince), clearing_since = \(i.clearingSince), value = \(i.value),
                            peak = \(i.peak), last_observed = \(i.lastObserved)
                        WHERE rule = \(k.rule) AND station = \(k.station) AND parameter = \(k.parameter) AND sequence = \(Int64(i.sequence))
                        """, logger: logger)
                    if i.state.isActive {
                        try await connection.query(
                            """
                            UPDATE alert_episode SET peak = \(i.peak)
                            WHERE rule = \(k.rule) AND station = \(k.station) AND parameter = \(k.parameter) AND ended_at IS NULL
                            """, logger: logger)
                    }
                }
            }
        } catch {
            throw Self.error(.write, "cannot record \(transitions.count) alert transitions", error)
        }
    }

    private static func record(_ t: AlertTransition, recordedAt: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        var instance = t.instance
        let k = instance.key
        // Episodes: one opens when an instance becomes active, closes when it resolves.
        if instance.state.isActive && !t.from.isActive {
            let rows = try await connection.query(
                """
                INSERT INTO alert_episode (rule, station, parameter, state, severity, started_at, fired_at, peak)
                VALUES (\(k.rule), \(k.station), \(k.parameter), \(instance.state.rawValue), \(t.notification?.severity.rawValue),
                        \(instance.pendingSince ?? t.at), \(t.at), \(instance.peak))
                RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) { instance.episode = id }
        } else if !instance.state.isActive, t.from.isActive {
            // By key: the engine need not know the episode's row id.
            try await connection.query(
                """
                UPDATE alert_episode SET ended_at = \(t.at), peak = \(instance.peak)
                WHERE rule = \(k.rule) AND station = \(k.station) AND parameter = \(k.parameter) AND ended_at IS NULL
                """, logger: logger)
            instance.episode = nil
        } else if instance.state.isActive, instance.episode == nil {
            let rows = try await connection.query(
                """
                SELECT max(id) FROM alert_episode
                WHERE rule = \(k.rule) AND station = \(k.station) AND parameter = \(k.parameter) AND ended_at IS NULL
                """, logger: logger)
            for try await id in rows.decode(Int64?.self) { instance.episode = id }
        }
        if instance.state == .inactive {
            try await connection.query(
                "DELETE FROM alert_instance WHERE rule = \(k.rule) AND station = \(k.station) AND parameter = \(k.parameter)", logger: logger)
        } else {
            try await connection.query(
                """
                INSERT INTO alert_instance (rule, station, parameter, state, since, pending_since, clearing_since, value, peak,
                                            last_observed, sequence, episode)
                VALUES (\(k.rule), \(k.station), \(k.parameter), \(instance.state.rawValue), \(instance.since), \(instance.pendingSince),
                        \(instance.clearingSince), \(instance.value), \(instance.peak), \(instance.lastObserved), \(Int64(instance.sequence)),
                        \(instance.episode))
                ON CONFLICT (rule, station, parameter) DO UPDATE SET
                    state = excluded.state, since = excluded.since, pending_since = excluded.pending_since,
                    clearing_since = excluded.clearing_since, value = excluded.value, peak = excluded.peak,
                    last_observed = excluded.last_observed, sequence = excluded.sequence, episode = excluded.episode
                """, logger: logger)
        }
        // A pending period that starts or ends without firing changes the instance row (its
        // timer must survive a restart) but is not history (as in SQLiteStore).
        let quiet = (t.from == .inactive || t.from == .resolved) && instance.state == .pending || t.from == .pending && instance.state == .inactive
        if quiet { return }
        guard let notification = t.notification else {
            try await connection.query(
                """
                INSERT INTO alert_transition (rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason)
                VALUES (\(k.rule), \(k.station), \(k.parameter), \(Int64(instance.sequence)), \(t.from.rawValue), \(instance.state.rawValue),
                        \(t.at), \(recordedAt), \(instance.value), \(t.reason))
                """, logger: logger)
            return
        }
        // The history row and its notification in one statement; a replayed transition (same
        // key) does not queue a second message.
        try await connection.query(
            """
            WITH t AS (
                INSERT INTO alert_transition (rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason)
                VALUES (\(k.rule), \(k.station), \(k.parameter), \(Int64(instance.sequence)), \(t.from.rawValue), \(instance.state.rawValue),
                        \(t.at), \(recordedAt), \(instance.value), \(t.reason))
                RETURNING id
            )
            INSERT INTO alert_outbox (idempotency_key, transition, created_at, payload)
            SELECT \(notification.idempotencyKey), id, \(recordedAt), \(notification.json) FROM t
            ON CONFLICT (idempotency_key) DO NOTHING
            """, logger: logger)
    }

    public func alertHistory(since: Int64, limit: Int) async throws(StoreError) -> [AlertHistoryEntry] {
        do {
            var binds = PostgresBindings(capacity: 2)
            binds.append(since)
            binds.append(Int64(limit))
            let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresAlertSQL.history, binds: binds), logger: logger)
            var out: [AlertHistoryEntry] = []
            for try await r in rows.decode((String, String, String, String, String, Int64, Int64, Double?, String).self) {
                out.append(
                    AlertHistoryEntry(
                        key: AlertKey(rule: r.0, station: r.1, parameter: r.2), from: AlertState(rawValue: r.3) ?? .inactive,
                        to: AlertState(rawValue: r.4) ?? .inactive, at: r.5, recordedAt: r.6, value: r.7, reason: r.8))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the alert history", error)
        }
    }

    public func alertEpisodes(overlapping range: Range<Int64>) async throws(StoreError) -> [AlertEpisode] {
        do {
            var binds = PostgresBindings(capacity: 2)
            binds.append(range.lowerBound)
            binds.append(range.upperBound)
            let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresAlertSQL.episodes, binds: binds), logger: logger)
            return try await PostgresAlertRows.episodes(rows)
        } catch {
            throw Self.error(.read, "cannot read alert episodes", error)
        }
    }

    public func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        do {
            var binds = PostgresBindings(capacity: 1)
            binds.append(Int64(limit))
            let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresAlertSQL.pending, binds: binds), logger: logger)
            return try await PostgresAlertRows.entries(rows)
        } catch {
            throw Self.error(.read, "cannot read the outbox", error)
        }
    }

    /// How many notifications are not delivered yet, without reading them.
    public func pendingNotificationCount() async throws(StoreError) -> Int {
        do {
            let rows = try await client.query("SELECT count(*) FROM alert_outbox WHERE delivered_at IS NULL", logger: logger)
            var n = 0
            for try await c in rows.decode(Int64.self) { n = Int(c) }
            return n
        } catch {
            throw Self.error(.read, "cannot count the outbox", error)
        }
    }
}
