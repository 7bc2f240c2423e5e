import ArgumentParser

/// `envmon report`: compliance reports computed from the stored data.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Compliance reports computed from the stored data.",
        subcommands: [ExceedanceDaysCommand.self, AirCommand.self, WaterCommand.self, LoadCommand.self, ScorecardCommand.self]
    )
}
