/// Builds the channel of a configured integration.
public enum ChannelFactory {
    /// The channel for `integration`: HTTP channels get a libcurl client of their own (its own
    /// kept-alive connections), email a libcurl SMTP client.
    public static func make(_ integration: ReceiverIntegration, templates: MessageTemplates) -> any NotificationChannel {
        make(integration, templates: templates, http: CurlHTTPClient(), smtp: CurlSMTPClient())
    }

    /// The channel for `integration` with the given clients (tests pass fakes).
    public static func make(
        _ integration: ReceiverIntegration, templates: MessageTemplates, http: @autoclosure () -> any HTTPClient,
        smtp: @autoclosure () -> any SMTPClient
    ) -> any NotificationChannel {
        switch integration {
        case .webhook(let c): WebhookChannel(config: c, client: http())
        case .alertmanager(let c): AlertmanagerChannel(config: c, client: http())
        case .email(let c): EmailChannel(config: c, templates: templates, client: smtp())
        case .wecom(let c): WeComChannel(config: c, templates: templates, client: http())
        case .dingtalk(let c): DingTalkChannel(config: c, templates: templates, client: http())
        case .feishu(let c): FeishuChannel(config: c, templates: templates, client: http())
        case .exec(let c): ExecChannel(config: c)
        case .file(let c): FileChannel(config: c)
        case .console(let c): ConsoleChannel(config: c, templates: templates)
        }
    }
}
