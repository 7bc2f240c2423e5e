import Store
import Foundation

/// Prints each message's plain text (the text template, in the configured language) on standard
/// output, in one write, so lines of concurrent messages do not interleave.
public struct ConsoleChannel: NotificationChannel {
    public let config: ConsoleConfig
    let templates: MessageTemplates
    let output: @Sendable (String) -> Void

    /// Creates the channel; `output` receives each message's text (standard output by default).
    public init(config: ConsoleConfig, templates: MessageTemplates, output: @escaping @Sendable (String) -> Void = ConsoleChannel.standardOutput) {
        self.config = config
        self.templates = templates
        self.output = output
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        var text = templates.render(.text, message, language: config.language)
        while text.hasSuffix("\n\n") { text.removeLast() }
        if !text.hasSuffix("\n") { text += "\n" }
        output(text)
        return .delivered
    }

    /// Writes `text` to file descriptor 1 (unbuffered: nothing waits in a buffer).
    public static let standardOutput: @Sendable (String) -> Void = { text in
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
