import EnvmonCharts
import EnvmonHTTP
import Foundation
import Hummingbird
import Monitoring
import Reports

/// The station page, `/stations/{id}`: a trend chart per parameter over a range (the last day,
/// week, month or year, or `from`/`to`) and an optional `step`, with the station's limits as
/// lines, flagged and invalid periods shaded and explained, gaps as gaps; for an ambient-air site
/// hourly and daily AQI on HJ 633's colours, for a section its daily class against its target.
///
/// Query: `range=day|week|month|year` (week by default), or `from=…&to=…` (local dates, ISO 8601
/// times, `now-7d`), and `step=15m|1h|1d`.
struct StationPage: DashboardPage {
    /// The charts' width in pixels (their viewBox; they scale to the page).
    static let chartWidth = 960

    func addRoutes(to pages: PageRouter) {
        pages.get("/stations/{id}") { request, context, page in
            let id = context.parameters.get("id") ?? ""
            guard let station = page.data.stations()[id] else { return page.notFound("\(page.t("station_unknown")) '\(id)'") }
            let q = request.uri.queryParameters
            let from = q.get("from").flatMap { $0.isEmpty ? nil : $0 }
            let to = q.get("to").flatMap { $0.isEmpty ? nil : $0 }
            let step = q.get("step").flatMap { $0.isEmpty ? nil : $0 }
            let range: TrendRange =
                from != nil || to != nil ? .custom(from: from, to: to) : q.get("range").flatMap(TrendRange.init(preset:)) ?? .week
            let columns = TimeChart(from: 0, to: 1, timeZone: station.timeZone, width: Self.chartWidth).plotWidth
            var model = StationPageModel.header(station, range: range, from: from, to: to, step: step, page: page)
            do {
                let trend = try await StationTrend.make(
                    StationTrendRequest(station: id, range: range, step: step, columns: columns), stations: page.data.stations(),
                    store: page.data.store, now: page.data.now())
                StationPageModel(trend: trend, page: page).fill(&model)
            } catch let error as ReportsError {
                model["error"] = error.description
            }
            return page.render("station", title: station.name, model: model)
        }
    }
}
