import Foundation
public import Store

/// The register's words in zh-CN and en.
public enum CaseText {
    /// A status's name.
    public static func status(_ s: CaseStatus, _ l: ReportLanguage) -> String {
        switch s {
        case .open: l.pick("未开始", "open")
        case .inProgress: l.pick("整改中", "in progress")
        case .done: l.pick("已完成", "done")
        case .closed: l.pick("已销号", "closed")
        }
    }

    /// A source's name.
    public static func source(_ s: CaseSource, _ l: ReportLanguage) -> String {
        switch s {
        case .centralInspection: l.pick("中央环保督察", "central inspection")
        case .provincialInspection: l.pick("省级督察", "provincial inspection")
        case .complaint: l.pick("信访投诉", "petition or complaint")
        case .alert: l.pick("预警", "alert")
        }
    }

    /// An event's name.
    public static func event(_ k: CaseEvent.Kind, _ l: ReportLanguage) -> String {
        switch k {
        case .opened: l.pick("登记", "opened")
        case .updated: l.pick("变更", "updated")
        case .note: l.pick("进展", "note")
        case .closed: l.pick("销号", "closed")
        case .reopened: l.pick("重新打开", "reopened")
        }
    }

    /// The headline: `共18项任务：已完成12项（其中已销号8项），整改中6项；逾期2项` or
    /// `18 tasks: 12 done (8 closed), 6 in progress; 2 overdue`. Zero counts are left out.
    public static func headline(_ c: CaseCounts, _ l: ReportLanguage) -> String {
        var parts: [String] = []
        if c.finished > 0 {
            parts.append(
                l.pick("已完成\(c.finished)项", "\(c.finished) done")
                    + (c.closed > 0 ? l.pick("（其中已销号\(c.closed)项）", " (\(c.closed) closed)") : ""))
        }
        if c.inProgress > 0 { parts.append(l.pick("整改中\(c.inProgress)项", "\(c.inProgress) in progress")) }
        if c.open > 0 { parts.append(l.pick("未开始\(c.open)项", "\(c.open) not started")) }
        var text = l.pick("共\(c.total)项任务", "\(c.total) task\(c.total == 1 ? "" : "s")")
        if !parts.isEmpty { text += l.pick("：", ": ") + parts.joined(separator: l.pick("，", ", ")) }
        if c.overdue > 0 { text += l.pick("；逾期\(c.overdue)项", "; \(c.overdue) overdue") }
        return text
    }

    /// Columns of text padded to a display width, CJK characters counting two.
    static func row(_ cells: [String], _ widths: [Int]) -> String {
        var out = ""
        for (i, cell) in cells.enumerated() {
            out += cell
            if i < cells.count - 1 { out += String(repeating: " ", count: max(1, widths[i] - width(cell) + 2)) }
        }
        return out
    }

    /// The display width of text in a terminal: wide (CJK, full-width) characters take two columns.
    static func width(_ s: String) -> Int { TextTable.columns(s) }

    /// The column widths of a table.
    static func widths(_ rows: [[String]]) -> [Int] {
        guard let n = rows.map(\.count).max() else { return [] }
        return (0..<n).map { i in rows.map { i < $0.count ? width($0[i]) : 0 }.max() ?? 0 }
    }

    /// A CSV field.
    static func csv(_ s: String) -> String { CSVField.quote(s) }
}
