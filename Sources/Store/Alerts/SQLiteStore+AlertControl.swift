import Foundation
import GRDB

extension SQLiteStore: AlertControl {
    public func addSilence(_ silence: Silence) async throws(StoreError) -> Int64 {
        do {
            let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
            return try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO silence (matchers, starts_at, ends_at, created_by, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [matchers, silence.startsAt, silence.endsAt, silence.createdBy, silence.comment, silence.createdAt])
                return db.lastInsertedRowID
            }
        } catch {
            throw StoreError(.write, "cannot store the silence", underlying: error)
        }
    }

    public func expireSilence(_ id: Int64, at: Int64) async throws(StoreError) -> Bool {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "UPDATE silence SET ends_at = max(starts_at, ?), expired_at = ? WHERE id = ? AND ends_at > ?", arguments: [at, at, id, at])
                return db.changesCount > 0
            }
        } catch {
            throw StoreError(.write, "cannot expire silence \(id)", underlying: error)
        }
    }

    public func silences(notEndedAt now: Int64?) async throws(StoreError) -> [Silence] {
        do {
            let rows = try await pool.read { db in
                try (now.map { try Row.fetchAll(db, sql: AlertReadSQL.silencesNotEnded, arguments: [$0]) }
                    ?? Row.fetchAll(db, sql: AlertReadSQL.allSilences)).map { ($0[0] as Int64, $0[1] as String, $0[2] as Int64, $0[3] as Int64, $0[4] as String, $0[5] as String, $0[6] as Int64) }
            }
            return try rows.map {
                Silence(
                    id: $0.0, matchers: try JSONDecoder().decode([String].self, from: Data($0.1.utf8)), startsAt: $0.2, endsAt: $0.3,
                    createdBy: $0.4, comment: $0.5, createdAt: $0.6)
            }
        } catch {
            throw StoreError(.read, "cannot read the silences", underlying: error)
        }
    }

    public func acknowledge(episode id: Int64, by: String, comment: String, at: Int64) async throws(StoreError) -> AlertEpisode {
        let found: AlertEpisode?
        do {
            found = try await pool.write { db -> AlertEpisode? in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: "SELECT id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity FROM alert_episode WHERE id = ?",
                        arguments: [id])
                else { return nil }
                let episode = AlertEpisode(
                    id: row[0], key: AlertKey(rule: row[1], station: row[2], parameter: row[3]), state: AlertState(rawValue: row[4]) ?? .firing,
                    startedAt: row[5], firedAt: row[6], endedAt: row[7], peak: row[8],
                    severity: (row[9] as String?).flatMap(AlertSeverity.init(rawValue:)))
                if episode.endedAt == nil {
                    try db.execute(
                        sql: """
                            INSERT INTO alert_ack (episode, acked_by, comment, acked_at) VALUES (?, ?, ?, ?)
                            ON CONFLICT (episode) DO UPDATE SET acked_by = excluded.acked_by, comment = excluded.comment, acked_at = excluded.acked_at
                            """, arguments: [id, by, comment, at])
                }
                return episode
            }
        } catch {
            throw StoreError(.write, "cannot acknowledge episode \(id)", underlying: error)
        }
        return try AlertEpisode.acknowledgeable(found, id: id)
    }

    public func openAcknowledgements() async throws(StoreError) -> [AlertAcknowledgement] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: AlertReadSQL.openAcknowledgements).map {
                    AlertAcknowledgement(
                        episode: $0[0], key: AlertKey(rule: $0[1], station: $0[2], parameter: $0[3]), startedAt: $0[4], by: $0[5], comment: $0[6],
                        at: $0[7])
                }
            }
        } catch {
            throw StoreError(.read, "cannot read the acknowledgements", underlying: error)
        }
    }
}
