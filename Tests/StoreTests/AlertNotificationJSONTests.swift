import Foundation
@testable import Store
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

    /// The notifier reads payloads by hand: the same notification as `JSONDecoder` reads, for what
    /// the store writes and for what `JSONEncoder` wrote (older payloads, other key orders, spaces,
    /// `\u` escapes, surrogate pairs), and `JSONDecoder`'s verdict for anything else.
    @Test func readsPayloadsAsJSONDecoderReadsThem() throws {
        let tricky = ["plain", "quote \" \\ / slash", "line\nbreak\ttab", "control \u{01}", "中文 站点", "emoji 🌫️", ""]
        let plain = JSONEncoder()
        for (i, text) in tricky.enumerated() {
            let n = notification(
                labels: ["alertname": "cod-high", "station": text, "k\(i)": text], annotations: ["summary": text],
                endsAt: i % 2 == 0 ? nil : 1_735_664_400)
            #expect(try AlertNotification(outboxJSON: n.json) == n, "\(n.json)")
            let encoded = String(decoding: try plain.encode(n), as: UTF8.self)
            #expect(try AlertNotification(outboxJSON: encoded) == n, "\(encoded)")
            // Both without JSONDecoder: the hot path reads them itself.
            #expect(AlertNotification.read(n.json) == n && AlertNotification.read(encoded) == n)
        }
        let spaced = """
            { "status" : "resolved", "severity":"warning", "idempotencyKey":"r/s/p/1", "startsAt": -5, "endsAt" : null,
              "labels": {"a":"\\u4e2d\\ud83c\\udf2b\\/x"}, "annotations": {} }
            """
        let read = try AlertNotification(outboxJSON: spaced)
        #expect(read == (try JSONDecoder().decode(AlertNotification.self, from: Data(spaced.utf8))))
        #expect(read.labels["a"] == "中🌫/x")
        #expect(read.startsAt == -5 && read.endsAt == nil && read.status == .resolved)
        #expect(AlertNotification.read(spaced) == read)
        // A key the hand reader does not know: JSONDecoder reads it (and ignores the key).
        let extra = #"{"annotations":{},"extra":[1,2.5],"idempotencyKey":"k","labels":{},"severity":"info","startsAt":1,"status":"firing"}"#
        #expect(try AlertNotification(outboxJSON: extra).idempotencyKey == "k")
        #expect(AlertNotification.read(extra) == nil)
        // A fraction where an integer goes, a label that is not a string: JSONDecoder decides (it refuses the label).
        let fraction = #"{"annotations":{},"idempotencyKey":"k","labels":{},"severity":"info","startsAt":1.0,"status":"firing"}"#
        #expect(AlertNotification.read(fraction) == nil)
        #expect((try? AlertNotification(outboxJSON: fraction)) == (try? JSONDecoder().decode(AlertNotification.self, from: Data(fraction.utf8))))
        let numericLabel = #"{"annotations":{},"idempotencyKey":"k","labels":{"n":1},"severity":"info","startsAt":1,"status":"firing"}"#
        #expect(AlertNotification.read(numericLabel) == nil)
        #expect(throws: (any Error).self) { try AlertNotification(outboxJSON: numericLabel) }
        // What JSONDecoder refuses is refused.
        for bad in ["", "{", #"{"status":"firing"}"#, #"{"annotations":{},"idempotencyKey":"k","labels":{},"severity":"loud","startsAt":1,"status":"firing"}"#] {
            #expect(throws: (any Error).self, "\(bad)") { try AlertNotification(outboxJSON: bad) }
        }
    }
}
