import Foundation
import GRDB

/// The case register on the store's SQLite file.
///
/// The daemon gets one on its own pool (``SQLiteStore/caseRegister``); a command beside the
/// daemon opens one on the file (``init(path:)``): a single connection, no writer state, no
/// folding of staged readings, so what it costs the daemon's writer is its own few-row
/// transactions, which the daemon's busy handler waits out within a fraction of a millisecond.
public struct SQLiteCaseRegister: CaseRegister {
    let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    /// Opens the register in the store file at `path`, migrating its schema if needed.
    /// - Throws: ``StoreError`` with code `open` (no such file) or `migration`.
    public init(path: String) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.open, "no store at \(path)")
        }
        var config = Configuration()
        config.label = "envmon-cases"
        config.prepareDatabase { db in
            // Closing this connection must not delete the daemon's -wal and -shm files.
            try SQLiteStore.persistWAL(db.sqliteConnection)
        }
        // As the store's own handle: poll briefly, so a daemon's batch commit is waited out at once.
        config.busyMode = .callback { tries in
            usleep(tries < 100 ? 250 : 2_000)
            return tries < 100 + 4_990
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError(.open, "cannot open the store at \(path)", underlying: error)
        }
        do {
            // Nothing to do (and no write) when the daemon has migrated the file already.
            let current = try queue.read { db in try StoreSchema.migrator.hasCompletedMigrations(db) }
            if !current { try StoreSchema.migrator.migrate(queue) }
        } catch {
            throw StoreError(.migration, "cannot migrate the store at \(path)", underlying: error)
        }
        writer = queue
    }

    static let columns = """
        id, title, source, unit, leader, deadline, status, stations, rules, parameter, episode, opened_at, status_since, reopen_count, revision
        """
    static let eventColumns = "case_id, seq, kind, at, recorded_at, author, from_status, to_status, text, evidence, fields"

    public func cases() async throws(StoreError) -> [CaseRecord] {
        do {
            return try await writer.read { db in
                try Row.fetchAll(db, sql: "SELECT \(Self.columns) FROM case_record ORDER BY id").map(Self.record)
            }
        } catch {
            throw StoreError(.read, "cannot read the case register", underlying: error)
        }
    }

    public func caseRecord(_ id: String) async throws(StoreError) -> CaseRecord? {
        do {
            return try await writer.read { db in
                try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM case_record WHERE id = ?", arguments: [id]).map(Self.record)
            }
        } catch {
            throw StoreError(.read, "cannot read case \(id)", underlying: error)
        }
    }

    public func caseEvents(_ id: String?) async throws(StoreError) -> [CaseEvent] {
        do {
            return try await writer.read { db in
                let rows =
                    try id.map {
                        try Row.fetchAll(db, sql: "SELECT \(Self.eventColumns) FROM case_event WHERE case_id = ? ORDER BY seq", arguments: [$0])
                    } ?? Row.fetchAll(db, sql: "SELECT \(Self.eventColumns) FROM case_event ORDER BY case_id, seq")
                return try rows.map(Self.event)
            }
        } catch {
            throw StoreError(.read, "cannot read the history of \(id.map { "case \($0)" } ?? "the cases")", underlying: error)
        }
    }

    /// A refusal thrown out of the transaction, which rolls it back.
    private struct Refused: Error { let message: String }

    public func changeCases(_ ids: [String], recordedAt: Int64, _ decide: @escaping @Sendable ([String: CaseRecord]) -> CaseDecision)
        async throws(StoreError) -> [CaseChange]
    {
        do {
            return try await writer.writeWithoutTransaction { db in
                var written: [CaseChange] = []
                // IMMEDIATE: the write lock first, so what `decide` reads cannot change before the write.
                try db.inTransaction(.immediate) {
                    var current: [String: CaseRecord] = [:]
                    for id in Set(ids) {
                        if let row = try Row.fetchOne(db, sql: "SELECT \(Self.columns) FROM case_record WHERE id = ?", arguments: [id]) {
                            current[id] = try Self.record(row)
                        }
                    }
                    switch decide(current) {
                    case .refuse(let message): throw Refused(message: message)
                    case .apply(let changes):
                        for change in changes { written.append(try Self.write(change, before: current[change.record.id], recordedAt: recordedAt, db)) }
                    }
                    return .commit
                }
                return written
            }
        } catch let refused as Refused {
            throw StoreError(.conflict, refused.message)
        } catch {
            throw StoreError(.write, "cannot write to the case register", underlying: error)
        }
    }

    private static func write(_ change: CaseChange, before: CaseRecord?, recordedAt: Int64, _ db: Database) throws -> CaseChange {
        var out = change
        var revision = try before.map { _ in
            try Int.fetchOne(db, sql: "SELECT max(seq) FROM case_event WHERE case_id = ?", arguments: [change.record.id]) ?? 0
        } ?? 0
        if before == nil, try Int.fetchOne(db, sql: "SELECT count(*) FROM case_event WHERE case_id = ?", arguments: [change.record.id]) ?? 0 > 0 {
            // A history without a record: never happens unless the decider was asked about the wrong ids.
            throw Refused(message: "case \(change.record.id) exists but was not read")
        }
        for i in out.events.indices {
            revision += 1
            out.events[i].caseID = change.record.id
            out.events[i].sequence = revision
            out.events[i].recordedAt = recordedAt
            let e = out.events[i]
            try db.execute(
                sql: "INSERT INTO case_event (\(eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    e.caseID, e.sequence, e.kind.rawValue, e.at, e.recordedAt, e.author, e.from?.rawValue, e.to?.rawValue, e.text, json(e.evidence),
                    json(e.fields),
                ])
        }
        out.record.revision = revision
        let r = out.record
        try db.execute(
            // An upsert, not INSERT OR REPLACE, whose delete would meet the no-delete trigger.
            sql: """
                INSERT INTO case_record (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source, unit = excluded.unit,
                    leader = excluded.leader, deadline = excluded.deadline, status = excluded.status, stations = excluded.stations,
                    rules = excluded.rules, parameter = excluded.parameter, episode = excluded.episode, opened_at = excluded.opened_at,
                    status_since = excluded.status_since, reopen_count = excluded.reopen_count, revision = excluded.revision
                """,
            arguments: [
                r.id, r.title, r.source.rawValue, r.unit, r.leader, r.deadline, r.status.rawValue, json(r.stations), json(r.rules), r.parameter,
                r.episode, r.openedAt, r.statusSince, r.reopenCount, r.revision,
            ])
        return out
    }

    public func alertEpisode(_ id: Int64) async throws(StoreError) -> AlertEpisode? {
        do {
            return try await writer.read { db in
                try Row.fetchOne(
                    db, sql: "SELECT id, rule, station, parameter, state, started_at, fired_at, ended_at, peak, severity FROM alert_episode WHERE id = ?",
                    arguments: [id]
                ).map { row in
                    AlertEpisode(
                        id: row[0], key: AlertKey(rule: row[1], station: row[2], parameter: row[3]), state: AlertState(rawValue: row[4]) ?? .firing,
                        startedAt: row[5], firedAt: row[6], endedAt: row[7], peak: row[8],
                        severity: (row[9] as String?).flatMap(AlertSeverity.init(rawValue:)))
                }
            }
        } catch {
            throw StoreError(.read, "cannot read alert episode \(id)", underlying: error)
        }
    }

    private static func json<T: Encodable>(_ value: T) -> String {
        // Sorted keys: the same fields always give the same text.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func record(_ row: Row) throws -> CaseRecord {
        let id: String = row[0]
        guard let source = CaseSource(rawValue: row[2]), let status = CaseStatus(rawValue: row[6]) else {
            throw StoreError(.read, "case \(id) has an unknown source or status (\(row[2] as String), \(row[6] as String))")
        }
        return CaseRecord(
            id: id, title: row[1], source: source, unit: row[3], leader: row[4], deadline: row[5], status: status,
            stations: try decode([String].self, row[7]), rules: try decode([String].self, row[8]), parameter: row[9], episode: row[10],
            openedAt: row[11], statusSince: row[12], reopenCount: row[13], revision: row[14])
    }

    static func event(_ row: Row) throws -> CaseEvent {
        guard let kind = CaseEvent.Kind(rawValue: row[2]) else {
            throw StoreError(.read, "case \(row[0] as String) has an event of unknown kind \(row[2] as String)")
        }
        return CaseEvent(
            caseID: row[0], kind: kind, at: row[3], author: row[5], from: (row[6] as String?).flatMap(CaseStatus.init(rawValue:)),
            to: (row[7] as String?).flatMap(CaseStatus.init(rawValue:)), text: row[8], evidence: try decode([String].self, row[9]),
            fields: try decode([String: String].self, row[10]), sequence: row[1], recordedAt: row[4])
    }
}

extension SQLiteStore {
    /// The case register on this store's connections (the daemon's).
    public var caseRegister: SQLiteCaseRegister { SQLiteCaseRegister(writer: pool) }
}
