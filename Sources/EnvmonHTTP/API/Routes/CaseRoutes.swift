import Foundation
import Hummingbird
import Monitoring
import NIOCore
import Reports
import Store

/// The case register (整改任务), through the same `CaseDesk` as `envmon cases`; changes go through
/// the daemon's store, the one writer, in small transactions of their own.
///
/// - `GET /api/v1/cases[?status=…][&source=…][&unit=][&overdue=true][&asOf=YYYY-MM-DD][&lang=]` (read)
///   → `{"asOf", "cases": [...]}`, CSV one row a case.
/// - `GET /api/v1/cases/{id}` (read) → the case with its full history; 404.
/// - `POST /api/v1/cases/{id}/notes` (operate) `{"text", "evidence"?: [..], "status"?: "in-progress"|"done",
///   "date"?: "YYYY-MM-DD", "by"?}` → 201 with the case.
/// - `POST /api/v1/cases/{id}/close` (operate) `{"note", "evidence"?, "date"?, "by"?}` → 200 with the case.
/// - `POST /api/v1/cases/{id}/reopen` (operate) `{"note", "by"?}` → 200 with the case.
///
/// `by` defaults to the name of the token that made the request. A change the case's state does
/// not allow (closing an open case) answers 409.
struct CaseRoutes: HTTPRouteProvider {
    let data: APIData

    private var desk: CaseDesk { CaseDesk(register: data.store.caseRegister, zone: data.timeZone) }

    func addRoutes(to api: APIRouter) {
        api.get("/api/v1/cases", role: .read, summary: "The case register, filtered, now or as of a date") { request, _ in
            let p = APIParameters(request)
            let format: ReportFormat = try APIResponse.wantsCSV(request) ? .csv : .json
            let language = try p.language(data.language)
            var filter = CaseFilter(unit: p.string("unit"), overdue: try p.bool("overdue") ?? false)
            for s in p.list("status") {
                guard let v = CaseStatus(parsing: s) else { throw APIError.badParameter("status", "'\(s)' is not open, in-progress, done or closed") }
                filter.statuses.insert(v)
            }
            for s in p.list("source") {
                guard let v = CaseSource(parsing: s) else {
                    throw APIError.badParameter("source", "'\(s)' is not central-inspection, provincial-inspection, complaint or alert")
                }
                filter.sources.insert(v)
            }
            let desk = self.desk
            let text = try await calling {
                let asOf = try p.string("asOf").map { try LocalDates.parse($0, option: "asOf").isoDate }
                let snapshot = try await CaseSnapshot.make(desk.register, asOf: asOf, today: desk.dates.date(of: data.now()), dates: desk.dates)
                return CaseOutput.list(snapshot.filtered(filter), snapshot: snapshot, format: format, language: language)
            }
            return format == .csv ? APIResponse.csv(text) : APIResponse.jsonText(text)
        }
        api.get("/api/v1/cases/{id}", role: .read, summary: "One case with its full history") { request, context in
            let language = try APIParameters(request).language(data.language)
            return APIResponse.jsonText(try await show(try caseID(context), language: language))
        }
        api.post("/api/v1/cases/{id}/notes", role: .operate, summary: "Add a progress note, which may move the case to in-progress or done") {
            request, context in
            let id = try caseID(context)
            let body = try await JSONBody(request)
            let text = try body.requiredText("text")
            var status: CaseStatus?
            if let s = try body.text("status") {
                guard let v = CaseStatus(parsing: s), v == .inProgress || v == .done else {
                    throw APIError.badParameter("status", "'\(s)' is not in-progress or done (close a case with POST …/close)")
                }
                status = v
            }
            let at = try date(body)
            try await change(id) { desk, now in
                try await desk.note(id, text: text, evidence: try body.texts("evidence"), status: status, by: try author(body), at: at ?? now, now: now)
            }
            return APIResponse.jsonText(try await show(id, language: data.language), status: .created)
        }
        api.post("/api/v1/cases/{id}/close", role: .operate, summary: "Close a done case (销号) with the verification note") { request, context in
            let id = try caseID(context)
            let body = try await JSONBody(request)
            let note = try body.requiredText("note")
            let at = try date(body)
            try await change(id) { desk, now in
                try await desk.close(id, note: note, evidence: try body.texts("evidence"), by: try author(body), at: at ?? now, now: now)
            }
            return APIResponse.jsonText(try await show(id, language: data.language))
        }
        api.post("/api/v1/cases/{id}/reopen", role: .operate, summary: "Reopen a done or closed case, saying why") { request, context in
            let id = try caseID(context)
            let body = try await JSONBody(request)
            let note = try body.requiredText("note")
            try await change(id) { desk, now in try await desk.reopen(id, reason: note, by: try author(body), at: now) }
            return APIResponse.jsonText(try await show(id, language: data.language))
        }
    }

    private func caseID(_ context: BasicRequestContext) throws -> String {
        guard let id = context.parameters.get("id"), !id.isEmpty else { throw APIError.badParameter("id", "a case id is required") }
        return id
    }

    /// `date` of the body: the local date a note is for, at its start.
    private func date(_ body: JSONBody) throws -> Int64? {
        guard let text = try body.text("date") else { return nil }
        do {
            return desk.dates.start(of: try LocalDates.parse(text, option: "date").isoDate)
        } catch {
            throw APIError.badParameter("date", error.description)
        }
    }

    /// `by`, else the token's name.
    private func author(_ body: JSONBody) throws -> String {
        try body.text("by") ?? Caller.current?.name ?? "api"
    }

    /// Runs a change of case `id`: 404 when there is none, 409 when its state refuses the change.
    private func change(_ id: String, _ body: (CaseDesk, Int64) async throws -> CaseChange) async throws {
        let desk = self.desk
        guard try await calling({ try await desk.register.caseRecord(id) }) != nil else { throw APIError.notFound("no case \(id) in the register") }
        do {
            _ = try await body(desk, data.now())
        } catch let error as ReportsError {
            throw APIError.conflict(error.description)
        }
    }

    private func show(_ id: String, language: ReportLanguage) async throws -> String {
        let desk = self.desk
        let (record, events) = try await calling { () async throws -> (CaseRecord?, [CaseEvent]) in
            (try await desk.register.caseRecord(id), try await desk.register.caseEvents(id))
        }
        guard let record else { throw APIError.notFound("no case \(id) in the register") }
        let snapshot = CaseSnapshot(asOf: desk.dates.date(of: data.now()), cases: [record])
        return CaseOutput.show(record, events: events, snapshot: snapshot, dates: desk.dates, format: .json, language: language)
    }
}

/// A request's JSON object body, with errors that name the field.
struct JSONBody: @unchecked Sendable {
    // Holds JSONSerialization values only, read and never changed.
    let object: [String: Any]

    init(_ request: Request) async throws {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1 << 20)
        } catch {
            throw APIError.tooLarge("the body is larger than 1 MiB")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] else {
            throw APIError.badBody("the body must be a JSON object")
        }
        self.object = object
    }

    func text(_ name: String) throws -> String? {
        guard let value = object[name], !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw APIError.badParameter(name, "text expected") }
        return text
    }

    func requiredText(_ name: String) throws -> String {
        guard let text = try text(name), !text.isEmpty else { throw APIError.badParameter(name, "required") }
        return text
    }

    func texts(_ name: String) throws -> [String] {
        guard let value = object[name], !(value is NSNull) else { return [] }
        if let one = value as? String { return [one] }
        guard let list = value as? [String] else { throw APIError.badParameter(name, "a list of texts expected") }
        return list
    }
}
