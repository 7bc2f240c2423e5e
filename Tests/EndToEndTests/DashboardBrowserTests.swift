import Monitoring
import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The dashboard as a duty officer sees it: `envmon demo` (its seeds, its live field units,
    /// its alerts and cases) and a real headless Chromium driven by python3's selenium
    /// (`Tests/Browser/dashboard_browser.py` and its `checks_*.py`): every page in zh-CN and en, at
    /// 1366 and 390 px, none scrolling sideways, forms submitted. Screenshots are kept in
    /// `.build/screenshots/dashboard/` (README, The dashboard).
    @Suite struct DashboardBrowserTests {
        static let screenshots = Envmon.root + "/.build/screenshots/dashboard"

        @Test func everyPageInABrowserInBothLanguagesAtBothWidths() async throws {
            let dir = TemporaryDirectory()
            let db = dir.file("demo.sqlite")
            let demo = try DemoProcess(["--db", db, "--http-port", "0", "--notifications", dir.file("n.jsonl")])
            // The demo prints the dashboard's address once the daemon listens.
            var base: String?
            _ = try await demo.wait(upTo: 180) {
                base = Self.dashboardAddress(in: demo.output)
                return base != nil
            }
            let address = try #require(base, "the demo printed no dashboard address: \(demo.output.suffix(2_000))")
            let token = try #require(
                (try? String(contentsOfFile: db + ".token", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines),
                "the daemon's local token")
            try? FileManager.default.removeItem(atPath: Self.screenshots)

            // Half a minute or more in the browser: waited for off Swift's cooperative pool, whose
            // two threads the tests running beside this one need.
            let (status, output) = try await ChildProcess.run(
                "/usr/bin/env", ["python3", Envmon.root + "/Tests/Browser/dashboard_browser.py", address, token, Self.screenshots],
                mergingStandardError: true)
            let report = String(decoding: output, as: UTF8.self)
            #expect(status == 0, "\(report)")
            #expect(report.contains("checks passed"), "\(report)")
            let shots = (try? FileManager.default.contentsOfDirectory(atPath: Self.screenshots)) ?? []
            #expect(shots.contains { $0.hasSuffix("-390.png") } && shots.contains { $0.hasSuffix("-1366.png") }, "\(shots)")

            let (demoStatus, stderr) = await demo.stop()
            #expect(demoStatus == 0, "\(stderr.suffix(2_000))")
        }

        /// `Dashboard: http://127.0.0.1:PORT/` (or the Chinese line) in the demo's output.
        static func dashboardAddress(in text: String) -> String? {
            for line in text.split(separator: "\n") where line.hasPrefix("Dashboard: ") || line.hasPrefix("仪表盘：") {
                if let range = line.range(of: "http://") { return String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces) }
            }
            return nil
        }
    }
}
