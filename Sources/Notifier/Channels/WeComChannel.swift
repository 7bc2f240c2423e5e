import Foundation
import Store
/// Posts to a WeCom (企业微信) group robot.
///
/// Without mentions the message is `{"msgtype":"markdown","markdown":{"content":…}}` (the
/// markdown template, cut to the robot's 4096 bytes). With `mention_mobiles` it is a text
/// message, `{"msgtype":"text","text":{"content":…,"mentioned_mobile_list":[…]}}` (the plain text
/// template, cut to 2048 bytes): WeCom's robot documentation (群机器人配置说明, "如何使用群机器人")
/// offers `mentioned_mobile_list` for text messages only; markdown can mention only by user id
/// (`<@userid>`), which the configuration does not have. Error 45009 (API calls over the limit)
/// is retried; other nonzero `errcode`s are final.
public struct WeComChannel: NotificationChannel {
    public let config: RobotConfig
    let templates: MessageTemplates
    let client: any HTTPClient
    /// WeCom's "API calls over the limit".
    public static let rateLimitCodes: Set<Int> = [45009]

    /// Creates the channel.
    public init(config: RobotConfig, templates: MessageTemplates, client: any HTTPClient) {
        self.config = config
        self.templates = templates
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let exchange = await client.exchange(request(for: message))
        return RobotReply.outcome(exchange, robot: "wecom", rateLimitCodes: Self.rateLimitCodes, now: now)
    }

    /// The request `send` makes.
    public func request(for message: NotificationMessage) -> HTTPRequest {
        let body: [String: Any]
        if config.mentionMobiles.isEmpty {
            let content = templates.render(.markdown, message, language: config.language)
            body = ["msgtype": "markdown", "markdown": ["content": RobotReply.truncated(content, bytes: 4096)]]
        } else {
            let content = templates.render(.text, message, language: config.language)
            body = [
                "msgtype": "text",
                "text": ["content": RobotReply.truncated(content, bytes: 2048), "mentioned_mobile_list": config.mentionMobiles] as [String: Any],
            ]
        }
        return HTTPRequest(
            url: config.url.absoluteString, headers: [HTTPHeader("Content-Type", "application/json")], body: RobotReply.json(body),
            timeout: config.timeout)
    }
}
