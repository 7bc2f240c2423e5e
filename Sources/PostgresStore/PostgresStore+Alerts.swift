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
    /// appends its history row and its notification (once per idempotency key). The batch is
    /// replayed in memory and written in a handful of set statements (``JournalBatch``).
    public func record(_ transitions: [AlertTransition], updates: [AlertInstance] = [], recordedAt: Int64) async throws(StoreError) {
        guard !transitions.isEmpty || !updates.isEmpty else { return }
        let logger = logger
        let fence = fence
        do {
            try await client.withTransaction(logger: logger) { connection in
                // Several daemons: only the current rule leader writes (and moves its cursor).
                try await fence.check(on: connection, logger: logger)
                try await JournalBatch.record(transitions, updates: updates, recordedAt: recordedAt, on: connection, logger: logger)
            }
        } catch {
            throw Self.error(.write, "cannot record \(transitions.count) alert transitions", error)
        }
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
