import Foundation
import Store
/// Posts Alertmanager's webhook JSON (version 4) to a URL, with `Idempotency-Key`, an optional
/// bearer token and an optional HMAC-SHA256 signature of the body (`sha256=<hex>`).
public struct WebhookChannel: NotificationChannel {
    public let config: WebhookConfig
    let client: any HTTPClient

    /// Creates the channel; `client` is shared by channels or one of its own.
    public init(config: WebhookConfig, client: any HTTPClient) {
        self.config = config
        self.client = client
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let exchange = await client.exchange(request(for: message))
        return .of(exchange, now: now)
    }

    /// The request `send` makes.
    public func request(for message: NotificationMessage) -> HTTPRequest {
        let body = WebhookPayload(message, maxAlerts: config.maxAlerts).json()
        var headers = [
            HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("User-Agent", "envmon"),
            HTTPHeader("Idempotency-Key", message.idempotencyKey),
        ]
        if let token = config.bearerToken, !token.isEmpty { headers.append(HTTPHeader("Authorization", "Bearer \(token)")) }
        if let secret = config.hmacSecret, !secret.isEmpty {
            headers.append(HTTPHeader(config.signatureHeader, "sha256=" + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: body))))
        }
        return HTTPRequest(url: config.url.absoluteString, headers: headers, body: body, timeout: config.timeout)
    }
}
