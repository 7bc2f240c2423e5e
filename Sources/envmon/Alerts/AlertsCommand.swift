import ArgumentParser

/// `envmon alerts`: alerts and what people do about them (acknowledge, silence).
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Alerts: list them, acknowledge an episode, silence and unsilence notifications, see what was held.",
        discussion: """
            Silences and acknowledgements hold notifications only: alerts keep their state and history. With a daemon running \
            on the store they go through its HTTP listener (the daemon stays the store's one writer; its address comes from \
            --config or --http); without one they are written to the store directly.
            """,
        subcommands: [
            AlertsListCommand.self, AlertsAckCommand.self, AlertsSilenceCommand.self, AlertsSilencesCommand.self, AlertsUnsilenceCommand.self,
            AlertsHeldCommand.self,
        ],
        defaultSubcommand: AlertsListCommand.self)
}
