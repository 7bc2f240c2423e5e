import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Notifier

/// Page tests: the fixture's listener with the dashboard (its standard pages, or the ones given),
/// and a ``PageClient`` on it.
extension APIFixture {
    /// A notifier on the fixture's store (acks and silences go through it as in the daemon).
    var alertHandling: NotifierService<ContinuousClock> {
        NotifierService(
            configuration: NotifyConfiguration(), targets: [], outbox: store, control: store, clock: ContinuousClock(),
            nowMillis: { [clock] in clock.now * 1_000 })
    }

    /// Runs the listener with the API and the dashboard while `body` runs with a client on it.
    func withDashboard(
        pages: [any DashboardPage] = Dashboard.standardPages, settings: DashboardSettings = DashboardSettings(),
        _ body: (PageClient) async throws -> Void
    ) async throws {
        let dashboard = try Dashboard(data: data, alerts: alertHandling, settings: settings, pages: pages)
        try await withListener(extra: [dashboard]) { port, _ in try await body(PageClient(port: port)) }
    }
}
