public import Logging
public import Monitoring
import PostgresNIO
public import ServiceLifecycle
public import Store

/// The time-series store on PostgreSQL, for deployments that outgrow one SQLite file: the same
/// ``TimeSeriesStore`` semantics as ``SQLiteStore`` (upserts with per-sample outcomes, the
/// revision audit, hour and day rollups with completeness and late-data recompute, retention),
/// through a postgres-nio `PostgresClient` pool.
///
/// ```swift
/// let config = try PostgresStoreConfiguration(url: "postgres://envmon@db:5432/envmon?sslmode=require")
/// try await PostgresStore.withStore(configuration: config, stations: registry) { store in
///     let result = try await store.write(samples)
/// }
/// ```
///
/// Samples live in `sample`, partitioned by kind and then by UTC month (native declarative
/// partitioning; see ``PostgresSchema``): a month's partition is created before the first write
/// that needs it, and retention drops whole months. A batch is one transaction: its new samples
/// go in through one array-parameter `INSERT … SELECT FROM unnest(…)`, re-sent ones through one
/// statement that compares, audits and replaces, and its rollups through one upsert.
///
/// The store is a ``Service``: ``run()`` runs its connection pool and must be running (in a
/// `ServiceGroup` or a task, as ``withStore(configuration:stations:retention:clock:logger:_:)``
/// does) for the store to reach the database; call ``migrate()`` once before other use.
public final class PostgresStore: TimeSeriesStore, Service {
    let client: PostgresClient
    let logger: Logger
    /// Where it connects.
    public let configuration: PostgresStoreConfiguration
    /// The retention policy ``applyRetention(now:)`` applies.
    public let retention: RetentionPolicy
    /// The clock that stamps audit records, in seconds since the epoch; tests inject their own.
    let clock: @Sendable () -> Int64
    /// One writer at a time (batches, retention, station updates).
    let gate = WriterGate()
    /// Only while holding ``gate``.
    let writer: PostgresWriterState
    /// The rule leader's term that fences journal writes (several daemons; see ``PostgresLeaderLock``).
    let fence = LeaderFence()

    /// Creates a store; nothing connects until ``run()`` runs.
    /// - Parameters:
    ///   - configuration: where to connect.
    ///   - stations: the stations whose series may be written; others are refused.
    ///   - retention: how long raw samples and rollups are kept.
    ///   - clock: the time stamped on audit records (revisions); the wall clock unless a test injects one.
    ///   - logger: where the pool logs.
    public init(
        configuration: PostgresStoreConfiguration, stations: StationRegistry, retention: RetentionPolicy = .standard,
        clock: @escaping @Sendable () -> Int64 = WallClock.seconds, logger: Logger = Logger(label: "envmon.postgres-store")
    ) {
        self.configuration = configuration
        self.retention = retention
        self.clock = clock
        self.logger = logger
        writer = PostgresWriterState(stations: stations)
        client = PostgresClient(configuration: configuration.client, backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled or a graceful shutdown.
    public func run() async {
        await client.run()
    }

    /// Creates or upgrades the schema (see ``PostgresSchema``); safe to call from several
    /// processes at once.
    /// - Throws: ``StoreError`` with code `migration`.
    public func migrate() async throws(StoreError) {
        do {
            try await PostgresSchema.migrate(client, logger: logger)
        } catch {
            throw Self.error(.migration, "cannot migrate the store at \(configuration.redactedURL)", error)
        }
    }

    /// Checks, without changing anything, that the schema is the one this build knows.
    /// - Throws: ``StoreError`` with code `migration` naming what is missing (a database no
    ///   daemon has started on yet, or one of an older envmon), or `read` when it does not answer.
    public func checkSchema() async throws(StoreError) {
        let missing: [String]
        do {
            missing = try await PostgresSchema.missing(client, logger: logger)
        } catch {
            throw Self.error(.read, "cannot read the schema of \(configuration.redactedURL)", error)
        }
        guard missing.isEmpty else {
            throw StoreError(
                .migration,
                "the database at \(configuration.redactedURL) lacks envmon's schema \(missing.joined(separator: ", ")): start `envmon serve` on it (or `envmon migrate` into it) first")
        }
    }

    /// Opens a store, runs its pool, migrates it (or, `migrating` false, only checks its schema:
    /// for a command that must not change it), calls `body` (in the caller's isolation), and
    /// stops the pool.
    public static func withStore<R: Sendable>(
        configuration: PostgresStoreConfiguration, stations: StationRegistry, retention: RetentionPolicy = .standard,
        clock: @escaping @Sendable () -> Int64 = WallClock.seconds, logger: Logger = Logger(label: "envmon.postgres-store"),
        migrating: Bool = true, isolation: isolated (any Actor)? = #isolation, _ body: (PostgresStore) async throws -> R
    ) async throws -> R {
        let store = PostgresStore(configuration: configuration, stations: stations, retention: retention, clock: clock, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self, isolation: isolation) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            if migrating {
                try await store.migrate()
            } else {
                try await store.checkSchema()
            }
            return try await body(store)
        }
    }

    /// Replaces the stations whose series may be written (after sensors/ was reloaded).
    public func updateStations(_ stations: StationRegistry) async {
        await gate.run { [writer] in
            writer.stations = stations
            writer.reset()
        }
    }

    /// A ``StoreError`` for a failure of the database, with the server's own message (which
    /// postgres-nio's `PSQLError` leaves out of its description) and SQLSTATE.
    static func error(_ code: StoreError.Code, _ message: String, _ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let transaction = error as? PostgresTransactionError {
            // The first failure: of BEGIN, of the work, or of COMMIT (or of the rollback).
            if let first = transaction.beginError ?? transaction.closureError ?? transaction.commitError ?? transaction.rollbackError {
                return Self.error(code, message, first)
            }
        }
        if let psql = error as? PSQLError {
            if let server = psql.serverInfo {
                let text = server[.message] ?? "error"
                let state = server[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return StoreError(code, "\(message): \(text)\(state)", underlying: psql)
            }
            return StoreError(code, "\(message): \(psql.code)", underlying: psql)
        }
        return StoreError(code, message, underlying: error)
    }

    /// Whether `error` is a unique violation (SQLSTATE 23505).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let transaction = error as? PostgresTransactionError {
            return transaction.closureError.map(isUniqueViolation) ?? false
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState] == "23505"
    }
}
