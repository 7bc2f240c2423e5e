import Store
import Foundation
import Monitoring

/// Alertmanager's webhook body, version 4 (`notify/webhook/webhook.go`): what generic webhooks,
/// the exec channel's stdin and the file channel's lines are made of.
public struct WebhookPayload: Codable, Sendable, Hashable {
    public var version = "4"
    public var groupKey: String
    /// Alerts left out by `max_alerts`.
    public var truncatedAlerts: Int
    public var status: String
    public var receiver: String
    public var groupLabels: [String: String]
    public var commonLabels: [String: String]
    public var commonAnnotations: [String: String]
    /// The dashboard's address, `""` when not configured.
    public var externalURL: String
    public var alerts: [WebhookAlert]

    /// The body for `message`, with at most `maxAlerts` alerts (0: all).
    public init(_ message: NotificationMessage, maxAlerts: Int = 0) {
        let kept = maxAlerts > 0 ? Array(message.alerts.prefix(maxAlerts)) : message.alerts
        groupKey = message.groupKey
        truncatedAlerts = message.alerts.count - kept.count
        status = message.status.rawValue
        receiver = message.receiver
        groupLabels = message.groupLabels
        commonLabels = message.commonLabels
        commonAnnotations = message.commonAnnotations
        externalURL = message.externalURL ?? ""
        alerts = kept.map { WebhookAlert($0, externalURL: message.externalURL) }
    }

    /// The JSON, keys sorted (stable bytes for signatures and tests): the bytes `JSONEncoder`
    /// writes with `.sortedKeys` and `.withoutEscapingSlashes`, written by hand (one body per
    /// message; `JSONEncoder` was a seventh of the notifier's CPU at 2,000 messages a second).
    public func json() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(600 * alerts.count + 300)
        JSONBytes.append(raw: "{\"alerts\":[", to: &out)
        for (i, alert) in alerts.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            alert.append(to: &out)
        }
        JSONBytes.append(raw: "],\"commonAnnotations\":", to: &out)
        JSONBytes.append(commonAnnotations, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"commonLabels\":", to: &out)
        JSONBytes.append(commonLabels, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"externalURL\":", to: &out)
        JSONBytes.append(quoted: externalURL, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"groupKey\":", to: &out)
        JSONBytes.append(quoted: groupKey, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"groupLabels\":", to: &out)
        JSONBytes.append(groupLabels, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"receiver\":", to: &out)
        JSONBytes.append(quoted: receiver, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"status\":", to: &out)
        JSONBytes.append(quoted: status, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"truncatedAlerts\":\(truncatedAlerts),\"version\":", to: &out)
        JSONBytes.append(quoted: version, to: &out, escapingSlashes: false)
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every payload is strings, integers, arrays and maps: encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
    }
}

/// One alert of a webhook body.
public struct WebhookAlert: Codable, Sendable, Hashable {
    public var status: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// RFC 3339, UTC.
    public var startsAt: String
    /// RFC 3339, UTC; `0001-01-01T00:00:00Z` while firing.
    public var endsAt: String
    /// `<externalURL>/stations/<station>`, `""` without an external URL.
    public var generatorURL: String
    public var fingerprint: String

    /// The entry for `alert`.
    public init(_ alert: MessageAlert, externalURL: String?) {
        let n = alert.notification
        status = n.status.rawValue
        labels = n.labels
        annotations = n.annotations
        startsAt = Timestamp.rfc3339(n.startsAt)
        endsAt = n.status == .resolved ? Timestamp.rfc3339(n.endsAt ?? n.startsAt) : Timestamp.zero
        generatorURL = Self.stationURL(externalURL, station: n.labels["station"])
        fingerprint = alert.fingerprint
    }

    /// The alert's JSON object, keys sorted, slashes as they are (as in ``WebhookPayload/json()``).
    func append(to out: inout [UInt8]) {
        JSONBytes.append(raw: "{\"annotations\":", to: &out)
        JSONBytes.append(annotations, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"endsAt\":", to: &out)
        JSONBytes.append(quoted: endsAt, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"fingerprint\":", to: &out)
        JSONBytes.append(quoted: fingerprint, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"generatorURL\":", to: &out)
        JSONBytes.append(quoted: generatorURL, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"labels\":", to: &out)
        JSONBytes.append(labels, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"startsAt\":", to: &out)
        JSONBytes.append(quoted: startsAt, to: &out, escapingSlashes: false)
        JSONBytes.append(raw: ",\"status\":", to: &out)
        JSONBytes.append(quoted: status, to: &out, escapingSlashes: false)
        out.append(UInt8(ascii: "}"))
    }

    /// `<externalURL>/stations/<station>` (the id percent-encoded), `""` when either is missing.
    public static func stationURL(_ externalURL: String?, station: String?) -> String {
        guard var base = externalURL, !base.isEmpty, let station, !station.isEmpty else { return "" }
        while base.hasSuffix("/") { base.removeLast() }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove("/")
        return "\(base)/stations/\(station.addingPercentEncoding(withAllowedCharacters: allowed) ?? station)"
    }
}
