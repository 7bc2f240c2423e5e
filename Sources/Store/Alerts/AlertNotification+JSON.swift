import Foundation
import Monitoring

extension AlertNotification {
    /// The outbox payload: JSON that `JSONDecoder` reads back as this notification, keys sorted
    /// (so the same notification always gives the same bytes), written by hand. A busy feed
    /// queues thousands of notifications a second, and `JSONEncoder`'s boxing of every key and
    /// value was about a tenth of the rule engine's cost.
    public var json: String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        JSONBytes.append(raw: "{\"annotations\":", to: &out)
        JSONBytes.append(annotations, to: &out)
        if let endsAt { JSONBytes.append(raw: ",\"endsAt\":\(endsAt)", to: &out) }
        JSONBytes.append(raw: ",\"idempotencyKey\":", to: &out)
        JSONBytes.append(quoted: idempotencyKey, to: &out)
        JSONBytes.append(raw: ",\"labels\":", to: &out)
        JSONBytes.append(labels, to: &out)
        JSONBytes.append(raw: ",\"severity\":", to: &out)
        JSONBytes.append(quoted: severity.rawValue, to: &out)
        JSONBytes.append(raw: ",\"startsAt\":\(startsAt),\"status\":", to: &out)
        JSONBytes.append(quoted: status.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// The notification an outbox payload holds. Read with ``JSONText`` (the notifier reads each
    /// one when it routes it and again when it claims it: `JSONDecoder` was an eighth of its CPU at
    /// 2,000 notifications a second); a payload of another shape (keys it does not know, numbers
    /// with fractions, non-string labels) goes through `JSONDecoder`, which decides.
    public init(outboxJSON payload: String) throws {
        if let fast = Self.read(payload) {
            self = fast
        } else {
            self = try JSONDecoder().decode(AlertNotification.self, from: Data(payload.utf8))
        }
    }

    /// The notification read with ``JSONText``, or `nil` for a payload of another shape (internal: the
    /// tests check that the store's own payloads never need `JSONDecoder`).
    static func read(_ payload: String) -> AlertNotification? {
        guard case .object(let members)? = try? JSONText.parse(payload) else { return nil }
        var key: String?, status: Status?, severity: AlertSeverity?, labels: [String: String]?
        var annotations: [String: String]?, startsAt: Int64?, endsAt: Int64?
        // A repeated key: the last one stands.
        for (field, value) in members {
            switch (field, value) {
            case ("idempotencyKey", .string(let s)): key = s
            case ("status", .string(let s)):
                guard let s = Status(rawValue: s) else { return nil }
                status = s
            case ("severity", .string(let s)):
                guard let s = AlertSeverity(rawValue: s) else { return nil }
                severity = s
            case ("labels", _):
                guard let map = stringMap(value) else { return nil }
                labels = map
            case ("annotations", _):
                guard let map = stringMap(value) else { return nil }
                annotations = map
            case ("startsAt", _):
                guard let n = value.int64Value else { return nil }
                startsAt = n
            case ("endsAt", .null): endsAt = nil
            case ("endsAt", _):
                guard let n = value.int64Value else { return nil }
                endsAt = n
            default: return nil
            }
        }
        guard let key, let status, let severity, let labels, let annotations, let startsAt else { return nil }
        return AlertNotification(
            idempotencyKey: key, status: status, severity: severity, labels: labels, annotations: annotations,
            startsAt: startsAt, endsAt: endsAt)
    }

    /// An object whose values are all strings, as a map (a repeated key: the last one stands).
    private static func stringMap(_ value: JSONText) -> [String: String]? {
        guard case .object(let members) = value else { return nil }
        var map: [String: String] = [:]
        map.reserveCapacity(members.count)
        for (key, member) in members {
            guard case .string(let s) = member else { return nil }
            map[key] = s
        }
        return map
    }
}
