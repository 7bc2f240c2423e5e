@testable import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// The station page rendered by the daemon's listener over the fixture's store.
@Suite("Dashboard: the station page")
struct StationPageTests {
    let read = APIFixture.tokens[.read]!

    /// The fixture with the outlet's COD limited to 50 mg/L (GB 18918-2002 1A).
    func withPages(_ body: (PageClient) async throws -> Void) async throws {
        let fixture = try await APIFixture()
        var outlet = fixture.stations["outlet-1"]!
        outlet.parameters[0].limits = [Limit(basis: .hour, max: 50, source: "GB 18918-2002 1A")]
        let stations = StationRegistry([outlet, fixture.stations["air-1"]!])
        let clock = fixture.clock
        let data = APIData(
            store: fixture.store, stations: { stations }, now: { clock.now }, language: .en, targetsPath: fixture.directory.file("targets"))
        let dashboard = try Dashboard(data: data, alerts: nil, pages: [StationPage()])
        try await fixture.withListener(extra: [dashboard]) { port, _ in
            let client = PageClient(port: port)
            client.headers["Authorization"] = "Bearer \(read)"
            try await body(client)
        }
    }

    @Test("an outlet's page: a chart per parameter, the limit line at 50, the range chosen, the latest value")
    func outlet() async throws {
        try await withPages { client in
            let page = try await client.get("/stations/outlet-1?range=day&lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"station-name\">outlet-1<"))
            #expect(page.body.components(separatedBy: "data-test=\"trend-chart\"").count - 1 == 2, "COD and flow")
            #expect(page.body.contains("data-test=\"limit-line\" data-value=\"50\""))
            #expect(page.body.contains("limit COD ≤ 50 mg/L (hourly mean) · GB 18918-2002 1A"))
            #expect(page.body.contains("data-test=\"mean-line\""))
            // The last reading: minute 179, COD 59 (≥ 80 % of 50: a warning colour, above the limit: over).
            #expect(page.body.contains("class=\"latest over\" data-test=\"latest-value\">59.00<"))
            #expect(page.body.contains("aria-current=\"page\">Day<"))
            #expect(page.body.contains("raw readings"))
            #expect(page.body.contains("2026-03-01 03:01"), "the range ends at the minute after now, in Shanghai time")
        }
    }

    @Test("an ambient site's page has its daily AQI on HJ 633's colours; an invalid day has no bar")
    func ambient() async throws {
        try await withPages { client in
            let page = try await client.get("/stations/air-1?from=2026-02-27&to=2026-02-28&lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"daily-aqi-chart\""))
            // Day one: PM2.5 80 µg/m³ under HJ 633-2012 (before 2026-03-01).
            let aqi = try AirQualityIndex.evaluate([AQIConcentration(.pm25, .day, 80)], standard: .hj633_2012).aqi!
            #expect(page.body.contains("2026-02-27 AQI \(aqi) lightly polluted · PM2.5"))
            #expect(page.body.components(separatedBy: "data-test=\"bar\"").count - 1 == 1, "the second day (AQI < 100 from PM2.5 alone) is not valid")
            #expect(page.body.contains("fill=\"rgb(255,126,0)\""), "level 3 is orange")
        }
    }

    @Test("in Chinese; a bad step says what is wrong; an unknown station is not found")
    func languageAndErrors() async throws {
        try await withPages { client in
            let zh = try await client.get("/stations/outlet-1?range=week", headers: ["Accept-Language": "zh-CN"])
            #expect(zh.body.contains("aria-current=\"page\">周<"))
            #expect(zh.body.contains("原始数据"))
            let bad = try await client.get("/stations/outlet-1?step=soon&lang=en")
            #expect(bad.status == 200)
            #expect(bad.body.contains("data-test=\"station-error\">step &#39;soon&#39;"))
            #expect(try await client.get("/stations/nowhere").status == 404)
        }
    }

    @Test("an hour with maintenance readings is shaded and explained")
    func flagged() async throws {
        try await withPages { client in
            // The fixture has none: write an hour of M readings after its three hours.
            let page0 = try await client.get("/stations/outlet-1?range=day&lang=en")
            #expect(!page0.body.contains("data-test=\"shaded-period\""))
        }
        let fixture = try await APIFixture()
        let cod = SeriesKey(station: "outlet-1", parameter: "COD", kind: .minute)
        _ = try await fixture.store.write((180..<240).map { Sample(series: cod, time: APIFixture.t0 + Int64($0) * 60, value: 10, flag: .maintenance) })
        fixture.clock.advance(by: 3_600)
        let dashboard = try Dashboard(data: fixture.data, alerts: nil, pages: [StationPage()])
        try await fixture.withListener(extra: [dashboard]) { port, _ in
            let client = PageClient(port: port)
            client.headers["Authorization"] = "Bearer \(read)"
            let page = try await client.get("/stations/outlet-1?range=day&lang=en")
            #expect(page.body.contains("data-test=\"shaded-period\" data-kind=\"flagged\"><title>maintenance (M)</title>"))
            #expect(page.body.contains("<title>invalid: &lt; 75 % valid readings in the hour</title>"))
            #expect(page.body.contains("<td>2026-03-01 03:00</td><td>2026-03-01 04:00</td><td>maintenance (M)</td>"))
        }
    }
}
