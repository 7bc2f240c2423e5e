/// Every template of the pages, embedded in the binary (SwiftPM's `embedInCode`): the daemon
/// is one file to install, and a page can never meet a template folder of another version.
///
/// Add a line here for each new file in `Templates/` (a test checks that none is forgotten).
enum DashboardTemplates {
    static let all: [(name: String, bytes: [UInt8])] = [
        ("layout", PackageResources.layout_mustache),
        ("login", PackageResources.login_mustache),
        ("message", PackageResources.message_mustache),
        ("station", PackageResources.station_mustache),
        ("report", PackageResources.report_mustache),
        ("reports", PackageResources.reports_mustache),
        ("overview", PackageResources.overview_mustache),
        ("alerts", PackageResources.alerts_mustache),
        ("cases", PackageResources.cases_mustache),
        ("case", PackageResources.case_mustache),
    ]

    /// Files served under `/static/` with their content type.
    static let assets: [(name: String, type: String, bytes: [UInt8])] = [
        ("envmon.css", "text/css; charset=utf-8", PackageResources.envmon_css),
        ("envmon.js", "text/javascript; charset=utf-8", PackageResources.envmon_js),
    ]
}
