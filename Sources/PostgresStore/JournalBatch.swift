import Logging
import PostgresNIO
import Store

/// One ``AlertJournal/record(_:updates:recordedAt:)`` call as a handful of set statements
/// instead of a few per transition: an alert storm of ten thousand transitions would otherwise
/// be forty thousand round trips.
///
/// The transitions are replayed in order in memory, as `SQLiteStore` applies them row by row:
/// which episodes open (their ids taken from the identity sequence first, in order), which
/// close, each instance's last row (or its deletion), the history rows and their notifications.
/// What the replay must know of the database — the episodes open before the batch — is read in
/// one statement first; what it decided is written in about ten, whatever the batch's size, all
/// in the caller's transaction.
struct JournalBatch {
    /// An episode opened by the batch.
    struct NewEpisode {
        var id: Int64
        var key: AlertKey
        var state: AlertState
        var severity: AlertSeverity?
        var startedAt: Int64
        var firedAt: Int64
        var endedAt: Int64?
        var peak: Double?
    }

    /// A history row and the notification it queues, if any.
    struct HistoryRow {
        var id: Int64
        var transition: AlertTransition
        var sequence: Int
        var value: Double?
    }

    /// Per key: the episodes open before the batch still open (closed by key as SQLite does).
    private var existingOpen: [AlertKey: Int64] = [:]
    /// Per key: the batch's episodes still open, by index into ``newEpisodes``.
    private var newOpen: [AlertKey: [Int]] = [:]
    var newEpisodes: [NewEpisode] = []
    /// Episodes open before the batch that it closes: when, and their peak then.
    var closedExisting: [AlertKey: (endedAt: Int64, peak: Double?)] = [:]
    /// Episodes open before the batch and still open after it whose peak an update moved.
    var peakExisting: [AlertKey: Double?] = [:]
    /// Each touched instance's row after the batch (nil: deleted).
    var finalInstances: [AlertKey: AlertInstance?] = [:]
    /// Updates of instances no transition touched: applied in the database, if its sequence matches.
    var untouchedUpdates: [AlertKey: AlertInstance] = [:]
    var history: [HistoryRow] = []

    /// Replays `transitions` and `updates`.
    /// - Parameters:
    ///   - openBefore: per key, the newest episode open before the batch.
    ///   - episodeIDs: ids for the episodes the batch opens, ascending (as many as ``opens(_:)``).
    ///   - historyIDs: ids for its history rows, ascending (as many as ``historyCount(_:)``).
    init(
        _ transitions: [AlertTransition], updates: [AlertInstance], openBefore: [AlertKey: Int64], episodeIDs: [Int64], historyIDs: [Int64]
    ) {
        existingOpen = openBefore
        var nextEpisode = episodeIDs.makeIterator()
        var nextHistory = historyIDs.makeIterator()
        for t in transitions {
            var instance = t.instance
            let k = instance.key
            if instance.state.isActive && !t.from.isActive {
                let id = nextEpisode.next()!
                newEpisodes.append(
                    NewEpisode(
                        id: id, key: k, state: instance.state, severity: t.notification?.severity, startedAt: instance.pendingSince ?? t.at,
                        firedAt: t.at, peak: instance.peak))
                newOpen[k, default: []].append(newEpisodes.count - 1)
                instance.episode = id
            } else if !instance.state.isActive, t.from.isActive {
                // By key, as SQLite: every episode of the key still open ends.
                if existingOpen.removeValue(forKey: k) != nil { closedExisting[k] = (t.at, instance.peak) }
                for i in newOpen.removeValue(forKey: k) ?? [] {
                    newEpisodes[i].endedAt = t.at
                    newEpisodes[i].peak = instance.peak
                }
                instance.episode = nil
            } else if instance.state.isActive, instance.episode == nil {
                instance.episode = newOpen[k]?.last.map { newEpisodes[$0].id } ?? existingOpen[k]
            }
            let row: AlertInstance? = instance.state == .inactive ? nil : instance
            finalInstances[k] = .some(row)
            if !Self.isQuiet(t) {
                history.append(HistoryRow(id: nextHistory.next()!, transition: t, sequence: instance.sequence, value: instance.value))
            }
        }
        for i in updates where i.state != .inactive {
            let k = i.key
            if let row = finalInstances[k] {
                if var row, row.sequence == i.sequence {
                    row.pendingSince = i.pendingSince
                    row.clearingSince = i.clearingSince
                    row.value = i.value
                    row.peak = i.peak
                    row.lastObserved = i.lastObserved
                    finalInstances[k] = .some(row)
                }
            } else {
                untouchedUpdates[k] = i
            }
            if i.state.isActive {
                for j in newOpen[k] ?? [] { newEpisodes[j].peak = i.peak }
                if existingOpen[k] != nil { peakExisting[k] = .some(i.peak) }
            }
        }
    }

    /// A pending period that starts or ends without firing: the instance row only, no history.
    static func isQuiet(_ t: AlertTransition) -> Bool {
        (t.from == .inactive || t.from == .resolved) && t.to == .pending || t.from == .pending && t.to == .inactive
    }

    /// How many episodes the transitions open.
    static func opens(_ transitions: [AlertTransition]) -> Int { transitions.count(where: { $0.to.isActive && !$0.from.isActive }) }

    /// How many history rows the transitions write.
    static func historyCount(_ transitions: [AlertTransition]) -> Int { transitions.count(where: { !isQuiet($0) }) }
}

extension JournalBatch {
    /// Records the batch on `connection` (in its transaction).
    static func record(
        _ transitions: [AlertTransition], updates: [AlertInstance], recordedAt: Int64, on connection: PostgresConnection, logger: Logger
    )
        async throws
    {
        var keys: [AlertKey] = []
        var seen = Set<AlertKey>()
        for k in transitions.map(\.instance.key) + updates.map(\.key) where seen.insert(k).inserted { keys.append(k) }
        var openBefore: [AlertKey: Int64] = [:]
        let open = try await connection.query(
            """
            SELECT u.n, (SELECT max(e.id) FROM alert_episode e
                         WHERE e.rule = u.rule AND e.station = u.station AND e.parameter = u.parameter AND e.ended_at IS NULL)
            FROM unnest(\(keys.map(\.rule))::text[], \(keys.map(\.station))::text[], \(keys.map(\.parameter))::text[])
                 WITH ORDINALITY AS u(rule, station, parameter, n)
            """, logger: logger)
        for try await (n, id) in open.decode((Int64, Int64?).self) { if let id { openBefore[keys[Int(n) - 1]] = id } }
        var episodeIDs: [Int64] = []
        var historyIDs: [Int64] = []
        let ids = try await connection.query(
            """
            SELECT 1, nextval(pg_get_serial_sequence('alert_episode', 'id')) FROM generate_series(1, \(Int64(opens(transitions))))
            UNION ALL
            SELECT 2, nextval(pg_get_serial_sequence('alert_transition', 'id')) FROM generate_series(1, \(Int64(historyCount(transitions))))
            """, logger: logger)
        for try await (which, id) in ids.decode((Int32, Int64).self) {
            if which == 1 { episodeIDs.append(id) } else { historyIDs.append(id) }
        }
        let batch = JournalBatch(
            transitions, updates: updates, openBefore: openBefore, episodeIDs: episodeIDs.sorted(), historyIDs: historyIDs.sorted())
        try await batch.write(recordedAt: recordedAt, on: connection, logger: logger)
    }

    private func write(recordedAt: Int64, on connection: PostgresConnection, logger: Logger) async throws {
        // Episodes open before the batch: closed by key (before the batch's own exist), then peaks.
        if !closedExisting.isEmpty {
            let c = closedExisting.map { (key: $0.key, endedAt: $0.value.endedAt, peak: $0.value.peak) }
            try await connection.query(
                """
                UPDATE alert_episode e SET ended_at = u.ended_at, peak = NULLIF(u.peak, '')::float8
                FROM unnest(\(c.map(\.key.rule))::text[], \(c.map(\.key.station))::text[], \(c.map(\.key.parameter))::text[],
                            \(c.map(\.endedAt))::bigint[], \(c.map { Self.text($0.peak) })::text[]) AS u(rule, station, parameter, ended_at, peak)
                WHERE e.rule = u.rule AND e.station = u.station AND e.parameter = u.parameter AND e.ended_at IS NULL
                """, logger: logger)
        }
        if !peakExisting.isEmpty {
            let p = peakExisting.map { (key: $0.key, peak: $0.value) }
            try await connection.query(
                """
                UPDATE alert_episode e SET peak = NULLIF(u.peak, '')::float8
                FROM unnest(\(p.map(\.key.rule))::text[], \(p.map(\.key.station))::text[], \(p.map(\.key.parameter))::text[],
                            \(p.map { Self.text($0.peak) })::text[]) AS u(rule, station, parameter, peak)
                WHERE e.rule = u.rule AND e.station = u.station AND e.parameter = u.parameter AND e.ended_at IS NULL
                """, logger: logger)
        }
        if !newEpisodes.isEmpty {
            let e = newEpisodes
            try await connection.query(
                """
                INSERT INTO alert_episode (id, rule, station, parameter, state, severity, started_at, fired_at, ended_at, peak)
                SELECT id, rule, station, parameter, state, NULLIF(severity, ''), started_at, fired_at, NULLIF(ended_at, '')::bigint,
                       NULLIF(peak, '')::float8
                FROM unnest(\(e.map(\.id))::bigint[], \(e.map(\.key.rule))::text[], \(e.map(\.key.station))::text[],
                            \(e.map(\.key.parameter))::text[],
                            \(e.map(\.state.rawValue))::text[], \(e.map { $0.severity?.rawValue ?? "" })::text[], \(e.map(\.startedAt))::bigint[],
                            \(e.map(\.firedAt))::bigint[], \(e.map { Self.text($0.endedAt) })::text[], \(e.map { Self.text($0.peak) })::text[])
                     AS u(id, rule, station, parameter, state, severity, started_at, fired_at, ended_at, peak)
                """, logger: logger)
        }
        let deleted = finalInstances.filter { $0.value == nil }.map(\.key)
        if !deleted.isEmpty {
            try await connection.query(
                """
                DELETE FROM alert_instance a USING unnest(\(deleted.map(\.rule))::text[], \(deleted.map(\.station))::text[],
                                                          \(deleted.map(\.parameter))::text[]) AS u(rule, station, parameter)
                WHERE a.rule = u.rule AND a.station = u.station AND a.parameter = u.parameter
                """, logger: logger)
        }
        let kept = finalInstances.values.compactMap { $0 }
        if !kept.isEmpty {
            try await connection.query(
                """
                INSERT INTO alert_instance (rule, station, parameter, state, since, pending_since, clearing_since, value, peak,
                                            last_observed, sequence, episode)
                SELECT rule, station, parameter, state, since, NULLIF(pending_since, '')::bigint, NULLIF(clearing_since, '')::bigint,
                       NULLIF(value, '')::float8, NULLIF(peak, '')::float8, NULLIF(last_observed, '')::bigint, sequence,
                       NULLIF(episode, '')::bigint
                FROM unnest(\(kept.map(\.key.rule))::text[], \(kept.map(\.key.station))::text[], \(kept.map(\.key.parameter))::text[],
                            \(kept.map(\.state.rawValue))::text[], \(kept.map(\.since))::bigint[], \(kept.map { Self.text($0.pendingSince) })::text[],
                            \(kept.map { Self.text($0.clearingSince) })::text[], \(kept.map { Self.text($0.value) })::text[],
                            \(kept.map { Self.text($0.peak) })::text[], \(kept.map { Self.text($0.lastObserved) })::text[],
                            \(kept.map { Int64($0.sequence) })::bigint[], \(kept.map { Self.text($0.episode) })::text[])
                     AS u(rule, station, parameter, state, since, pending_since, clearing_since, value, peak, last_observed, sequence, episode)
                ON CONFLICT (rule, station, parameter) DO UPDATE SET
                    state = excluded.state, since = excluded.since, pending_since = excluded.pending_since,
                    clearing_since = excluded.clearing_since, value = excluded.value, peak = excluded.peak,
                    last_observed = excluded.last_observed, sequence = excluded.sequence, episode = excluded.episode
                """, logger: logger)
        }
        if !untouchedUpdates.isEmpty {
            let u = Array(untouchedUpdates.values)
            try await connection.query(
                """
                UPDATE alert_instance a SET pending_since = NULLIF(u.pending_since, '')::bigint,
                    clearing_since = NULLIF(u.clearing_since, '')::bigint,
                    value = NULLIF(u.value, '')::float8, peak = NULLIF(u.peak, '')::float8, last_observed = NULLIF(u.last_observed, '')::bigint
                FROM unnest(\(u.map(\.key.rule))::text[], \(u.map(\.key.station))::text[], \(u.map(\.key.parameter))::text[],
                            \(u.map { Self.text($0.pendingSince) })::text[], \(u.map { Self.text($0.clearingSince) })::text[],
                            \(u.map { Self.text($0.value) })::text[], \(u.map { Self.text($0.peak) })::text[],
                            \(u.map { Self.text($0.lastObserved) })::text[], \(u.map { Int64($0.sequence) })::bigint[])
                     AS u(rule, station, parameter, pending_since, clearing_since, value, peak, last_observed, sequence)
                WHERE a.rule = u.rule AND a.station = u.station AND a.parameter = u.parameter AND a.sequence = u.sequence
                """, logger: logger)
        }
        guard !history.isEmpty else { return }
        let h = history
        try await connection.query(
            """
            INSERT INTO alert_transition (id, rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason)
            SELECT id, rule, station, parameter, sequence, from_state, to_state, at, \(recordedAt), NULLIF(value, '')::float8, reason
            FROM unnest(\(h.map(\.id))::bigint[], \(h.map(\.transition.instance.key.rule))::text[],
                        \(h.map(\.transition.instance.key.station))::text[],
                        \(h.map(\.transition.instance.key.parameter))::text[], \(h.map { Int64($0.sequence) })::bigint[],
                        \(h.map(\.transition.from.rawValue))::text[], \(h.map(\.transition.to.rawValue))::text[], \(h.map(\.transition.at))::bigint[],
                        \(h.map { Self.text($0.value) })::text[], \(h.map(\.transition.reason))::text[])
                 AS u(id, rule, station, parameter, sequence, from_state, to_state, at, value, reason)
            """, logger: logger)
        // Notifications in transition order; a replayed one (same key) is not queued twice.
        let n = history.compactMap { row in row.transition.notification.map { (transition: row.id, notification: $0) } }
        guard !n.isEmpty else { return }
        try await connection.query(
            """
            INSERT INTO alert_outbox (idempotency_key, transition, created_at, payload)
            SELECT idempotency_key, transition, \(recordedAt), payload
            FROM unnest(\(n.map(\.notification.idempotencyKey))::text[], \(n.map(\.transition))::bigint[], \(n.map(\.notification.json))::text[])
                 WITH ORDINALITY AS u(idempotency_key, transition, payload, n)
            ORDER BY n
            ON CONFLICT (idempotency_key) DO NOTHING
            """, logger: logger)
    }

    /// A nullable number as an array element: its shortest exact decimal text, or '' for null.
    private static func text(_ v: Int64?) -> String { v.map(String.init) ?? "" }
    private static func text(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
}
