import Foundation
import Notifier
import Store
import Testing

/// The webhook body is Alertmanager's version 4 field for field, and the API v2 alerts are what
/// Alertmanager takes.
@Suite struct PayloadTests {
    @Test func webhookBodyIsAlertmanagerVersion4() throws {
        let message = Fixtures.message([Fixtures.cod()])
        let body = Fixtures.json(WebhookPayload(message).json())
        let alert = Fixtures.cod()
        let expected: [String: Any] = [
            "version": "4",
            "groupKey": "0:{alertname=\"CODExceeded\"}",
            "truncatedAlerts": 0,
            "status": "firing",
            "receiver": "env-bureau",
            "groupLabels": ["alertname": "CODExceeded"],
            "commonLabels": alert.labels,
            "commonAnnotations": alert.annotations,
            "externalURL": "https://envmon.example/",
            "alerts": [
                [
                    "status": "firing",
                    "labels": alert.labels,
                    "annotations": alert.annotations,
                    "startsAt": "2024-05-01T08:00:00Z",
                    "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "https://envmon.example/stations/WX0012",
                    "fingerprint": MessageAlert(outboxID: 1, notification: alert).fingerprint,
                ] as [String: Any]
            ],
        ]
        #expect(Fixtures.canonical(body) == Fixtures.canonical(expected))
    }

    /// The body is written by hand: the same bytes as `JSONEncoder` with sorted keys and
    /// unescaped slashes, whatever the labels and texts hold (signatures are over these bytes).
    @Test func webhookBodyIsTheBytesJSONEncoderWrites() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let tricky = ["quote \" \\ and / slash", "line\nbreak\ttab\r", "control \u{01}\u{1F}", "中文 站点 COD 超标", "emoji 🌫️", ""]
        var alerts = [Fixtures.cod(), Fixtures.cod(status: .resolved, station: "WX0014"), Fixtures.noData()]
        for (i, text) in tricky.enumerated() {
            var n = Fixtures.cod(station: "S\(i)")
            n.labels["zone"] = text
            n.labels["Zone\(i)"] = text
            n.annotations["summary"] = text
            alerts.append(n)
        }
        for maxAlerts in [0, 2] {
            for externalURL in ["https://envmon.example/", nil] {
                let payload = WebhookPayload(Fixtures.message(alerts, externalURL: externalURL), maxAlerts: maxAlerts)
                let hand = payload.json()
                #expect(String(decoding: hand, as: UTF8.self) == String(decoding: try encoder.encode(payload), as: UTF8.self))
            }
        }
    }

    @Test func resolvedAlertsCarryTheirEndAndNoExternalURLMeansEmptyStrings() {
        let message = Fixtures.message([Fixtures.cod(status: .resolved)], status: .resolved, externalURL: nil)
        let body = Fixtures.json(WebhookPayload(message).json())
        let alert = (body["alerts"] as? [[String: Any]])?.first ?? [:]
        #expect(body["status"] as? String == "resolved")
        #expect(body["externalURL"] as? String == "")
        #expect(alert["endsAt"] as? String == "2024-05-01T10:00:00Z")
        #expect(alert["generatorURL"] as? String == "")
    }

    @Test func maxAlertsTruncatesAndCounts() {
        let message = Fixtures.message([Fixtures.cod(), Fixtures.cod(station: "WX0014"), Fixtures.noData()])
        let body = Fixtures.json(WebhookPayload(message, maxAlerts: 2).json())
        #expect((body["alerts"] as? [Any])?.count == 2)
        #expect(body["truncatedAlerts"] as? Int == 1)
        // Common labels are those of every alert, truncated or not.
        // Common labels are those of every alert, the truncated one included: the no-data alert
        // shares none with the two COD alerts.
        #expect((body["commonLabels"] as? [String: String]) == [:])
    }

    @Test func webhookRequestHasHeadersAndAVerifiableSignature() throws {
        var config = WebhookConfig(url: URL(string: "http://127.0.0.1:9/hook")!)
        config.bearerToken = "t0k"
        config.hmacSecret = "s3cret"
        let request = WebhookChannel(config: config, client: RecordingHTTPClient()).request(for: Fixtures.message([Fixtures.cod()]))
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Idempotency-Key") == "msg-cod-limit/WX0012/w01018/3")
        #expect(request.header("Authorization") == "Bearer t0k")
        #expect(request.header("User-Agent") == "envmon")
        let expected = try Python.run(
            "import hmac,hashlib,sys; print('sha256=' + hmac.new(b's3cret', sys.stdin.buffer.read(), hashlib.sha256).hexdigest())",
            input: request.body)
        #expect(request.header("X-Envmon-Signature") == expected)
    }

    @Test func alertmanagerAlertsLastFourResendIntervalsWhileFiring() {
        var config = AlertmanagerConfig(url: URL(string: "http://127.0.0.1:9093/")!)
        config.resendInterval = 60
        let channel = AlertmanagerChannel(config: config, client: RecordingHTTPClient())
        let now = Fixtures.t0 + 600
        let firing = channel.request(for: Fixtures.message([Fixtures.cod()]), now: now)
        #expect(firing.url == "http://127.0.0.1:9093/api/v2/alerts")
        let alerts = (try? JSONSerialization.jsonObject(with: Data(firing.body))) as? [[String: Any]] ?? []
        let expected: [[String: Any]] = [
            [
                "labels": Fixtures.cod().labels, "annotations": Fixtures.cod().annotations, "startsAt": "2024-05-01T08:00:00Z",
                "endsAt": "2024-05-01T08:14:00Z", "generatorURL": "https://envmon.example/stations/WX0012",
            ]
        ]
        #expect(Fixtures.canonical(alerts) == Fixtures.canonical(expected))

        let resolved = channel.request(for: Fixtures.message([Fixtures.cod(status: .resolved)], status: .resolved, externalURL: nil), now: now)
        let r = ((try? JSONSerialization.jsonObject(with: Data(resolved.body))) as? [[String: Any]])?.first ?? [:]
        #expect(r["endsAt"] as? String == "2024-05-01T10:00:00Z")
        #expect(r["generatorURL"] == nil)
    }

    @Test func timestampsAreRFC3339AndRFC5322() {
        #expect(Timestamp.rfc3339(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.rfc3339(Fixtures.t0 + 59) == "2024-05-01T08:00:59Z")
        #expect(Timestamp.rfc3339(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.rfc5322(Fixtures.t0) == "Wed, 01 May 2024 08:00:00 +0000")
        #expect(Timestamp.local(Fixtures.t0, in: TimeZone(identifier: "Asia/Shanghai")!) == "2024-05-01 16:00")
        #expect(Timestamp.offsetName(Fixtures.t0, in: TimeZone(identifier: "Asia/Kolkata")!) == "UTC+5:30")
    }

    @Test func hmacAndSHA256MatchKnownVectors() {
        // RFC 4231 test case 2, and SHA-256 of "abc" (FIPS 180-2).
        #expect(
            Digest.hex(Digest.hmacSHA256(key: "Jefe", message: "what do ya want for nothing?"))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(Digest.hex(Digest.sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.base64(Array("hi".utf8)) == "aGk=")
    }
}
