/// One area of the dashboard (the overview, a station, the alerts…): it adds its pages.
public protocol DashboardPage: Sendable {
    /// Adds the area's pages and form targets.
    func addRoutes(to pages: PageRouter)
}
