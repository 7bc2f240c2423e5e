import Foundation
import Logging
import NIOCore
import PostgresNIO
public import Store

/// Bulk load and export of the alert and case tables with their ids, for `envmon migrate`
/// (issue 17, item 3).
extension PostgresStore {
    /// The tables ``loadAlertState(_:)`` fills, in the order their references need.
    static let alertTables = [
        "alert_transition", "alert_episode", "alert_outbox", "outbox_delivery", "silence", "alert_ack", "alert_instance", "case_record", "case_event",
    ]

    /// Loads alert state, history, episodes, the outbox with its deliveries and leases, silences,
    /// acknowledgements and cases into a store whose alert and case tables are empty, ids kept,
    /// in one transaction (one `COPY` a table); then moves each id sequence past the largest id
    /// loaded, so that what is written afterwards gets new ids.
    /// - Throws: `conflict` when one of the tables has rows already; `write` when the database
    ///   refuses a row (a reference to a row not loaded, a duplicate key).
    public func loadAlertState(_ rows: AlertStateRows) async throws(StoreError) {
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                // No other writer of these tables while they are filled.
                try await connection.query(
                    PostgresQuery(unsafeSQL: "LOCK TABLE \(Self.alertTables.joined(separator: ", ")) IN EXCLUSIVE MODE"), logger: logger)
                for table in Self.alertTables {
                    for try await _ in try await connection.query(PostgresQuery(unsafeSQL: "SELECT 1 FROM \(table) LIMIT 1"), logger: logger) {
                        throw StoreError(.conflict, "\(table) is not empty: alert state is loaded only into a store that has none")
                    }
                }
                let text = AlertCopyText(rows)
                for (table, columns, data) in text.tables where data.readableBytes > 0 {
                    try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                        try await writer.write(data)
                    }
                }
                for table in ["alert_transition", "alert_episode", "alert_outbox", "silence"] {
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)
                                """), logger: logger)
                }
            }
        } catch {
            if let transaction = error as? PostgresTransactionError, let refusal = transaction.closureError as? StoreError {
                throw refusal
            }
            throw Self.error(.write, "cannot load the alert state", error)
        }
    }

    /// Every row of the alert and case tables with its ids, from one snapshot: what
    /// ``loadAlertState(_:)`` loads, to compare a migrated store with its source.
    public func alertStateRows() async throws(StoreError) -> AlertStateRows {
        let logger = logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
                var out = AlertStateRows()
                var rows = try await connection.query(
                    """
                    SELECT rule, station, parameter, state, since, pending_since, clearing_since, value, peak, last_observed, sequence, episode
                    FROM alert_instance ORDER BY rule COLLATE "C", station COLLATE "C", parameter COLLATE "C"
                    """, logger: logger)
                for try await r in rows.decode(
                    (String, String, String, String, Int64, Int64?, Int64?, Double?, Double?, Int64?, Int64, Int64?).self)
                {
                    out.instances.append(
                        AlertInstance(
                            key: AlertKey(rule: r.0, station: r.1, parameter: r.2), state: AlertState(rawValue: r.3) ?? .inactive, since: r.4,
                            pendingSince: r.5, clearingSince: r.6, value: r.7, peak: r.8, lastObserved: r.9, sequence: Int(r.10), episode: r.11))
                }
                rows = try await connection.query(
                    """
                    SELECT id, rule, station, parameter, sequence, from_state, to_state, at, recorded_at, value, reason
                    FROM alert_transition ORDER BY id
                    """, logger: logger)
                for try await r in rows.decode((Int64, String, String, String, Int64, String, String, Int64, Int64, Double?, String).self) {
                    out.transitions.append(
                        AlertStateRows.Transition(
                            id: r.0, key: AlertKey(rule: r.1, station: r.2, parameter: r.3), sequence: Int(r.4),
                            from: AlertState(rawValue: r.5) ?? .inactive, to: AlertState(rawValue: r.6) ?? .inactive, at: r.7, recordedAt: r.8,
                            value: r.9, reason: r.10))
                }
                out.episodes = try await PostgresAlertRows.episodes(
                    connection.query("SELECT \(unescaped: PostgresAlertRows.episodeColumns) FROM alert_episode ORDER BY id", logger: logger))
                rows = try await connection.query(
                    "SELECT id, idempotency_key, transition, created_at, payload, routed_at, delivered_at FROM alert_outbox ORDER BY id",
                    logger: logger)
                for try await r in rows.decode((Int64, String, Int64?, Int64, String, Int64?, Int64?).self) {
                    out.notifications.append(
                        AlertStateRows.Notification(
                            id: r.0, idempotencyKey: r.1, transition: r.2, createdAt: r.3, payload: r.4, routedAt: r.5, deliveredAt: r.6))
                }
                rows = try await connection.query(
                    """
                    SELECT outbox, receiver, state, attempts, due_at, claimant, lease_until, last_error, finished_at, message
                    FROM outbox_delivery ORDER BY outbox, receiver COLLATE "C"
                    """, logger: logger)
                for try await r in rows.decode((Int64, String, String, Int, Int64, String?, Int64?, String?, Int64?, String?).self) {
                    out.deliveries.append(
                        AlertStateRows.Delivery(
                            outbox: r.0, receiver: r.1, state: r.2, attempts: r.3, dueAt: r.4, claimant: r.5, leaseUntil: r.6, lastError: r.7,
                            finishedAt: r.8, message: r.9))
                }
                rows = try await connection.query(
                    "SELECT id, matchers, starts_at, ends_at, created_by, comment, created_at, expired_at FROM silence ORDER BY id", logger: logger)
                for try await r in rows.decode((Int64, String, Int64, Int64, String, String, Int64, Int64?).self) {
                    let silence = Silence(
                        id: r.0, matchers: try JSONDecoder().decode([String].self, from: Data(r.1.utf8)), startsAt: r.2, endsAt: r.3,
                        createdBy: r.4, comment: r.5, createdAt: r.6)
                    out.silences.append(AlertStateRows.SilenceRow(silence: silence, expiredAt: r.7))
                }
                rows = try await connection.query(
                    """
                    SELECT a.episode, e.rule, e.station, e.parameter, e.started_at, a.acked_by, a.comment, a.acked_at
                    FROM alert_ack a JOIN alert_episode e ON e.id = a.episode ORDER BY a.episode
                    """, logger: logger)
                for try await r in rows.decode((Int64, String, String, String, Int64, String, String, Int64).self) {
                    out.acknowledgements.append(
                        AlertAcknowledgement(
                            episode: r.0, key: AlertKey(rule: r.1, station: r.2, parameter: r.3), startedAt: r.4, by: r.5, comment: r.6, at: r.7))
                }
                out.cases = try await PostgresCaseRegister.records(
                    connection.query("SELECT \(unescaped: PostgresCaseRegister.columns) FROM case_record ORDER BY id COLLATE \"C\"", logger: logger))
                out.caseEvents = try await PostgresCaseRegister.events(
                    connection.query(
                        "SELECT \(unescaped: PostgresCaseRegister.eventColumns) FROM case_event ORDER BY case_id COLLATE \"C\", seq", logger: logger))
                return out
            }
        } catch {
            throw Self.error(.read, "cannot read the alert state", error)
        }
    }
}

/// ``AlertStateRows`` as the text of one `COPY … FROM STDIN` a table: fields split by tabs,
/// rows by newlines, `\N` for null, backslash, tab, newline and carriage return escaped.
struct AlertCopyText {
    var tables: [(table: String, columns: [String], data: ByteBuffer)] = []

    init(_ rows: AlertStateRows) {
        add(
            "alert_transition", ["id", "rule", "station", "parameter", "sequence", "from_state", "to_state", "at", "recorded_at", "value", "reason"],
            rows.transitions.map { t in
                [
                    .int(t.id), .text(t.key.rule), .text(t.key.station), .text(t.key.parameter), .int(Int64(t.sequence)), .text(t.from.rawValue),
                    .text(t.to.rawValue), .int(t.at), .int(t.recordedAt), .double(t.value), .text(t.reason),
                ]
            })
        add(
            "alert_episode", ["id", "rule", "station", "parameter", "state", "severity", "started_at", "fired_at", "ended_at", "peak"],
            rows.episodes.map { e in
                [
                    .int(e.id), .text(e.key.rule), .text(e.key.station), .text(e.key.parameter), .text(e.state.rawValue),
                    .text(e.severity?.rawValue), .int(e.startedAt), .int(e.firedAt), .int(e.endedAt), .double(e.peak),
                ]
            })
        add(
            "alert_outbox", ["id", "idempotency_key", "transition", "created_at", "payload", "routed_at", "delivered_at"],
            rows.notifications.map { n in
                [.int(n.id), .text(n.idempotencyKey), .int(n.transition), .int(n.createdAt), .text(n.payload), .int(n.routedAt), .int(n.deliveredAt)]
            })
        add(
            "outbox_delivery",
            ["outbox", "receiver", "state", "attempts", "due_at", "claimant", "lease_until", "last_error", "finished_at", "message"],
            rows.deliveries.map { d in
                [
                    .int(d.outbox), .text(d.receiver), .text(d.state), .int(Int64(d.attempts)), .int(d.dueAt), .text(d.claimant), .int(d.leaseUntil),
                    .text(d.lastError), .int(d.finishedAt), .text(d.message),
                ]
            })
        add(
            "silence", ["id", "matchers", "starts_at", "ends_at", "created_by", "comment", "created_at", "expired_at"],
            rows.silences.map { r in
                let s = r.silence
                let matchers = String(decoding: (try? JSONEncoder().encode(s.matchers)) ?? Data("[]".utf8), as: UTF8.self)
                return [
                    .int(s.id), .text(matchers), .int(s.startsAt), .int(s.endsAt), .text(s.createdBy), .text(s.comment), .int(s.createdAt),
                    .int(r.expiredAt),
                ]
            })
        add(
            "alert_ack", ["episode", "acked_by", "comment", "acked_at"],
            rows.acknowledgements.map { a in [.int(a.episode), .text(a.by), .text(a.comment), .int(a.at)] })
        add(
            "alert_instance",
            [
                "rule", "station", "parameter", "state", "since", "pending_since", "clearing_since", "value", "peak", "last_observed", "sequence",
                "episode",
            ],
            rows.instances.map { i in
                [
                    .text(i.key.rule), .text(i.key.station), .text(i.key.parameter), .text(i.state.rawValue), .int(i.since), .int(i.pendingSince),
                    .int(i.clearingSince), .double(i.value), .double(i.peak), .int(i.lastObserved), .int(Int64(i.sequence)), .int(i.episode),
                ]
            })
        add(
            "case_record",
            [
                "id", "title", "source", "unit", "leader", "deadline", "status", "stations", "rules", "parameter", "episode", "opened_at",
                "status_since",
                "reopen_count", "revision",
            ],
            rows.cases.map { r in
                [
                    .text(r.id), .text(r.title), .text(r.source.rawValue), .text(r.unit), .text(r.leader), .text(r.deadline),
                    .text(r.status.rawValue),
                    .text(PostgresCaseRegister.json(r.stations)), .text(PostgresCaseRegister.json(r.rules)), .text(r.parameter), .int(r.episode),
                    .int(r.openedAt), .int(r.statusSince), .int(Int64(r.reopenCount)), .int(Int64(r.revision)),
                ]
            })
        add(
            "case_event", ["case_id", "seq", "kind", "at", "recorded_at", "author", "from_status", "to_status", "text", "evidence", "fields"],
            rows.caseEvents.map { e in
                [
                    .text(e.caseID), .int(Int64(e.sequence)), .text(e.kind.rawValue), .int(e.at), .int(e.recordedAt), .text(e.author),
                    .text(e.from?.rawValue), .text(e.to?.rawValue), .text(e.text), .text(PostgresCaseRegister.json(e.evidence)),
                    .text(PostgresCaseRegister.json(e.fields)),
                ]
            })
    }

    /// One field of a row.
    enum Field {
        case int(Int64?)
        case double(Double?)
        case text(String?)
    }

    private mutating func add(_ table: String, _ columns: [String], _ rows: [[Field]]) {
        var buffer = ByteBuffer()
        for row in rows {
            for (i, field) in row.enumerated() {
                if i > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
                Self.write(field, to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "\n"))
        }
        tables.append((table, columns, buffer))
    }

    private static func write(_ field: Field, to buffer: inout ByteBuffer) {
        switch field {
        case .int(nil), .double(nil), .text(nil): buffer.writeString("\\N")
        case .int(let v?): buffer.writeString(String(v))
        case .double(let v?):
            buffer.writeString(v.isNaN ? "NaN" : v == .infinity ? "Infinity" : v == -.infinity ? "-Infinity" : v.description)
        case .text(let s?):
            for byte in s.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.writeString("\\\\")
                case UInt8(ascii: "\t"): buffer.writeString("\\t")
                case UInt8(ascii: "\n"): buffer.writeString("\\n")
                case UInt8(ascii: "\r"): buffer.writeString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }
}
