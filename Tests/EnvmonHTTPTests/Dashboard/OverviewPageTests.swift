import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The overview page through the real listener, as a logged-in duty officer sees it.
@Suite("Dashboard: the overview")
struct OverviewPageTests {
    let read = APIFixture.tokens[.read]!

    /// A COD alert of outlet-1, firing for the last 90 minutes.
    func fire(_ fixture: APIFixture) async throws {
        let now = fixture.clock.now
        let key = AlertKey(rule: "cod-high", station: "outlet-1", parameter: "COD")
        let n = AlertNotification(
            idempotencyKey: "k1", status: .firing, severity: .critical, labels: ["alertname": "cod-high", "station": "outlet-1"], annotations: [:],
            startsAt: now - 5_400)
        try await fixture.store.record(
            [AlertTransition(instance: AlertInstance(key: key, state: .firing, since: now - 5_400, value: 59, sequence: 1), from: .pending, at: now - 5_400, reason: "r", notification: n)],
            updates: [], recordedAt: now - 5_400)
    }

    @Test("every station with its status, its latest values coloured, its alerts with their age")
    func stationsValuesAlerts() async throws {
        let fixture = try await APIFixture()
        try await fire(fixture)
        try await fixture.withDashboard { client in
            try await client.login(read)
            let page = try await client.get("/?lang=en")
            #expect(page.status == 200)
            let body = page.body
            #expect(body.contains("data-refresh=\"60\""), "the overview on a wall screen stays live")
            #expect(body.contains("data-test=\"stations-table\""))
            #expect(body.contains("data-station=\"outlet-1\" data-status=\"online\""), "the outlet reported a minute ago")
            #expect(body.contains("data-station=\"air-1\" data-status=\"late\""), "the site's last hour is 4 hours old")
            #expect(body.contains("<a href=\"/stations/outlet-1\">outlet-1</a>"))
            // COD's last minute value was 59 mg/L; without a limit it is plain.
            #expect(body.contains("data-parameter=\"COD\" data-class=\"ok\""))
            #expect(body.contains("COD <b>59</b> mg/L"))
            // PM2.5 at an ambient site is shown against GB 3095 grade 2 (2026: 24-h 60 µg/m³).
            #expect(body.contains("data-parameter=\"PM2.5\" data-class=\"ok\""))
            #expect(body.contains("PM2.5≤60/day (GB 3095-2026 grade 2)"))
            #expect(body.contains("data-test=\"active-alerts\""))
            #expect(body.contains("cod-high"))
            #expect(body.contains("data-test=\"alert-age\">1 h 30 min<"))
            #expect(body.contains("href=\"/alerts\"") && body.contains("href=\"/cases\"") && body.contains("href=\"/reports\""))
            // The test stations have no location: no map, and the page says so.
            #expect(body.contains("Stations without a location in sensors/: 2"))
            let zh = try await client.get("/?lang=zh-CN")
            #expect(zh.body.contains("迟报") && zh.body.contains("1小时30分") && zh.body.contains("当前告警"))
        }
    }

    @Test("logged out, the overview sends to the login")
    func needsLogin() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard { client in
            let page = try await client.get("/")
            #expect(page.status == 303 && page.location?.hasPrefix("/login") == true)
        }
    }
}
