import ArgumentParser

/// The `envmon` command line.
@main
struct EnvmonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envmon",
        abstract: "Environmental-monitoring data aggregator: stores readings, evaluates limits, alerts.",
        subcommands: [
            AlertsCommand.self, AQICommand.self, CasesCommand.self, DemoCommand.self, HJ212Command.self, ImportCommand.self, MigrateCommand.self, QueryCommand.self, ReportCommand.self, RulesCommand.self, ServeCommand.self,
            SimulateCommand.self, StationsCommand.self, TokenCommand.self, VersionCommand.self, WaterClassCommand.self,
        ]
    )
}
