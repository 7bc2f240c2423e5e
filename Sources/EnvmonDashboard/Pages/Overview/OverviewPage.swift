import EnvmonHTTP
import Foundation
import Monitoring
import Reports
import Store

/// The overview (`/`): every station with its status, its newest values coloured against their
/// limits and its active alerts with their age; the city's day so far (the AQI of each ambient
/// site, the class of each section); the schematic map; links to everything else.
struct OverviewPage: DashboardPage {
    func addRoutes(to pages: PageRouter) {
        pages.get("/") { _, _, page in
            let data = page.data
            let overview = try await CityOverview.make(stations: data.stations(), store: data.store, now: data.now())
            return page.render("overview", title: page.t("overview_title"), model: OverviewModel(overview, page).model, refresh: 60)
        }
    }
}
