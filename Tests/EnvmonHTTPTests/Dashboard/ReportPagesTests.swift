@testable import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Testing

/// The report pages over the fixture's store: a chart, a table, and the CSV of `envmon report`.
@Suite("Dashboard: the report pages")
struct ReportPagesTests {
    let read = APIFixture.tokens[.read]!

    func withPages(_ fixture: APIFixture, _ body: (PageClient) async throws -> Void) async throws {
        let pages: [any DashboardPage] = [ReportsIndexPage(), AirYearPage(), SectionMonthPage(), LoadsPage(), ScorecardPage()]
        try await fixture.withDashboard(pages: pages) { client in
            client.headers["Authorization"] = "Bearer \(read)"
            try await body(client)
        }
    }

    @Test("the index links the four reports")
    func index() async throws {
        try await withPages(try await APIFixture()) { client in
            let page = try await client.get("/reports?lang=en")
            #expect(page.status == 200)
            for path in ["/reports/scorecard", "/reports/air", "/reports/section", "/reports/loads"] {
                #expect(page.body.contains("href=\"\(path)\" data-test=\"report-link\""), "\(path)")
            }
        }
    }

    @Test("the air year: the city's daily AQI on HJ 633's colours, the sites' table, the CSV of envmon report air")
    func air() async throws {
        let fixture = try await APIFixture()
        try await withPages(fixture) { client in
            let page = try await client.get("/reports/air?month=2026-02&lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"air-daily-aqi\""))
            let aqi = try AirQualityIndex.evaluate([AQIConcentration(.pm25, .day, 80)], standard: .hj633_2012).aqi!
            #expect(page.body.contains("<title>2026-02-27 AQI \(aqi) lightly polluted · PM2.5</title>"))
            #expect(page.body.components(separatedBy: "data-test=\"bar\"").count - 1 == 1, "one valid day in February")
            #expect(page.body.contains("<a href=\"/stations/air-1\">air-1</a>"))
            #expect(page.body.contains("href=\"/reports/air.csv?month=2026-02\" data-test=\"report-csv\""))
            let csv = try await client.get("/reports/air.csv?month=2026-02&lang=en")
            #expect(csv.status == 200)
            #expect(csv.headers.first { $0.key.lowercased() == "content-type" }?.value == "text/csv; charset=utf-8")
            let report = try await AirReport.make(
                AirReportRequest(period: .month(2026, 2)), stations: fixture.stations, store: fixture.store)
            #expect(csv.body == "\u{FEFF}" + AirReportOutput(report: report, language: .en).render(.csv), "the CLI's CSV, byte for byte")
            let zh = try await client.get("/reports/air?month=2026-02&lang=zh-CN")
            #expect(zh.body.contains("全市每日 AQI"))
            #expect(zh.body.contains("三级 轻度污染"))
        }
    }

    @Test("a report that cannot be made says why on its page; a bad period is named")
    func errors() async throws {
        try await withPages(try await APIFixture()) { client in
            let section = try await client.get("/reports/section?lang=en")
            #expect(section.status == 200)
            #expect(section.body.contains("data-test=\"report-error\""), "the fixture has no surface-water section")
            let scorecard = try await client.get("/reports/scorecard?lang=en")
            #expect(scorecard.status == 200)
            #expect(scorecard.body.contains("data-test=\"report-error\""), "the fixture has no targets")
            let bad = try await client.get("/reports/air?month=2026-13&lang=en")
            #expect(bad.body.contains("data-test=\"report-error\">month"))
            #expect(try await client.get("/reports/air.csv?month=2026-13").status == 400)
        }
    }

    @Test("the loads page: without allowances, the loads themselves as a chart and a table; its CSV is envmon report load's")
    func loads() async throws {
        let fixture = try await APIFixture()
        try await withPages(fixture) { client in
            let page = try await client.get("/reports/loads?from=2026-03-01&to=2026-03-01&lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"report-period\">Period: 2026-03-01 – 2026-03-01<"))
            // Three hours of COD averaging 29.5 mg/L at 100 L/s: 3 × 29.5 × 0.36 = 31.86 kg.
            #expect(page.body.contains("<title>outlet-1 COD: 31.9 kg</title>"))
            #expect(page.body.contains("<td class=\"\">outlet-1</td><td class=\"\">COD</td><td class=\" num\">31.9</td>"))
            let csv = try await client.get("/reports/loads.csv?from=2026-03-01&to=2026-03-01")
            var request = LoadRequest()
            request.from = CivilTime(year: 2026, month: 3, day: 1)
            request.to = CivilTime(year: 2026, month: 3, day: 1)
            let report = try await LoadReport.make(
                request, stations: fixture.stations, allowances: AllowanceBook(), now: fixture.clock.now, store: fixture.store)
            #expect(csv.body == "\u{FEFF}" + LoadOutput(report: report, language: .en).render(.csv))
        }
    }
}
