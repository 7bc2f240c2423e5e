import EnvmonHTTP
import Reports

/// One of the four report pages: `/reports/<name>`, a form of its period, the report as charts
/// and a table (`report.mustache`), and `/reports/<name>.csv`, the same report as the CLI's
/// `--format csv` writes it. The routes are the same for all four; a page says only how its
/// report is made and shown. A `ReportsError` (a bad period, a missing targets file) is shown on
/// the page above the form; on the CSV route `PageRouter` answers it with a 400 page.
protocol ReportPage: DashboardPage {
    associatedtype Report

    /// The path component, also the catalogue prefix: `reports_<name>_title`, `reports_<name>_about`.
    var name: String { get }
    /// The query parameters the form sends and the CSV link carries on.
    var queryNames: [String] { get }
    /// The form's fields: (name, label, value, placeholder).
    func fields(_ query: ReportQuery, _ page: PageContext) -> [(String, String, String, String)]
    /// The report the query asks for.
    func make(_ query: ReportQuery, _ page: PageContext) async throws -> Report
    /// The period the report covers, as the heading shows it.
    func period(of report: Report, _ page: PageContext) -> String
    /// The charts, table and notes of the report.
    func fill(_ view: inout ReportView, _ report: Report, _ page: PageContext)
    /// The CSV text and its file name.
    func csv(_ report: Report, _ page: PageContext) -> (text: String, filename: String)
}

extension ReportPage {
    func addRoutes(to pages: PageRouter) {
        let path = "/reports/\(name)"
        pages.get(path) { request, _, page in
            let query = ReportQuery(request)
            var view = ReportView(
                report: name, heading: page.t("reports_\(name)_title"), intro: page.t("reports_\(name)_about"), formAction: path)
            view.fields = fields(query, page)
            do {
                let report = try await make(query, page)
                view.period = period(of: report, page)
                view.csv = path + ".csv" + query.string(queryNames)
                fill(&view, report, page)
            } catch let error as ReportsError {
                view.error = error.description
            }
            return page.render("report", title: view.heading, model: view.model)
        }
        pages.get(path + ".csv") { request, _, page in
            let (text, filename) = csv(try await make(ReportQuery(request), page), page)
            return page.csv(text, filename: filename)
        }
    }
}
