import Foundation
import GRDB

extension SQLiteStore {
    /// Every row of the alert and case tables with its ids, from one snapshot (one read
    /// transaction), in the order `PostgresStore.alertStateRows()` gives them: what
    /// `envmon migrate` copies.
    public func alertStateRows() async throws(StoreError) -> AlertStateRows {
        do {
            return try await pool.read { db in
                var out = AlertStateRows()
                out.instances = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT rule, station, parameter, state, since, pending_since, clearing_since, value, peak, last_observed, sequence, episode
                        FROM alert_instance ORDER BY rule, station, parameter
                        """
                ).map { r in
                    AlertInstance(
                        key: AlertKey(rule: r[0], station: r[1], parameter: r[2]), state: AlertState(rawValue: r[3]) ?? .inactive, since: r[4],
                        pendingSince: r[5], clearingSince: r[6], value: r[7], peak: r[8], lastObserved: r[9], sequence: r[10], episode: r[11])
                }
                out.transitions = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason
                        FROM alert_transition ORDER BY id
                        """
                ).map { r in
                    AlertStateRows.Transition(
                        id: r[0], key: AlertKey(rule: r[1], station: r[2], parameter: r[3]), sequence: r[4],
                        from: AlertState(rawValue: r[5]) ?? .inactive, to: AlertState(rawValue: r[6]) ?? .inactive, at: r[7], recordedAt: r[8],
                        value: r[9], reason: r[10])
                }
                out.episodes = try Row.fetchAll(
                    db,
                    sql: "SELECT id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity FROM alert_episode ORDER BY id"
                ).map { r in
                    AlertEpisode(
                        id: r[0], key: AlertKey(rule: r[1], station: r[2], parameter: r[3]), state: AlertState(rawValue: r[4]) ?? .firing,
                        startedAt: r[5], firedAt: r[6], endedAt: r[7], peak: r[8], severity: (r[9] as String?).flatMap(AlertSeverity.init(rawValue:)))
                }
                out.notifications = try Row.fetchAll(
                    db, sql: "SELECT id, idempotency_key, transition, created_at, payload, routed_at, delivered_at FROM alert_outbox ORDER BY id"
                ).map { r in
                    AlertStateRows.Notification(
                        id: r[0], idempotencyKey: r[1], transition: r[2], createdAt: r[3], payload: r[4], routedAt: r[5], deliveredAt: r[6])
                }
                out.deliveries = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT outbox, receiver, state, attempts, due_at, claimant, lease_until, last_error, finished_at, message
                        FROM outbox_delivery ORDER BY outbox, receiver
                        """
                ).map { r in
                    AlertStateRows.Delivery(
                        outbox: r[0], receiver: r[1], state: r[2], attempts: r[3], dueAt: r[4], claimant: r[5], leaseUntil: r[6], lastError: r[7],
                        finishedAt: r[8], message: r[9])
                }
                out.silences = try Row.fetchAll(
                    db, sql: "SELECT id, matchers, starts_at, ends_at, created_by, comment, created_at, expired_at FROM silence ORDER BY id"
                ).map { r in
                    let matchers = try JSONDecoder().decode([String].self, from: Data((r[1] as String).utf8))
                    return AlertStateRows.SilenceRow(
                        silence: Silence(id: r[0], matchers: matchers, startsAt: r[2], endsAt: r[3], createdBy: r[4], comment: r[5], createdAt: r[6]),
                        expiredAt: r[7])
                }
                out.acknowledgements = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT a.episode, e.rule, e.station, e.parameter, e.started_at, a.acked_by, a.comment, a.acked_at
                        FROM alert_ack a JOIN alert_episode e ON e.id = a.episode ORDER BY a.episode
                        """
                ).map { r in
                    AlertAcknowledgement(
                        episode: r[0], key: AlertKey(rule: r[1], station: r[2], parameter: r[3]), startedAt: r[4], by: r[5], comment: r[6], at: r[7])
                }
                out.cases = try Row.fetchAll(db, sql: "SELECT \(SQLiteCaseRegister.columns) FROM case_record ORDER BY id").map(
                    SQLiteCaseRegister.record)
                out.caseEvents = try Row.fetchAll(db, sql: "SELECT \(SQLiteCaseRegister.eventColumns) FROM case_event ORDER BY case_id, seq")
                    .map(SQLiteCaseRegister.event)
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read the alert state", underlying: error)
        }
    }
}
