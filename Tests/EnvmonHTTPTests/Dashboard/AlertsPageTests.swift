import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Monitoring
import Notifier
import Store
import Testing

/// The alerts page: what is active, an acknowledgement and a silence through its forms, and the
/// silences in force, as an operator uses them.
@Suite("Dashboard: alerts")
struct AlertsPageTests {
    let read = APIFixture.tokens[.read]!
    let operate = APIFixture.tokens[.operate]!

    func fire(_ fixture: APIFixture) async throws {
        let now = fixture.clock.now
        let key = AlertKey(rule: "cod-high", station: "outlet-1", parameter: "COD")
        let n = AlertNotification(
            idempotencyKey: "cod-high/outlet-1/COD/1", status: .firing, severity: .critical,
            labels: ["alertname": "cod-high", "station": "outlet-1", "parameter": "COD"], annotations: [:], startsAt: now - 600)
        try await fixture.store.record(
            [AlertTransition(instance: AlertInstance(key: key, state: .firing, since: now - 600, pendingSince: now - 900, value: 59, sequence: 1), from: .pending, at: now - 600, reason: "COD above 50", notification: n)],
            updates: [], recordedAt: now - 600)
    }

    func action(_ body: String, _ marker: String) -> String? {
        guard let form = body.range(of: "data-test=\"\(marker)\"") else { return nil }
        let before = body[..<form.lowerBound]
        guard let action = before.range(of: "action=\"", options: .backwards) else { return nil }
        return String(body[action.upperBound...].prefix { $0 != "\"" })
    }

    @Test("an operator acknowledges an alert and silences it; the page shows both, and the silence can be expired")
    func ackAndSilence() async throws {
        let fixture = try await APIFixture()
        try await fire(fixture)
        try await fixture.withDashboard { client in
            try await client.login(operate)
            let page = try await client.get("/alerts?lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-rule=\"cod-high\" data-station=\"outlet-1\""))
            #expect(page.body.contains("COD above 50"), "the history shows the transition's reason")
            let ack = try #require(action(page.body, "ack-form"))
            #expect(ack.hasPrefix("/alerts/episodes/") && ack.hasSuffix("/ack"))
            let csrf = try #require(page.csrf)

            let acked = try await client.post(ack, form: [("csrf", csrf), ("comment", "called the plant")])
            #expect(acked.status == 303 && acked.location == "/alerts?done=ack")
            let after = try await client.get("/alerts?done=ack&lang=en")
            #expect(after.body.contains("data-test=\"notice\">Acknowledged."))
            #expect(after.body.contains("data-test=\"acked-by\">✓ operate-token"))
            #expect(after.body.contains("called the plant"))
            #expect(!after.body.contains("data-test=\"ack-form\""), "an acknowledged episode has no ack form")
            // The same acknowledgement the API and `envmon alerts ack` read.
            #expect(try await fixture.store.openAcknowledgements().map(\.by) == ["operate-token"])

            let silenced = try await client.post(
                "/alerts/silences",
                form: [("csrf", csrf), ("matcher", "alertname=\"cod-high\""), ("matcher", "station=\"outlet-1\""), ("duration", "14400"), ("comment", "maintenance")])
            #expect(silenced.status == 303 && silenced.location == "/alerts?done=silence")
            let withSilence = try await client.get("/alerts?lang=en")
            #expect(withSilence.body.contains("alertname=&quot;cod-high&quot;, station=&quot;outlet-1&quot;"))
            #expect(withSilence.body.contains("left: 4 h 00 min"))
            let silences = try await fixture.alertHandling.silences(includingEnded: false)
            #expect(silences.count == 1 && silences.first?.endsAt == fixture.clock.now + 14_400 && silences.first?.createdBy == "operate-token")

            let expire = try #require(action(withSilence.body, "expire-form"))
            #expect(try await client.post(expire, form: [("csrf", csrf)]).location == "/alerts?done=expire")
            #expect(try await fixture.alertHandling.silences(includingEnded: false).isEmpty)
            #expect(try await client.get("/alerts?lang=en").body.contains("No silence is in force."))

            // A silence without a matcher, or with a made-up duration, is refused with a reason.
            let empty = try await client.post("/alerts/silences", form: [("csrf", csrf), ("matchers", " "), ("duration", "3600")])
            #expect(empty.status == 400 && empty.body.contains("at least one matcher"))
            let odd = try await client.post("/alerts/silences", form: [("csrf", csrf), ("matcher", "station=\"outlet-1\""), ("duration", "5")])
            #expect(odd.status == 400)
            let bad = try await client.post("/alerts/silences", form: [("csrf", csrf), ("matchers", "station=~\"(\""), ("duration", "3600")])
            #expect(bad.status == 400, "a matcher the notifier cannot parse: \(bad.body.prefix(200))")
        }
    }

    @Test("a reader sees the alerts without forms and cannot act; a form without its token is refused")
    func readerAndCSRF() async throws {
        let fixture = try await APIFixture()
        try await fire(fixture)
        try await fixture.withDashboard { client in
            try await client.login(read)
            let page = try await client.get("/alerts?lang=zh-CN")
            #expect(page.status == 200 && page.body.contains("当前告警") && page.body.contains("cod-high"))
            #expect(!page.body.contains("data-test=\"ack-form\"") && !page.body.contains("data-test=\"silence-form\""))
            let episode = try #require(try await fixture.store.loadAlertInstances().first?.episode)
            let refused = try await client.post("/alerts/episodes/\(episode)/ack", form: [("csrf", page.csrf ?? "")])
            #expect(refused.status == 403)
            #expect(try await fixture.store.openAcknowledgements().isEmpty)

            let officer = PageClient(port: client.port)
            try await officer.login(operate)
            let forged = try await officer.post("/alerts/episodes/\(episode)/ack", form: [("csrf", "forged")])
            #expect(forged.status == 403)
            #expect(try await fixture.store.openAcknowledgements().isEmpty)
        }
    }
}
