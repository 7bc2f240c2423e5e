import Foundation

/// Helpers for the paper-like text tables of the reports, where Chinese characters take two columns.
enum TextColumns {
    /// The columns `text` takes on a terminal: CJK characters and full-width forms two, others one.
    static func width(_ text: String) -> Int { TextTable.columns(text) }

    /// `text` padded with spaces to `columns` (one space at least).
    static func pad(_ text: String, _ columns: Int) -> String {
        let w = width(text)
        return text + String(repeating: " ", count: w >= columns ? 1 : columns - w)
    }

    /// `text` padded on the left to `columns`.
    static func right(_ text: String, _ columns: Int) -> String {
        let w = width(text)
        return (w >= columns ? "" : String(repeating: " ", count: columns - w)) + text
    }
}

/// Station names as sensors/ writes them, `中文名 (English name)`, split by language.
enum StationName {
    /// The part of `name` in `language`: the Chinese before ` (`, the English inside the parentheses;
    /// the whole name when it has no such form.
    static func pick(_ name: String, _ language: ReportLanguage) -> String {
        guard name.hasSuffix(")"), let open = name.range(of: " (", options: .backwards) else { return name }
        let zh = String(name[..<open.lowerBound])
        let en = String(name[open.upperBound..<name.index(before: name.endIndex)])
        return language.pick(zh, en)
    }
}
