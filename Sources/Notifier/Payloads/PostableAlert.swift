import Foundation
import Store
/// An alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`, an array of these).
public struct PostableAlert: Codable, Sendable, Hashable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// RFC 3339, UTC.
    public var startsAt: String
    /// RFC 3339, UTC: a firing alert's is a few re-send intervals ahead, so Alertmanager keeps it
    /// while we keep sending; a resolved one's is when it ended.
    public var endsAt: String
    /// Left out without an external URL (the API wants a URI there, not `""`).
    public var generatorURL: String?

    /// The entry for `alert` at `now`; a firing alert lasts `firingFor` seconds past `now`.
    public init(_ alert: MessageAlert, externalURL: String?, now: Int64, firingFor: Int64) {
        let n = alert.notification
        labels = n.labels
        annotations = n.annotations
        startsAt = Timestamp.rfc3339(n.startsAt)
        endsAt = Timestamp.rfc3339(n.status == .resolved ? (n.endsAt ?? now) : now + firingFor)
        let url = WebhookAlert.stationURL(externalURL, station: n.labels["station"])
        generatorURL = url.isEmpty ? nil : url
    }

    /// The request body for `alerts`.
    public static func json(_ alerts: [PostableAlert]) -> [UInt8] { WebhookPayload.encode(alerts) }
}
