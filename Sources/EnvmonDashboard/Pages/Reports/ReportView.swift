import EnvmonHTTP
import Foundation
import Reports

/// What a report page shows, in the shape `report.mustache` reads: a form, charts, a table, the
/// CSV link. One template for the four reports, so they look and behave alike.
struct ReportView {
    struct Cell {
        var text: String
        var cls = ""
        var num = false
        var href: String?
    }

    var report: String
    var heading: String
    var intro: String?
    var formAction: String
    /// (name, label, value, placeholder)
    var fields: [(String, String, String, String)] = []
    var error: String?
    var period: String?
    var csv: String?
    /// (title, svg, note, legend items (class, label))
    var charts: [(String, String, String?, [(String, String)])] = []
    var tableTitle = ""
    var headers: [(String, Bool)] = []
    var rows: [[Cell]] = []
    var notes: [String] = []

    var model: [String: Any] {
        var m: [String: Any] = [
            "report": report, "heading": heading, "formAction": formAction,
            "fields": fields.map { ["name": $0.0, "label": $0.1, "value": $0.2, "placeholder": $0.3] },
            "charts": charts.map { c -> [String: Any] in
                var chart: [String: Any] = ["title": c.0, "svg": c.1]
                if let note = c.2 { chart["note"] = note }
                if !c.3.isEmpty { chart["legend"] = ["items": c.3.map { ["class": $0.0, "label": $0.1] }] }
                return chart
            },
        ]
        if let intro { m["intro"] = intro }
        if let error { m["error"] = error }
        if let period { m["period"] = period }
        if let csv { m["csv"] = csv }
        if !headers.isEmpty {
            m["table"] = [
                "title": tableTitle, "headers": headers.map { ["text": $0.0, "num": $0.1] },
                "rows": rows.map { ["cells": $0.map { c -> [String: Any] in
                    var cell: [String: Any] = ["text": c.text, "class": c.cls, "num": c.num]
                    if let href = c.href { cell["href"] = href }
                    return cell
                }] },
                "notes": notes,
            ] as [String: Any]
        }
        return m
    }

    /// A number as the report tables print it; empty for none.
    static func number(_ v: Double?) -> String { v.map(LocalDates.display) ?? "–" }

    /// A share as a percentage with one decimal.
    static func percent(_ v: Double?) -> String { v.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
}
