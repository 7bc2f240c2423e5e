import Foundation
import Store
/// Posts to a DingTalk (钉钉) custom robot:
/// `{"msgtype":"markdown","markdown":{"title":…,"text":…},"at":{"atMobiles":[…],"isAtAll":false}}`
/// (the subject and markdown templates; mentioned numbers are also written `@138…` into the text,
/// which DingTalk needs to show the mention). With a secret (`SEC…`) the address gets
/// `timestamp` (milliseconds) and `sign` = urlencode(base64(HMAC-SHA256(secret,
/// "timestamp\nsecret"))). Error 130101 ("send too fast, exceed 20 times per minute") is
/// retried; other nonzero `errcode`s are final.
public struct DingTalkChannel: NotificationChannel {
    public let config: RobotConfig
    let templates: MessageTemplates
    let client: any HTTPClient
    /// DingTalk's "send too fast".
    public static let rateLimitCodes: Set<Int> = [130101]

    /// Creates the channel.
    public init(config: RobotConfig, templates: MessageTemplates, client: any HTTPClient) {
        self.config = config
        self.templates = templates
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let exchange = await client.exchange(request(for: message, now: now))
        return RobotReply.outcome(exchange, robot: "dingtalk", rateLimitCodes: Self.rateLimitCodes, now: now)
    }

    /// The signature of `timestamp` (milliseconds), before URL encoding.
    public static func signature(secret: String, timestamp: Int64) -> String {
        Digest.base64(Digest.hmacSHA256(key: secret, message: "\(timestamp)\n\(secret)"))
    }

    /// The request `send` makes at `now` (seconds).
    public func request(for message: NotificationMessage, now: Int64) -> HTTPRequest {
        let texts = templates.render(message, language: config.language)
        var text = texts.markdown
        if !config.mentionMobiles.isEmpty { text += "\n\n" + config.mentionMobiles.map { "@\($0)" }.joined(separator: " ") }
        let body: [String: Any] = [
            "msgtype": "markdown",
            "markdown": ["title": texts.subject, "text": text],
            "at": ["atMobiles": config.mentionMobiles, "isAtAll": false] as [String: Any],
        ]
        var url = config.url.absoluteString
        if let secret = config.secret, !secret.isEmpty {
            let timestamp = now * 1000
            url = RobotReply.url(config.url, adding: [("timestamp", "\(timestamp)"), ("sign", Self.signature(secret: secret, timestamp: timestamp))])
        }
        return HTTPRequest(url: url, headers: [HTTPHeader("Content-Type", "application/json")], body: RobotReply.json(body), timeout: config.timeout)
    }
}
