import EnvmonTesting
import Foundation
import Logging
import Monitoring
import PostgresStore
import Store
import Testing

/// What the suites read besides ``MonitoringStore``: the audit both stores offer, and the
/// case register as the rule engine, API and CLI hold it.
protocol InspectableStore: MonitoringStore {
    func revisions(of series: SeriesKey) async throws(StoreError) -> [(time: Int64, old: StoredSample, new: StoredSample)]
    /// The store's case register.
    var cases: any CaseRegister { get }
}

extension SQLiteStore: InspectableStore {
    var cases: any CaseRegister { caseRegister }
}
extension PostgresStore: InspectableStore {
    var cases: any CaseRegister { caseRegister }
}

/// A store implementation the suite runs against: every test takes one as its argument.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// ``SQLiteStore`` in a temporary folder.
    case sqlite
    /// ``PostgresStore`` sending new samples by COPY (its default).
    case postgres
    /// ``PostgresStore`` sending new samples as array parameters.
    case postgresArrays = "postgres-arrays"

    var testDescription: String { rawValue }

    /// One of each store (the PostgreSQL ones differ only in how they send new samples): for
    /// the suites of alerts, the outbox and cases.
    static let stores: [Backend] = [.sqlite, .postgres]

    /// Where a test's store lives: a file, or a fresh database on the shared test server. Opened
    /// again, it is the same store (for tests of what survives a reopen, or of two writers).
    func makeLocation() async throws -> Location {
        switch self {
        case .sqlite: return .sqlite(TemporaryDirectory())
        case .postgres, .postgresArrays:
            let db = try await TestDatabase.make()
            return .postgres(server: db.server, url: db.url, bulkInsert: self == .postgres ? .copy : .arrays)
        }
    }
}

/// A store's place, kept for the length of a test.
enum Location: Sendable {
    case sqlite(TemporaryDirectory)
    case postgres(server: PostgresServer, url: String, bulkInsert: PostgresStoreConfiguration.BulkInsert)

    /// Opens the store there.
    func open(
        _ stations: StationRegistry, retention: RetentionPolicy = .forever, clock: @escaping @Sendable () -> Int64 = { 1_700_000_000 },
        logsCommits: Bool = false
    ) async throws -> OpenStore {
        switch self {
        case .sqlite(let dir):
            let store = try SQLiteStore(path: dir.file("store.sqlite"), stations: stations, retention: retention, clock: clock)
            return OpenStore(store: store, location: self) { try? store.close() }
        case .postgres(_, let url, let bulkInsert):
            var configuration = try PostgresStoreConfiguration(url: url)
            configuration.bulkInsert = bulkInsert
            configuration.logsCommits = logsCommits
            var logger = Logger(label: "envmon.postgres-store")
            logger.logLevel = .error  // not the pool's reconnections while a test's server stops
            let store = PostgresStore(
                configuration: configuration, stations: stations, retention: retention, clock: clock, logger: logger)
            let pool = Task { await store.run() }
            do {
                try await store.migrate()
            } catch {
                pool.cancel()
                await pool.value
                throw error
            }
            return OpenStore(store: store, location: self) {
                pool.cancel()
                await pool.value
            }
        }
    }

    /// SQL run on the test database (PostgreSQL only; nil for SQLite).
    func psql(_ sql: String) async throws -> String? {
        guard case .postgres(let server, let url, _) = self else { return nil }
        let database = String(url.split(separator: "/").last!.split(separator: "?").first!)
        return try await OffPool.run { try server.psql(sql, database: database) }.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// An open store and how to close it.
struct OpenStore: Sendable {
    let store: any InspectableStore
    /// Kept so that the place outlives the store (a temporary folder is removed when released).
    let location: Location
    let close: @Sendable () async -> Void
}
