import EnvmonHTTP
import Foundation
import Hummingbird
import Reports
import Store

/// The rectification-case register (`/cases`), overdue cases first; each case's page
/// (`/cases/{id}`) with its history and notes; CSV of the register (`/cases.csv`) and of a case's
/// history (`/cases/{id}/history.csv`), written by the same ``CaseOutput`` as `envmon cases`
/// and `/api/v1/cases`. A progress note goes through ``CaseDesk`` as `POST /api/v1/cases/{id}/notes`.
struct CasesPage: DashboardPage {
    func addRoutes(to pages: PageRouter) {
        pages.get("/cases") { request, _, page in
            let (snapshot, filter) = try await Self.snapshot(page, request)
            let model = CasesModel.register(snapshot, filter: filter, page: page, query: request.uri.query ?? "")
            return page.render("cases", title: page.t("cases_title"), model: model)
        }
        pages.get("/cases.csv") { request, _, page in
            let (snapshot, filter) = try await Self.snapshot(page, request)
            let text = CaseOutput.list(CasesModel.ordered(snapshot.filtered(filter), snapshot), snapshot: snapshot, format: .csv, language: page.reportLanguage)
            return page.csv(text, filename: "cases-\(snapshot.asOf).csv")
        }
        pages.get("/cases/{id}") { request, context, page in
            let desk = Self.desk(page)
            guard let id = context.parameters.get("id"), let record = try await desk.register.caseRecord(id) else {
                return page.notFound(page.t("cases_not_found"))
            }
            let events = try await desk.register.caseEvents(id)
            let snapshot = CaseSnapshot(asOf: desk.dates.date(of: page.data.now()), cases: [record])
            var model = CasesModel.one(record, events: events, snapshot: snapshot, dates: desk.dates, page: page)
            if request.uri.queryParameters.get("done") == "note" { model["notice"] = page.t("cases_done_note") }
            return page.render("case", title: "\(record.id) \(record.title)", model: model)
        }
        pages.get("/cases/{id}/history.csv") { _, context, page in
            let desk = Self.desk(page)
            guard let id = context.parameters.get("id"), let record = try await desk.register.caseRecord(id) else {
                return page.notFound(page.t("cases_not_found"))
            }
            let snapshot = CaseSnapshot(asOf: desk.dates.date(of: page.data.now()), cases: [record])
            let text = CaseOutput.show(
                record, events: try await desk.register.caseEvents(id), snapshot: snapshot, dates: desk.dates, format: .csv, language: page.reportLanguage)
            return page.csv(text, filename: "case-\(id).csv")
        }
        pages.post("/cases/{id}/notes") { _, context, page in
            let desk = Self.desk(page)
            guard let id = context.parameters.get("id"), try await desk.register.caseRecord(id) != nil else {
                return page.notFound(page.t("cases_not_found"))
            }
            let text = (page.form["text"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { return page.message(page.t("cases_note_failed"), page.t("cases_note_empty"), status: .badRequest) }
            var status: CaseStatus?
            switch page.form["status"] ?? "" {
            case "in-progress": status = .inProgress
            case "done": status = .done
            default: status = nil
            }
            let now = page.data.now()
            do {
                _ = try await desk.note(id, text: text, status: status, by: page.actor, at: now, now: now)
            } catch {
                return page.message(page.t("cases_note_failed"), "\(error)", status: .conflict)
            }
            return page.redirect(to: "/cases/\(PageRouter.percentEncoded(id))?done=note")
        }
    }

    static func desk(_ page: PageContext) -> CaseDesk { CaseDesk(register: page.data.store.caseRegister, zone: page.data.timeZone) }

    /// The register today, and the filter of the request (`status=open|in-progress|done|closed`, `overdue=true`).
    static func snapshot(_ page: PageContext, _ request: Request) async throws -> (CaseSnapshot, CaseFilter) {
        let desk = desk(page)
        let snapshot = try await CaseSnapshot.make(desk.register, asOf: nil, today: desk.dates.date(of: page.data.now()), dates: desk.dates)
        var filter = CaseFilter()
        if let s = request.uri.queryParameters.get("status").flatMap({ CaseStatus(parsing: String($0)) }) { filter.statuses = [s] }
        filter.overdue = request.uri.queryParameters.get("overdue") == "true"
        return (snapshot, filter)
    }
}
