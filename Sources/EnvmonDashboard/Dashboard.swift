public import EnvmonHTTP
import Foundation
import Hummingbird
public import Notifier

/// The operators' pages, served by the daemon's HTTP listener beside the API (README, The
/// dashboard): server-rendered HTML from mustache templates, charts drawn as SVG, zh-CN and en.
///
/// ```swift
/// let dashboard = try Dashboard(data: apiData, alerts: notifier, settings: settings.dashboard)
/// let listener = HTTPListener(configuration: settings.http, access: access, routes: APIData.routes(apiData) + [dashboard], logger: logger)
/// ```
public struct Dashboard: HTTPRouteProvider {
    /// Every area of the pages, in the order of the navigation.
    public static let standardPages: [any DashboardPage] = [
        OverviewPage(), StationPage(), AlertsPage(), CasesPage(), ReportsIndexPage(), ScorecardPage(), AirYearPage(), SectionMonthPage(),
        LoadsPage(),
    ]

    let data: APIData
    let alerts: (any AlertHandling)?
    let settings: DashboardSettings
    let pages: [any DashboardPage]
    let renderer: PageRenderer
    let signer: SessionSigner

    /// The dashboard on the API's data.
    /// - Parameters:
    ///   - pages: the areas served (the standard ones by default; tests add their own).
    ///   - signer: signs the login cookies (a fresh key by default: a restart ends the sessions).
    /// - Throws: ``DashboardError`` when a template or catalogue is broken (a defect the tests catch).
    public init(
        data: APIData, alerts: (any AlertHandling)?, settings: DashboardSettings = DashboardSettings(),
        pages: [any DashboardPage] = Dashboard.standardPages, signer: SessionSigner = SessionSigner()
    ) throws(DashboardError) {
        self.data = data
        self.alerts = alerts
        self.settings = settings
        self.pages = pages
        self.renderer = try PageRenderer()
        self.signer = signer
    }

    public func addRoutes(to api: APIRouter) {
        guard settings.enabled else { return }
        // Pages are not API routes: they stay out of the catalogue and the OpenAPI document.
        let router = PageRouter(
            router: api.router,
            gate: PageRouter.Gate(access: api.access, data: data, alerts: alerts, renderer: renderer, settings: settings, signer: signer))
        StaticAssets().addRoutes(to: router)
        LoginPage(settings: settings, signer: signer).addRoutes(to: router)
        for page in pages { page.addRoutes(to: router) }
    }
}
