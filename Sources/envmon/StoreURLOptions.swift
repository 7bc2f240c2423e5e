import ArgumentParser
import Foundation
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
}
