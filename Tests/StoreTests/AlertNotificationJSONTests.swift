import Foundation
import Store
import Testing

/// The outbox payload is written by hand: it must read back as the notification it came from,
/// whatever the labels and texts hold, and be the same bytes each time.
@Suite struct AlertNotificationJSONTests {
    func notification(labels: [String: String], annotations: [String: String], endsAt: Int64? = nil) -> AlertNotification {
        AlertNotification(
            idempotencyKey: "cod-high/outlet/COD/2", status: endsAt == nil ? .firing : .resolved, severity: .critical,
            labels: labels, annotations: annotations, startsAt: 1_735_660_800, endsAt: endsAt)
    }

    @Test func readsBackAsTheSameNotification() throws {
        let tricky = [
            "plain", "quote \" and backslash \\", "slash / in a unit mg/m3", "line\nbreak\ttab\r", "control \u{01}\u{1F}",
            "中文 站点 COD 超标", "emoji 🌫️", "", "\u{7F} delete", "backspace \u{08} formfeed \u{0C}",
        ]
        for (i, text) in tricky.enumerated() {
            let n = notification(
                labels: ["alertname": "cod-high", "station": "outlet", "Zone": text, "k\(i)": text, "a10": "x", "a9": "y"],
                annotations: ["summary": text, "value": "\(i).5"], endsAt: i % 2 == 0 ? nil : 1_735_664_400)
            let json = n.json
            #expect(try JSONDecoder().decode(AlertNotification.self, from: Data(json.utf8)) == n, "\(json)")
            #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
            #expect(n.json == json)
        }
    }

    @Test func matchesJSONEncoderOnOrdinaryNotifications() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let n = notification(
            labels: ["alertname": "cod-high", "parameter": "COD", "severity": "critical", "station": "outlet"],
            annotations: ["description": "COD 120 mg/L above 100 mg/L for 1h", "limit": "100", "value": "120"], endsAt: 1_735_664_400)
        #expect(n.json == String(decoding: try encoder.encode(n), as: UTF8.self))
    }
}
