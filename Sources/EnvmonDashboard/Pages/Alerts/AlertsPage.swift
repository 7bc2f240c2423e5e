import EnvmonHTTP
import Foundation
import Hummingbird
import Notifier
import Reports
import Store

/// The alerts (`/alerts`): what is active, what happened, the episodes, the silences in force and
/// what the notifier delivered or holds; acknowledgements and silences through forms (role
/// `operate`), by the same ``AlertHandling`` as `POST /api/v1/alerts/episodes/{id}/ack`,
/// `POST /api/v1/silences` and `envmon alerts ack|silence`.
struct AlertsPage: DashboardPage {
    /// The durations a silence may be given on the page, in seconds.
    static let durations: [Int64] = [3_600, 4 * 3_600, 8 * 3_600, 86_400, 3 * 86_400, 7 * 86_400]

    func addRoutes(to pages: PageRouter) {
        pages.get("/alerts") { request, _, page in
            let model = try await AlertsModel.make(page, done: request.uri.queryParameters.get("done").map { String($0) })
            return page.render("alerts", title: page.t("alerts_title"), model: model)
        }
        pages.post("/alerts/episodes/{id}/ack") { _, context, page in
            guard let handling = page.alerts else { return noNotifier(page) }
            guard let id = context.parameters.get("id", as: Int64.self) else { return page.notFound(page.t("alerts_no_episode")) }
            do {
                _ = try await handling.acknowledge(episode: id, by: page.actor, comment: page.form["comment"] ?? "")
            } catch let error as StoreError where error.code == .notFound {
                return page.message(page.t("alerts_ack_failed"), "\(page.t("alerts_no_episode")) \(id)", status: .notFound)
            } catch let error as StoreError where error.code == .conflict {
                return page.message(page.t("alerts_ack_failed"), error.message, status: .conflict)
            }
            return page.redirect(to: "/alerts?done=ack")
        }
        pages.post("/alerts/silences") { _, _, page in
            guard let handling = page.alerts else { return noNotifier(page) }
            // Matchers: hidden fields of an alert's row, or the lines of the form's text box.
            var matchers = page.form.all("matcher").filter { !$0.isEmpty }
            matchers += (page.form["matchers"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !matchers.isEmpty else {
                return page.message(page.t("alerts_silence_failed"), page.t("alerts_silence_needs_matcher"), status: .badRequest)
            }
            guard let seconds = page.form["duration"].flatMap({ Int64($0) }), Self.durations.contains(seconds) else {
                return page.message(page.t("alerts_silence_failed"), page.t("alerts_silence_bad_duration"), status: .badRequest)
            }
            do {
                _ = try await handling.silence(
                    matchers: matchers, startsAt: nil, endsAt: page.data.now() + seconds, by: page.actor, comment: page.form["comment"] ?? "")
            } catch let error as NotifierError {
                return page.message(page.t("alerts_silence_failed"), error.message, status: .badRequest)
            }
            return page.redirect(to: "/alerts?done=silence")
        }
        pages.post("/alerts/silences/{id}/expire") { _, context, page in
            guard let handling = page.alerts else { return noNotifier(page) }
            guard let id = context.parameters.get("id", as: Int64.self), try await handling.expireSilence(id) else {
                return page.message(page.t("alerts_expire_failed"), page.t("alerts_no_silence"), status: .notFound)
            }
            return page.redirect(to: "/alerts?done=expire")
        }
    }

    private static func noNotifier(_ page: PageContext) -> Response {
        page.message(page.t("alerts_no_notifier_title"), page.t("alerts_no_notifier"), status: .serviceUnavailable)
    }

    private func noNotifier(_ page: PageContext) -> Response { Self.noNotifier(page) }
}
