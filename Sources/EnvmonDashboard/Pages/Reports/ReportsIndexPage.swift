/// `/reports`: the reports the dashboard shows, each a page with a chart, a table and a CSV.
struct ReportsIndexPage: DashboardPage {
    func addRoutes(to pages: PageRouter) {
        pages.get("/reports") { _, _, page in
            let reports = [("/reports/scorecard", "scorecard"), ("/reports/air", "air"), ("/reports/section", "section"), ("/reports/loads", "loads")]
            let model: [String: Any] = [
                "reports": reports.map { ["href": $0.0, "title": page.t("reports_\($0.1)_title"), "about": page.t("reports_\($0.1)_about")] }
            ]
            return page.render("reports", title: page.t("reports_title"), model: model)
        }
    }
}
