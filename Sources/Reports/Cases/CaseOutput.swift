import Foundation
public import Store
import Monitoring

/// The register printed: lists, one case with its history, and summaries, as text, JSON or CSV
/// in zh-CN or en.
public enum CaseOutput {
    // MARK: list

    /// A list of cases.
    public static func list(_ cases: [CaseRecord], snapshot: CaseSnapshot, format: ReportFormat, language l: ReportLanguage) -> String {
        switch format {
        case .json:
            return JSONText.array(cases.map { json($0, snapshot: snapshot, l) }).rendered + "\n"
        case .csv:
            var out = "id,title,source,unit,leader,deadline,status,overdue,stations,rules\n"
            for c in cases {
                out += [c.id, c.title, c.source.rawValue, c.unit, c.leader, c.deadline ?? "", c.status.rawValue, snapshot.isOverdue(c) ? "yes" : "no",
                    c.stations.joined(separator: ";"), c.rules.joined(separator: ";")].map(CaseText.csv).joined(separator: ",") + "\n"
            }
            return out
        case .text:
            let header = [l.pick("编号", "id"), l.pick("状态", "status"), l.pick("来源", "source"), l.pick("责任单位", "unit"),
                l.pick("包案领导", "leader"), l.pick("期限", "deadline"), l.pick("标题", "title")]
            var rows = [header]
            for c in cases {
                let late = snapshot.isOverdue(c) ? l.pick("（逾期）", " (overdue)") : ""
                rows.append([c.id, CaseText.status(c.status, l), CaseText.source(c.source, l), dash(c.unit), dash(c.leader),
                    (c.deadline ?? "—") + late, c.title])
            }
            let widths = CaseText.widths(rows)
            var out = l.pick("案件台账（截至\(snapshot.asOf)）：\(cases.count)项\n", "Case register as of \(snapshot.asOf): \(cases.count) case\(cases.count == 1 ? "" : "s")\n")
            for r in rows { out += CaseText.row(r, widths) + "\n" }
            return out
        }
    }

    static func dash(_ s: String) -> String { s.isEmpty ? "—" : s }

    static func json(_ c: CaseRecord, snapshot: CaseSnapshot, _ l: ReportLanguage) -> JSONText {
        var members: [(String, JSONText)] = [
            ("id", .string(c.id)), ("title", .string(c.title)), ("source", .string(c.source.rawValue)),
            ("sourceName", .string(CaseText.source(c.source, l))), ("unit", .string(c.unit)), ("leader", .string(c.leader)),
            ("deadline", c.deadline.map { .string($0) } ?? .null), ("status", .string(c.status.rawValue)),
            ("statusName", .string(CaseText.status(c.status, l))), ("overdue", .bool(snapshot.isOverdue(c))),
            ("stations", .array(c.stations.map { .string($0) })), ("rules", .array(c.rules.map { .string($0) })),
            ("reopened", .number(String(c.reopenCount))),
        ]
        if let p = c.parameter { members.append(("parameter", .string(p))) }
        if let e = c.episode { members.append(("episode", .number(String(e)))) }
        return .object(members)
    }

    // MARK: show

    /// One case with its full history.
    public static func show(
        _ c: CaseRecord, events: [CaseEvent], snapshot: CaseSnapshot, dates: CaseDates, format: ReportFormat, language l: ReportLanguage
    ) -> String {
        if format == .json || format == .csv {
            if format == .csv {
                var out = "seq,date,kind,author,from,to,text,evidence\n"
                for e in events {
                    out += [String(e.sequence), dates.dateTime(of: e.at), e.kind.rawValue, e.author, e.from?.rawValue ?? "", e.to?.rawValue ?? "", e.text,
                        e.evidence.joined(separator: ";")].map(CaseText.csv).joined(separator: ",") + "\n"
                }
                return out
            }
            guard case .object(var members) = json(c, snapshot: snapshot, l) else { return "" }
            members.append(("opened", .string(dates.date(of: c.openedAt))))
            members.append(("statusSince", .string(dates.date(of: c.statusSince))))
            members.append(
                ("history",
                    .array(events.map { e in
                        var m: [(String, JSONText)] = [
                            ("seq", .number(String(e.sequence))), ("at", .string(dates.dateTime(of: e.at))), ("kind", .string(e.kind.rawValue)),
                            ("author", .string(e.author)), ("text", .string(e.text)),
                        ]
                        if let f = e.from { m.append(("from", .string(f.rawValue))) }
                        if let t = e.to { m.append(("to", .string(t.rawValue))) }
                        if !e.evidence.isEmpty { m.append(("evidence", .array(e.evidence.map { .string($0) }))) }
                        if !e.fields.isEmpty { m.append(("fields", .object(e.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
                        return .object(m)
                    })))
            return JSONText.object(members).rendered + "\n"
        }
        let colon = l.pick("：", ": ")
        var out = "\(c.id)  \(c.title)\n"
        out += l.pick("来源", "Source") + colon + CaseText.source(c.source, l) + "    " + l.pick("状态", "Status") + colon + CaseText.status(c.status, l)
            + l.pick("（自\(dates.date(of: c.statusSince))）", " (since \(dates.date(of: c.statusSince)))") + "\n"
        out += l.pick("责任单位", "Responsible unit") + colon + dash(c.unit) + "    " + l.pick("包案领导", "Responsible leader") + colon + dash(c.leader) + "\n"
        out += l.pick("登记", "Opened") + colon + dates.date(of: c.openedAt) + "    " + l.pick("期限", "Deadline") + colon + (c.deadline ?? "—")
            + (snapshot.isOverdue(c) ? l.pick("（逾期）", " (overdue)") : "") + "\n"
        if !c.stations.isEmpty || !c.rules.isEmpty {
            out += l.pick("关联站点", "Stations") + colon + dash(c.stations.joined(separator: ", ")) + "    " + l.pick("关联规则", "Rules") + colon
                + dash(c.rules.joined(separator: ", ")) + "\n"
        }
        if c.reopenCount > 0 { out += l.pick("重新打开\(c.reopenCount)次\n", "Reopened \(c.reopenCount) time\(c.reopenCount == 1 ? "" : "s")\n") }
        out += l.pick("历史：", "History:") + "\n"
        for e in events {
            // A dated note (an import's, `--date`) has no time of day worth printing.
            let when = dates.dateTime(of: e.at).replacingOccurrences(of: " 00:00", with: "")
            var line = "  #\(e.sequence)  \(when)  \(CaseText.event(e.kind, l))"
            if let from = e.from, let to = e.to { line += "  \(CaseText.status(from, l)) → \(CaseText.status(to, l))" } else if e.kind == .opened {
                line += "  \(CaseText.status(e.to ?? .open, l))"
            }
            line += "  [\(e.author)]"
            if !e.text.isEmpty { line += "  \(e.text)" }
            if !e.evidence.isEmpty { line += l.pick("  证据：", "  evidence: ") + e.evidence.joined(separator: l.pick("；", "; ")) }
            if e.kind == .updated {
                line += "  " + e.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            }
            out += line + "\n"
        }
        return out
    }

    // MARK: summary

    /// The summary: the headline, then by source and by unit.
    public static func summary(_ s: CaseSummary, format: ReportFormat, language l: ReportLanguage) -> String {
        func counts(_ c: CaseCounts) -> [(String, JSONText)] {
            [
                ("total", .number(String(c.total))), ("finished", .number(String(c.finished))), ("open", .number(String(c.open))),
                ("inProgress", .number(String(c.inProgress))), ("done", .number(String(c.done))), ("closed", .number(String(c.closed))),
                ("overdue", .number(String(c.overdue))),
            ]
        }
        switch format {
        case .json:
            let object: JSONText = .object(
                [("asOf", .string(s.asOf)), ("headline", .string(CaseText.headline(s.all, l)))] + counts(s.all) + [
                    ("bySource", .array(s.bySource.map { .object([("source", .string($0.source.rawValue)), ("name", .string(CaseText.source($0.source, l)))] + counts($0.counts)) })),
                    ("byUnit", .array(s.byUnit.map { .object([("unit", .string($0.unit))] + counts($0.counts)) })),
                ])
            return object.rendered + "\n"
        case .csv:
            var out = "as_of,group,key,name,total,finished,open,in_progress,done,closed,overdue\n"
            func line(_ group: String, _ key: String, _ name: String, _ c: CaseCounts) {
                out += ([s.asOf, group, key, name].map(CaseText.csv) + [c.total, c.finished, c.open, c.inProgress, c.done, c.closed, c.overdue].map(String.init))
                    .joined(separator: ",") + "\n"
            }
            line("all", "", "", s.all)
            for (source, c) in s.bySource { line("source", source.rawValue, CaseText.source(source, l), c) }
            for (unit, c) in s.byUnit { line("unit", unit, unit, c) }
            return out
        case .text:
            var out = l.pick("整改任务汇总（截至\(s.asOf)）\n", "Rectification tasks as of \(s.asOf)\n")
            out += CaseText.headline(s.all, l) + "\n"
            let head = [l.pick("合计", "total"), l.pick("已完成", "done"), l.pick("其中已销号", "closed"), l.pick("整改中", "in progress"),
                l.pick("未开始", "not started"), l.pick("逾期", "overdue")]
            func numbers(_ c: CaseCounts) -> [String] { [c.total, c.finished, c.closed, c.inProgress, c.open, c.overdue].map(String.init) }
            func table(_ title: String, _ first: String, _ rows: [(String, CaseCounts)]) {
                guard !rows.isEmpty else { return }
                let all = [[first] + head] + rows.map { [dash($0.0)] + numbers($0.1) }
                let widths = CaseText.widths(all)
                out += "\n" + title + "\n"
                for r in all { out += "  " + CaseText.row(r, widths) + "\n" }
            }
            table(l.pick("按来源", "By source"), l.pick("来源", "source"), s.bySource.map { (CaseText.source($0.source, l), $0.counts) })
            table(l.pick("按责任单位", "By responsible unit"), l.pick("责任单位", "unit"), s.byUnit.map { ($0.unit, $0.counts) })
            return out
        }
    }
}
