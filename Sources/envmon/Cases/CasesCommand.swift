import ArgumentParser
import Foundation
import Monitoring
import Reports
import PostgresStore
import Store

/// `envmon cases`: the register of rectification and follow-up tasks (整改任务).
struct CasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cases",
        abstract: "The register of rectification tasks (整改任务): import, list, show, open from an alert, note, close (销号), reopen, summary.",
        discussion: """
            Cases are kept in the store with their full history and never deleted. Commands write beside a running \
            daemon in small transactions of their own. Dates are local dates of --zone (default: reports.time_zone in the config, else Asia/Shanghai); a \
            deadline is inclusive: a case is overdue from the next day until it is done. A done or closed case whose \
            linked rule fires again at a linked station is reopened by the daemon (防止问题反弹), and a `case_overdue` \
            rule raises an alert for each overdue case.
            """,
        subcommands: [
            CasesImportCommand.self, CasesListCommand.self, CasesShowCommand.self, CasesOpenCommand.self, CasesNoteCommand.self,
            CasesCloseCommand.self, CasesReopenCommand.self, CasesSummaryCommand.self,
        ],
        defaultSubcommand: CasesListCommand.self)
}

/// What every `cases` command shares: the store, the language, the format and the zone.
struct CasesOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store file (env ENVMON_DB).")
    var db: String = ProcessInfo.processInfo.environment["ENVMON_DB"] ?? "var/envmon.sqlite"

    @OptionGroup var report: ReportOptions
    @OptionGroup var postgres: StoreURLOptions

    var format: ReportFormat { report.format }

    @Option(name: .long, help: "The time zone of dates (IANA name; default: reports.time_zone in the config, else Asia/Shanghai).")
    var zone: String?

    /// `--lang`, else `$ENVMON_LANG`, else the config's `reports.language`, else zh-CN.
    func language() throws -> ReportLanguage { try report.language() }

    func timeZone() throws -> TimeZone {
        // The daemon's cases (reopened on a relapse) and the API use the bureau's zone: so do these.
        guard let zone else { return try BureauZone.read(config: report.config) }
        guard let z = TimeZone(identifier: zone) else { throw ValidationError("--zone '\(zone)' is not an IANA time zone (Asia/Shanghai)") }
        return z
    }

    /// The register in the store file; a store that does not exist yet is created (an import
    /// may come before any reading).
    private func desk(create: Bool) throws -> CaseDesk {
        if create && !FileManager.default.fileExists(atPath: db) {
            let folder = (db as NSString).deletingLastPathComponent
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try SQLiteStore(path: db, stations: StationRegistry([])).close()
        }
        guard FileManager.default.fileExists(atPath: db) else { throw CLIError("no store at '\(db)' (import cases first, or give --db or --store-url)") }
        do {
            return CaseDesk(register: try SQLiteCaseRegister(path: db), zone: try timeZone())
        } catch let error as StoreError {
            throw CLIError(error.description)
        }
    }

    /// Runs `body` on the register: in the PostgreSQL store of `--store-url` (several daemons and
    /// commands write there side by side), else in the store file (``desk(create:)``).
    func withDesk<R: Sendable>(create: Bool = false, _ body: @escaping @Sendable (CaseDesk) async throws -> R) async throws -> R {
        let zone = try timeZone()
        if let configuration = try postgres.configuration() {
            return try await PostgresCommandStore.with(configuration, stations: StationRegistry([]), command: "cases") { store in
                try await body(CaseDesk(register: store.caseRegister, zone: zone))
            }
        }
        return try await body(try desk(create: create))
    }

    /// Today, in the zone.
    func today(_ desk: CaseDesk) -> String { desk.dates.date(of: WallClock.seconds()) }

    /// A local date option, checked.
    func date(_ text: String?, _ option: String) throws -> String? {
        guard let text else { return nil }
        do { return try LocalDates.parse(text, option: option).isoDate } catch { throw ValidationError(error.description) }
    }
}

/// Who is writing: `--by`, else the login name.
func caseAuthor(_ by: String?) -> String {
    by ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "envmon"
}

/// Runs a library call, its error as a command-line error.
func casesCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as ReportsError {
        throw CLIError(error.description)
    }
}
