import Foundation
import PostgresNIO
public import Store

extension PostgresStore: AlertControl {
    public func addSilence(_ silence: Silence) async throws(StoreError) -> Int64 {
        do {
            let matchers = String(decoding: try JSONEncoder().encode(silence.matchers), as: UTF8.self)
            let rows = try await client.query(
                """
                INSERT INTO silence (matchers, starts_at, ends_at, created_by, comment, created_at)
                VALUES (\(matchers), \(silence.startsAt), \(silence.endsAt), \(silence.createdBy), \(silence.comment), \(silence.createdAt))
                RETURNING id
                """, logger: logger)
            var id: Int64 = 0
            for try await i in rows.decode(Int64.self) { id = i }
            return id
        } catch {
            throw Self.error(.write, "cannot store the silence", error)
        }
    }

    public func expireSilence(_ id: Int64, at: Int64) async throws(StoreError) -> Bool {
        do {
            let rows = try await client.query(
                """
                UPDATE silence SET ends_at = GREATEST(starts_at, \(at)), expired_at = \(at) WHERE id = \(id) AND ends_at > \(at) RETURNING id
                """, logger: logger)
            var changed = false
            for try await _ in rows.decode(Int64.self) { changed = true }
            return changed
        } catch {
            throw Self.error(.write, "cannot expire silence \(id)", error)
        }
    }

    public func silences(notEndedAt now: Int64?) async throws(StoreError) -> [Silence] {
        do {
            let columns = "id, matchers, starts_at, ends_at, created_by, comment, created_at"
            let rows =
                if let now {
                    try await client.query("SELECT \(unescaped: columns) FROM silence WHERE ends_at > \(now) ORDER BY id", logger: logger)
                } else {
                    try await client.query("SELECT \(unescaped: columns) FROM silence ORDER BY id", logger: logger)
                }
            var out: [Silence] = []
            for try await r in rows.decode((Int64, String, Int64, Int64, String, String, Int64).self) {
                out.append(
                    Silence(
                        id: r.0, matchers: try JSONDecoder().decode([String].self, from: Data(r.1.utf8)), startsAt: r.2, endsAt: r.3,
                        createdBy: r.4, comment: r.5, createdAt: r.6))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the silences", error)
        }
    }

    public func acknowledge(episode id: Int64, by: String, comment: String, at: Int64) async throws(StoreError) -> AlertEpisode {
        let logger = logger
        let found: AlertEpisode?
        do {
            found = try await client.withTransaction(logger: logger) { connection -> AlertEpisode? in
                // Locked, so that the episode cannot end between the check and the acknowledgement.
                let rows = try await connection.query(
                    "SELECT \(unescaped: PostgresAlertRows.episodeColumns) FROM alert_episode WHERE id = \(id) FOR SHARE", logger: logger)
                guard let episode = try await PostgresAlertRows.episodes(rows).first else { return nil }
                if episode.endedAt == nil {
                    try await connection.query(
                        """
                        INSERT INTO alert_ack (episode, acked_by, comment, acked_at) VALUES (\(id), \(by), \(comment), \(at))
                        ON CONFLICT (episode) DO UPDATE SET acked_by = excluded.acked_by, comment = excluded.comment, acked_at = excluded.acked_at
                        """, logger: logger)
                }
                return episode
            }
        } catch {
            throw Self.error(.write, "cannot acknowledge episode \(id)", error)
        }
        return try AlertEpisode.acknowledgeable(found, id: id)
    }

    public func openAcknowledgements() async throws(StoreError) -> [AlertAcknowledgement] {
        do {
            let rows = try await client.query(
                """
                SELECT e.id, e.rule, e.station, e.parameter, e.started_at, a.acked_by, a.comment, a.acked_at
                FROM alert_episode e JOIN alert_ack a ON a.episode = e.id WHERE e.ended_at IS NULL ORDER BY e.id
                """, logger: logger)
            var out: [AlertAcknowledgement] = []
            for try await r in rows.decode((Int64, String, String, String, Int64, String, String, Int64).self) {
                out.append(
                    AlertAcknowledgement(
                        episode: r.0, key: AlertKey(rule: r.1, station: r.2, parameter: r.3), startedAt: r.4, by: r.5, comment: r.6, at: r.7))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the acknowledgements", error)
        }
    }
}
