import ArgumentParser
import Foundation
import Reports
import Store

/// `envmon cases list`: the register, filtered, now or as of a date.
struct CasesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List cases (the default), filtered by status, source, unit or overdue, now or as of a date.")

    @OptionGroup var options: CasesOptions
    @Option(name: .long, help: "Only this status: open, in-progress, done, closed (repeatable).") var status: [String] = []
    @Option(name: .long, help: "Only this source: central-inspection, provincial-inspection, complaint, alert (repeatable).") var source: [String] = []
    @Option(name: .long, help: "Only this responsible unit (exact name).") var unit: String?
    @Flag(name: .long, help: "Only cases past their deadline and not done.") var overdue = false
    @Option(name: .long, help: "The register as it stood at the end of this local date (YYYY-MM-DD), from the history.") var asOf: String?

    func run() async throws {
        let l = try options.language()
        let filter = try caseFilter(status: status, source: source, unit: unit, overdue: overdue)
        try await options.withDesk { desk in
            let asOf = try options.date(asOf, "--as-of")
            let snapshot = try await casesCall { try await CaseSnapshot.make(desk.register, asOf: asOf, today: options.today(desk), dates: desk.dates) }
            print(CaseOutput.list(snapshot.filtered(filter), snapshot: snapshot, format: options.format, language: l), terminator: "")
        }
    }
}

/// The filter of `--status`, `--source`, `--unit` and `--overdue`, checked.
func caseFilter(status: [String], source: [String], unit: String?, overdue: Bool) throws -> CaseFilter {
    var filter = CaseFilter(unit: unit, overdue: overdue)
    for s in status {
        guard let v = CaseStatus(parsing: s) else { throw ValidationError("--status must be open, in-progress, done or closed, not '\(s)'") }
        filter.statuses.insert(v)
    }
    for s in source {
        guard let v = CaseSource(parsing: s) else {
            throw ValidationError("--source must be central-inspection, provincial-inspection, complaint or alert, not '\(s)'")
        }
        filter.sources.insert(v)
    }
    return filter
}

/// `envmon cases summary`: "18 tasks: 12 done, 6 in progress", by source and by unit.
struct CasesSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Count the cases by status, by source and by responsible unit, now or as of a date.")

    @OptionGroup var options: CasesOptions
    @Option(name: .long, help: "As it stood at the end of this local date (YYYY-MM-DD), from the history.") var asOf: String?
    @Option(name: .long, help: "Only this source (repeatable).") var source: [String] = []
    @Option(name: .long, help: "Only this responsible unit.") var unit: String?

    func run() async throws {
        let l = try options.language()
        let filter = try caseFilter(status: [], source: source, unit: unit, overdue: false)
        try await options.withDesk { desk in
            let asOf = try options.date(asOf, "--as-of")
            let snapshot = try await casesCall { try await CaseSnapshot.make(desk.register, asOf: asOf, today: options.today(desk), dates: desk.dates) }
            print(CaseOutput.summary(CaseSummary(snapshot, filter: filter), format: options.format, language: l), terminator: "")
        }
    }
}

/// `envmon cases show ID`: one case with its full history.
struct CasesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one case with its full history.")

    @OptionGroup var options: CasesOptions
    @Argument(help: "The case's id.") var id: String

    func run() async throws {
        let l = try options.language()
        try await options.withDesk { desk in
            let (record, events) = try await casesCall { () async throws -> (CaseRecord?, [CaseEvent]) in
                do {
                    return (try await desk.register.caseRecord(id), try await desk.register.caseEvents(id))
                } catch {
                    throw ReportsError("\(error)")
                }
            }
            guard let record else { throw CLIError("no case \(id) in the register (see `envmon cases list`)") }
            let snapshot = CaseSnapshot(asOf: options.today(desk), cases: [record])
            print(CaseOutput.show(record, events: events, snapshot: snapshot, dates: desk.dates, format: options.format, language: l), terminator: "")
        }
    }
}
