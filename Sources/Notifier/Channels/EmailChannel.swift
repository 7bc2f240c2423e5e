import Store
import Foundation

/// Mails the message (subject, plain text and HTML from the templates, in the configured
/// language) through an SMTP smarthost. 4xx answers are retried, 5xx are final.
public struct EmailChannel: NotificationChannel {
    public let config: EmailConfig
    let templates: MessageTemplates
    let client: any SMTPClient

    /// Creates the channel.
    public init(config: EmailConfig, templates: MessageTemplates, client: any SMTPClient) {
        self.config = config
        self.templates = templates
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        do {
            try await client.send(envelope(for: message, now: now))
            return .delivered
        } catch {
            return RetryPolicy.Outcome(failure: error)
        }
    }

    /// The sender: `from`, else `envmon@<hostname>`.
    public var sender: String { config.from ?? "envmon@\(ProcessInfo.processInfo.hostName)" }

    /// The mail `send` hands over at `now`.
    public func mail(for message: NotificationMessage, now: Int64) -> MIMEMessage {
        let texts = templates.render(message, language: config.language)
        return MIMEMessage(
            from: sender, to: config.to, subject: texts.subject, text: texts.text, html: texts.html, date: now,
            idempotencyKey: message.idempotencyKey)
    }

    /// The SMTP transaction `send` makes at `now`.
    public func envelope(for message: NotificationMessage, now: Int64) -> SMTPEnvelope {
        SMTPEnvelope(
            smarthost: config.smarthost, from: sender, to: config.to, username: config.authUsername, password: config.authPassword,
            requireTLS: config.requireTLS, message: mail(for: message, now: now).bytes, timeout: config.timeout)
    }
}
