import ArgumentParser
import Foundation
import Monitoring
import PostgresStore
import Store

/// A PostgreSQL store for the commands that read (`query`, `report …`), instead of the SQLite
/// file of `--db`: a deployment on PostgreSQL has no file to point them at.
struct StoreURLOptions: ParsableArguments {
    @Option(
        name: .customLong("store-url"),
        help: """
            Read a PostgreSQL store instead of the file: postgres://user@host[:port]/database[?sslmode=disable|prefer|require] \
            (env ENVMON_STORE_URL; the password from --store-password-file, else PGPASSWORD).
            """)
    var storeURL: String?

    @Option(name: .customLong("store-password-file"), help: "A file whose first line is the PostgreSQL password (else PGPASSWORD).")
    var passwordFile: String?

    /// `--store-url`, else a non-empty `$ENVMON_STORE_URL`, else nil: the SQLite file.
    var url: String? {
        if let storeURL { return storeURL }
        guard let env = ProcessInfo.processInfo.environment["ENVMON_STORE_URL"], !env.isEmpty else { return nil }
        return env
    }

    /// The PostgreSQL store's settings, or nil when the command reads the file.
    func configuration() throws -> PostgresStoreConfiguration? {
        guard let url else { return nil }
        do {
            return try PostgresStoreConfiguration(url: url, passwordFile: passwordFile)
        } catch {
            throw CLIError("--store-url: \(error.message)")
        }
    }

    /// Runs `body` on the store itself: the PostgreSQL store of `--store-url` (which daemons
    /// share: they see a change at their next look, within 5 s), else the file at `db`, which
    /// must exist. The file is closed after `body` when `writing`, and only read otherwise (no
    /// close(), which would fold a daemon's staged readings: see `envmon alerts`).
    func withStore<R: Sendable>(
        db: String, stations: StationRegistry, command: String, writing: Bool, _ body: @escaping @Sendable (any MonitoringStore) async throws -> R
    ) async throws -> R {
        if let configuration = try configuration() {
            return try await PostgresCommandStore.with(configuration, stations: stations, command: command) { try await body($0) }
        }
        guard FileManager.default.fileExists(atPath: db) else { throw CLIError("no store at \(db)") }
        guard writing else { return try await body(try SQLiteStore.forReading(path: db, stations: stations)) }
        let store = try SQLiteStore(path: db, stations: stations)
        let result = try await body(store)
        try store.close()
        return result
    }
}

extension StoreOptions {
    /// Runs a report's `body` with the opener of the store it reads: the PostgreSQL store
    /// `postgres` names (open while `body` runs), else the file of `--db` (read-only when it can
    /// be; a missing file an error naming it). `body` opens it once its request is checked.
    func withReportStore<R: Sendable>(
        _ stations: StationRegistry, postgres: StoreURLOptions, command: String,
        _ body: @escaping @Sendable (_ open: () throws -> any MonitoringStore) async throws -> R
    ) async throws -> R {
        if let configuration = try postgres.configuration() {
            return try await PostgresCommandStore.with(configuration, stations: stations, command: command) { store in try await body { store } }
        }
        return try await body {
            guard FileManager.default.fileExists(atPath: db) else {
                throw CLIError("no store at '\(db)' (import readings first, or give --db or --store-url)")
            }
            return try openStoreForReading(stations)
        }
    }
}
