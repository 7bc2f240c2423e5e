import Store
import Foundation

/// Posts to a Feishu (飞书) custom bot an interactive card: the subject in a coloured header
/// (red critical, orange warning or no data, blue info, green resolved) and the markdown
/// template, without its heading line, as a `markdown` element. With a secret the body carries
/// `timestamp` (seconds, a string) and `sign` = base64(HMAC-SHA256(key: "timestamp\nsecret",
/// message: empty)). Feishu's custom bots mention by user id, not by mobile number, so
/// `mention_mobiles` is not used here. Codes 9499 and 11232 (rate limited) are retried; other
/// nonzero `code`s are final.
public struct FeishuChannel: NotificationChannel {
    public let config: RobotConfig
    let templates: MessageTemplates
    let client: any HTTPClient
    /// Feishu's rate-limit answers.
    public static let rateLimitCodes: Set<Int> = [9499, 11232]

    /// Creates the channel.
    public init(config: RobotConfig, templates: MessageTemplates, client: any HTTPClient) {
        self.config = config
        self.templates = templates
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let exchange = await client.exchange(request(for: message, now: now))
        return RobotReply.outcome(exchange, robot: "feishu", rateLimitCodes: Self.rateLimitCodes, now: now)
    }

    /// The signature of `timestamp` (seconds).
    public static func signature(secret: String, timestamp: Int64) -> String {
        Digest.base64(Digest.hmacSHA256(key: Array("\(timestamp)\n\(secret)".utf8), message: [UInt8]()))
    }

    /// The request `send` makes at `now`.
    public func request(for message: NotificationMessage, now: Int64) -> HTTPRequest {
        let texts = templates.render(message, language: config.language)
        var lines = texts.markdown.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first?.hasPrefix("#") == true { lines.removeFirst() }
        let card: [String: Any] = [
            "config": ["wide_screen_mode": true],
            "header": ["title": ["tag": "plain_text", "content": texts.subject], "template": Self.colour(message)] as [String: Any],
            "elements": [["tag": "markdown", "content": lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)]],
        ]
        var body: [String: Any] = ["msg_type": "interactive", "card": card]
        if let secret = config.secret, !secret.isEmpty {
            body["timestamp"] = "\(now)"
            body["sign"] = Self.signature(secret: secret, timestamp: now)
        }
        return HTTPRequest(
            url: config.url.absoluteString, headers: [HTTPHeader("Content-Type", "application/json")], body: RobotReply.json(body),
            timeout: config.timeout)
    }

    static func colour(_ message: NotificationMessage) -> String {
        if message.status == .resolved { return "green" }
        if message.alerts.first?.notification.annotations["state"] == "no-data" { return "orange" }
        switch message.alerts.map(\.notification.severity).max() {
        case .critical?: return "red"
        case .warning?: return "orange"
        default: return "blue"
        }
    }
}
