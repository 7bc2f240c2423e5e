import ArgumentParser
import Foundation
import Reports
import Store

/// `envmon cases import FILE`: cases from a YAML or CSV list.
struct CasesImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import cases from a YAML or CSV file; ids already in the register are updated, never duplicated.",
        discussion: """
            A re-import updates: changed fields are one `updated` event, notes not yet recorded are added at their \
            dates, and a status the file is ahead with is reached through the state machine. A status the register \
            is already past (closed by hand since) is kept and said so. All or nothing: errors name file:line and \
            nothing is written. See README, "Cases", for the file formats.
            """)

    @OptionGroup var options: CasesOptions
    @Option(name: .long, help: "Who imports (default: the login name).") var by: String?
    @Argument(help: "The file (.yaml, .yml or .csv).") var file: String

    func run() async throws {
        let l = try options.language()
        let entries = try await casesCall { try CaseFile.read(file) }
        try await options.withDesk(create: true) { desk in
            let result = try await casesCall { try await desk.importCases(entries, by: caseAuthor(by), now: WallClock.seconds()) }
            print(
                l.pick(
                    "\(file)：新登记\(result.opened.count)项，更新\(result.updated.count)项，未变\(result.unchanged.count)项",
                    "\(file): \(result.opened.count) opened, \(result.updated.count) updated, \(result.unchanged.count) unchanged"))
            for r in result.remarks { print("  " + r) }
        }
    }
}
