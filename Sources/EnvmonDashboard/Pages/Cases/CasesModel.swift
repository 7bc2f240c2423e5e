import Foundation
import Reports
import Store

/// The cases pages' template models.
enum CasesModel {
    /// Overdue cases first (earliest deadline first), then the unfinished by deadline, then the
    /// finished; the register's order within each.
    static func ordered(_ cases: [CaseRecord], _ snapshot: CaseSnapshot) -> [CaseRecord] {
        func rank(_ c: CaseRecord) -> Int { snapshot.isOverdue(c) ? 0 : c.status.isFinished ? (c.status == .done ? 2 : 3) : 1 }
        return cases.enumerated().sorted { a, b in
            (rank(a.element), a.element.deadline ?? "9999", a.offset) < (rank(b.element), b.element.deadline ?? "9999", b.offset)
        }.map(\.element)
    }

    static func row(_ c: CaseRecord, _ snapshot: CaseSnapshot, _ l: ReportLanguage) -> [String: Any] {
        var m: [String: Any] = [
            "id": c.id, "title": c.title, "source": CaseText.source(c.source, l), "unit": c.unit.isEmpty ? "—" : c.unit,
            "leader": c.leader.isEmpty ? "—" : c.leader, "deadline": c.deadline ?? "—", "status": c.status.rawValue,
            "statusText": CaseText.status(c.status, l), "stations": c.stations.map { ["id": $0] }, "overdue": snapshot.isOverdue(c),
        ]
        if c.reopenCount > 0 { m["reopened"] = c.reopenCount }
        return m
    }

    static func register(_ snapshot: CaseSnapshot, filter: CaseFilter, page: PageContext, query: String) -> [String: Any] {
        let l = page.reportLanguage
        let cases = ordered(snapshot.filtered(filter), snapshot)
        let summary = CaseSummary(snapshot, filter: filter)
        let chosen = filter.statuses.first?.rawValue ?? (filter.overdue ? "overdue" : "")
        let filters = [("", "cases_filter_all"), ("overdue", "cases_filter_overdue"), ("open", "cases_filter_open"),
            ("in-progress", "cases_filter_in_progress"), ("done", "cases_filter_done"), ("closed", "cases_filter_closed")].map { value, key -> [String: Any] in
            let href = value.isEmpty ? "/cases" : value == "overdue" ? "/cases?overdue=true" : "/cases?status=\(value)"
            return ["href": href, "label": page.t(key), "current": value == chosen]
        }
        return [
            "asOf": snapshot.asOf, "headline": CaseText.headline(summary.all, l), "cases": cases.map { row($0, snapshot, l) },
            "hasCases": !cases.isEmpty, "overdueCount": summary.all.overdue, "filters": filters,
            "csv": "/cases.csv" + (query.isEmpty ? "" : "?" + query),
        ]
    }

    static func one(_ c: CaseRecord, events: [CaseEvent], snapshot: CaseSnapshot, dates: CaseDates, page: PageContext) -> [String: Any] {
        let l = page.reportLanguage
        var m = row(c, snapshot, l)
        m["opened"] = dates.date(of: c.openedAt)
        m["statusSince"] = dates.date(of: c.statusSince)
        if let p = c.parameter { m["parameter"] = p }
        if let e = c.episode { m["episode"] = e }
        m["rules"] = c.rules.joined(separator: ", ")
        m["events"] = events.map { e -> [String: Any] in
            var row: [String: Any] = [
                "seq": e.sequence, "at": dates.dateTime(of: e.at).replacingOccurrences(of: " 00:00", with: ""), "kind": e.kind.rawValue,
                "kindText": CaseText.event(e.kind, l), "author": e.author,
            ]
            if !e.text.isEmpty { row["text"] = e.text }
            if let from = e.from, let to = e.to { row["change"] = "\(CaseText.status(from, l)) → \(CaseText.status(to, l))" }
            if !e.evidence.isEmpty { row["evidence"] = e.evidence.joined(separator: l.pick("；", "; ")) }
            if e.kind == .updated, !e.fields.isEmpty {
                row["fields"] = e.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            }
            return row
        }
        m["csv"] = "/cases/\(PageRouter.percentEncoded(c.id))/history.csv"
        m["canNote"] = page.canOperate && !c.status.isFinished
        return m
    }
}
