import Foundation
import Store
/// Posts the alerts into a real Alertmanager (`POST <url>/api/v2/alerts`). Firing alerts get an
/// `endsAt` four re-send intervals ahead, so Alertmanager keeps them while envmon keeps
/// re-sending; resolved ones their end.
public struct AlertmanagerChannel: NotificationChannel {
    public let config: AlertmanagerConfig
    let client: any HTTPClient

    /// Creates the channel.
    public init(config: AlertmanagerConfig, client: any HTTPClient) {
        self.config = config
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let exchange = await client.exchange(request(for: message, now: now))
        return .of(exchange, now: now)
    }

    /// The request `send` makes at `now`.
    public func request(for message: NotificationMessage, now: Int64) -> HTTPRequest {
        let alerts = message.alerts.map {
            PostableAlert($0, externalURL: message.externalURL, now: now, firingFor: 4 * max(1, config.resendInterval))
        }
        var base = config.url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return HTTPRequest(
            url: base + "/api/v2/alerts",
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("User-Agent", "envmon")],
            body: PostableAlert.json(alerts), timeout: config.timeout)
    }
}
