import ArgumentParser
import Foundation
import Monitoring
import PostgresStore
import Store

/// `envmon migrate`: moves a deployment from its SQLite store to an empty PostgreSQL database.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite store into an empty PostgreSQL database and verify it.",
        discussion: """
            Copies every series' readings (values and flags; the rollups are computed anew), the alert state, \
            history and episodes, the outbox with each delivery's state and lease, silences, acknowledgements \
            and cases with their events, ids kept. Then reads everything back on both sides and prints, per \
            series, its count and checksum (FNV-1a over time, value and flag) there and here, and the rows of \
            each alert and case table; the exit status is 0 only when all agree.

            The target must be empty (a new database, its schema is made on the way): a second run into the \
            same database is refused. Stop the daemon first; the source is only read. Not copied: the revision \
            audit of re-sent readings and the retention horizons. Readings of a station that is no longer in \
            sensors/ are refused by the target and listed.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The source: sqlite:PATH (default: sqlite: and --db).") var from: String?
    @Option(help: "The target: postgres://user@host[:port]/database[?sslmode=disable|prefer|require].") var to: String
    @Option(help: "A file whose first line is the target's password (else PGPASSWORD).") var passwordFile: String?
    @Option(help: "Seconds to wait for the target's server before giving up.") var connectSeconds = 20

    func run() async throws {
        let path: String
        if let from {
            guard from.hasPrefix("sqlite:"), from.count > "sqlite:".count else { throw ValidationError("--from takes sqlite:PATH, not \(from)") }
            path = String(from.dropFirst("sqlite:".count))
        } else {
            path = store.db
        }
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("no store at \(path)") }
        let stations = try store.loadStations()
        let configuration = try PostgresStoreConfiguration(url: to, passwordFile: passwordFile)
        let source = try SQLiteStore.forReading(path: path, stations: stations)
        let showProgress = isTerminal(2)
        let report: MigrationReport
        // The first contact (the schema's migration) gets `connectSeconds`, the copy as long as it takes.
        do {
            report = try await PostgresCommandStore.with(configuration, stations: stations, command: "migrate", migrating: true, connectSeconds: connectSeconds) {
                target in
                try await StoreMigration(source: source, target: target).run { done, of in
                    if showProgress { FileHandle.standardError.write(Data("\rseries \(done)/\(of)".utf8)) }
                }
            }
        } catch let error as StoreError {
            if showProgress { printError("") }
            throw CLIError("migrate: \(error.message)")
        }
        if showProgress { printError("") }
        try? source.close()
        print("series\tsource\ttarget\tresult")
        for check in report.series {
            print("\(check.key)\t\(check.source)\t\(check.target)\t\(check.matches ? "ok" : "DIFFERENT")")
        }
        for key in report.skipped { print("skipped \(key): its station is not in sensors/") }
        print("table\tsource\ttarget")
        for table in report.tables { print("\(table.table)\t\(table.source)\t\(table.target)") }
        print("alert and case rows \(report.alertRowsMatch ? "identical, ids included" : "DIFFERENT")")
        let samples = report.series.reduce(0) { $0 + $1.target.count }
        print("\(report.series.count) series, \(samples) readings: \(report.isVerified ? "verified" : "NOT verified")")
        if !report.isVerified { throw ExitCode(1) }
    }
}
