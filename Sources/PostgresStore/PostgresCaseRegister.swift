import Foundation
import Logging
import PostgresNIO
public import Store

/// The case register on a ``PostgresStore``'s database, for any number of daemons and commands
/// at once.
///
/// ``changeCases(_:recordedAt:_:)`` takes a transaction-scoped advisory lock per case id it
/// reads (ids that do not exist yet included, so two writers cannot both open one case), in one
/// order, before reading the cases: what `decide` sees cannot change before its decision is
/// written, as under SQLite's single writer. Nothing is ever deleted: triggers refuse to change
/// or delete an event, or to delete a case.
public struct PostgresCaseRegister: CaseRegister {
    let client: PostgresClient
    let logger: Logger

    /// The first key of the case locks (`pg_advisory_xact_lock(int4, int4)`), apart from the
    /// store's other advisory locks: ASCII "CASE".
    static let lockSpace: Int32 = 0x4341_5345

    static let columns = """
        id, title, source, unit, leader, deadline, status, stations, rules, parameter, episode, opened_at, status_since, reopen_count, revision
        """
    static let eventColumns = "case_id, seq, kind, at, recorded_at, author, from_status, to_status, text, evidence, fields"

    public func cases() async throws(StoreError) -> [CaseRecord] {
        do {
            return try await Self.records(
                client.query("SELECT \(unescaped: Self.columns) FROM case_record ORDER BY id COLLATE \"C\"", logger: logger))
        } catch {
            throw PostgresStore.error(.read, "cannot read the case register", error)
        }
    }

    public func caseRecord(_ id: String) async throws(StoreError) -> CaseRecord? {
        do {
            return try await Self.records(client.query("SELECT \(unescaped: Self.columns) FROM case_record WHERE id = \(id)", logger: logger)).first
        } catch {
            throw PostgresStore.error(.read, "cannot read case \(id)", error)
        }
    }

    public func caseEvents(_ id: String?) async throws(StoreError) -> [CaseEvent] {
        do {
            let rows =
                if let id {
                    try await client.query(
                        "SELECT \(unescaped: Self.eventColumns) FROM case_event WHERE case_id = \(id) ORDER BY seq", logger: logger)
                } else {
                    try await client.query(
                        "SELECT \(unescaped: Self.eventColumns) FROM case_event ORDER BY case_id COLLATE \"C\", seq", logger: logger)
                }
            return try await Self.events(rows)
        } catch {
            throw PostgresStore.error(.read, "cannot read the history of \(id.map { "case \($0)" } ?? "the cases")", error)
        }
    }

    /// A refusal thrown out of the transaction, which rolls it back.
    private struct Refused: Error { let message: String }

    public func changeCases(_ ids: [String], recordedAt: Int64, _ decide: @escaping @Sendable ([String: CaseRecord]) -> CaseDecision)
        async throws(StoreError) -> [CaseChange]
    {
        let logger = logger
        let unique = Array(Set(ids))
        do {
            return try await client.withTransaction(logger: logger) { connection in
                // The locks, by hash, in one order (two writers never wait for each other in a
                // circle); then the cases as the last writer left them.
                try await connection.query(
                    """
                    SELECT pg_advisory_xact_lock(\(Self.lockSpace), h)
                    FROM (SELECT DISTINCT hashtext(id) AS h FROM unnest(\(unique)::text[]) AS u(id) ORDER BY 1) AS l
                    """, logger: logger)
                var current: [String: CaseRecord] = [:]
                let rows = try await connection.query(
                    "SELECT \(unescaped: Self.columns) FROM case_record WHERE id = ANY(\(unique)::text[])", logger: logger)
                for record in try await Self.records(rows) { current[record.id] = record }
                switch decide(current) {
                case .refuse(let message): throw Refused(message: message)
                case .apply(let changes):
                    var written: [CaseChange] = []
                    for change in changes {
                        written.append(
                            try await Self.write(change, before: current[change.record.id], recordedAt: recordedAt, on: connection, logger: logger))
                    }
                    return written
                }
            }
        } catch {
            if let transaction = error as? PostgresTransactionError, let refused = transaction.closureError as? Refused {
                throw StoreError(.conflict, refused.message)
            }
            throw PostgresStore.error(.write, "cannot write to the case register", error)
        }
    }

    private static func write(
        _ change: CaseChange, before: CaseRecord?, recordedAt: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws -> CaseChange {
        var out = change
        let id = change.record.id
        var revision = 0
        for try await n in try await connection.query("SELECT coalesce(max(seq), 0) FROM case_event WHERE case_id = \(id)", logger: logger)
            .decode(Int.self)
        {
            revision = n
        }
        if before == nil, revision > 0 {
            // A history without a record: never happens unless the decider was asked about the wrong ids.
            throw Refused(message: "case \(id) exists but was not read")
        }
        for i in out.events.indices {
            revision += 1
            out.events[i].caseID = id
            out.events[i].sequence = revision
            out.events[i].recordedAt = recordedAt
        }
        if !out.events.isEmpty {
            // One statement; a status that did not change is sent as '' (arrays carry no nulls here).
            let e = out.events
            try await connection.query(
                """
                INSERT INTO case_event (\(unescaped: eventColumns))
                SELECT case_id, seq, kind, at, recorded_at, author, NULLIF(from_status, ''), NULLIF(to_status, ''), text, evidence, fields
                FROM unnest(\(e.map(\.caseID))::text[], \(e.map { Int32($0.sequence) })::integer[], \(e.map(\.kind.rawValue))::text[],
                                     \(e.map(\.at))::bigint[], \(e.map(\.recordedAt))::bigint[], \(e.map(\.author))::text[],
                                     \(e.map { $0.from?.rawValue ?? "" })::text[], \(e.map { $0.to?.rawValue ?? "" })::text[],
                                     \(e.map(\.text))::text[], \(e.map { json($0.evidence) })::text[], \(e.map { json($0.fields) })::text[])
                    AS u(case_id, seq, kind, at, recorded_at, author, from_status, to_status, text, evidence, fields)
                """, logger: logger)
        }
        out.record.revision = revision
        let r = out.record
        try await connection.query(
            """
            INSERT INTO case_record (\(unescaped: columns))
            VALUES (\(r.id), \(r.title), \(r.source.rawValue), \(r.unit), \(r.leader), \(r.deadline), \(r.status.rawValue), \(json(r.stations)),
                    \(json(r.rules)), \(r.parameter), \(r.episode), \(r.openedAt), \(r.statusSince), \(Int32(r.reopenCount)), \(Int32(r.revision)))
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, unit = excluded.unit,
                leader = excluded.leader, deadline = excluded.deadline, status = excluded.status, stations = excluded.stations,
                rules = excluded.rules, parameter = excluded.parameter, episode = excluded.episode, opened_at = excluded.opened_at,
                status_since = excluded.status_since, reopen_count = excluded.reopen_count, revision = excluded.revision
            """, logger: logger)
        return out
    }

    public func alertEpisode(_ id: Int64) async throws(StoreError) -> AlertEpisode? {
        do {
            let rows = try await client.query(
                "SELECT \(unescaped: PostgresAlertRows.episodeColumns) FROM alert_episode WHERE id = \(id)", logger: logger)
            return try await PostgresAlertRows.episodes(rows).first
        } catch {
            throw PostgresStore.error(.read, "cannot read alert episode \(id)", error)
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        // Sorted keys: the same fields always give the same text (as in SQLiteCaseRegister).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// Case events of rows of ``eventColumns``.
    static func events(_ rows: PostgresRowSequence) async throws -> [CaseEvent] {
        var out: [CaseEvent] = []
        for try await r in rows.decode((String, Int, String, Int64, Int64, String, String?, String?, String, String, String).self) {
            guard let kind = CaseEvent.Kind(rawValue: r.2) else {
                throw StoreError(.read, "case \(r.0) has an event of unknown kind \(r.2)")
            }
            out.append(
                CaseEvent(
                    caseID: r.0, kind: kind, at: r.3, author: r.5, from: r.6.flatMap(CaseStatus.init(rawValue:)),
                    to: r.7.flatMap(CaseStatus.init(rawValue:)), text: r.8, evidence: try Self.decode([String].self, r.9),
                    fields: try Self.decode([String: String].self, r.10), sequence: r.1, recordedAt: r.4))
        }
        return out
    }

    /// Case records of rows of ``columns``.
    static func records(_ rows: PostgresRowSequence) async throws -> [CaseRecord] {
        var out: [CaseRecord] = []
        for try await r in rows.decode(
            (String, String, String, String, String, String?, String, String, String, String?, Int64?, Int64, Int64, Int, Int).self)
        {
            guard let source = CaseSource(rawValue: r.2), let status = CaseStatus(rawValue: r.6) else {
                throw StoreError(.read, "case \(r.0) has an unknown source or status (\(r.2), \(r.6))")
            }
            out.append(
                CaseRecord(
                    id: r.0, title: r.1, source: source, unit: r.3, leader: r.4, deadline: r.5, status: status,
                    stations: try decode([String].self, r.7), rules: try decode([String].self, r.8), parameter: r.9, episode: r.10,
                    openedAt: r.11, statusSince: r.12, reopenCount: r.13, revision: r.14))
        }
        return out
    }
}

extension PostgresStore {
    /// The case register on this store's connection pool.
    public var caseRegister: PostgresCaseRegister { PostgresCaseRegister(client: client, logger: logger) }
}
