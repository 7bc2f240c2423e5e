import Foundation
import PostgresNIO
import Store

/// Rows of the alert tables as the Store's values: the decoding the journal, the outbox, alert
/// control and the case register share.
enum PostgresAlertRows {
    /// The columns ``episodes(_:)`` decodes, in its order.
    static let episodeColumns = "id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity"

    /// Episodes of rows of ``episodeColumns``.
    static func episodes(_ rows: PostgresRowSequence) async throws -> [AlertEpisode] {
        var out: [AlertEpisode] = []
        for try await r in rows.decode((Int64, String, String, String, String, Int64, Int64, Int64?, Double?, String?).self) {
            out.append(
                AlertEpisode(
                    id: r.0, key: AlertKey(rule: r.1, station: r.2, parameter: r.3), state: AlertState(rawValue: r.4) ?? .firing,
                    startedAt: r.5, firedAt: r.6, endedAt: r.7, peak: r.8, severity: r.9.flatMap(AlertSeverity.init(rawValue:))))
        }
        return out
    }

    /// Outbox entries of rows of `id, payload, created_at`.
    static func entries(_ rows: PostgresRowSequence) async throws -> [OutboxEntry] {
        var out: [OutboxEntry] = []
        for try await (id, payload, createdAt) in rows.decode((Int64, String, Int64).self) {
            out.append(try entry(id: id, payload: payload, createdAt: createdAt))
        }
        return out
    }

    /// An outbox row as the notification it holds.
    static func entry(id: Int64, payload: String, createdAt: Int64) throws -> OutboxEntry {
        OutboxEntry(id: id, notification: try AlertNotification(outboxJSON: payload), createdAt: createdAt)
    }
}
