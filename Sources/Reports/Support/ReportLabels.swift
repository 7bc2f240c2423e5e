/// The `--label KEY=VALUE` selectors of the reports: a station is chosen when it carries every one.
public enum ReportLabels {
    /// Parses `key=value` selectors; `option` names the argument in the error.
    ///
    /// - Throws: ``ReportsError`` naming the option and the item that is not `KEY=VALUE`.
    public static func parse(_ items: [String], option: String = "--label") throws(ReportsError) -> [String: String] {
        var out: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ReportsError("\(option) '\(item)': expected KEY=VALUE, e.g. city=Beijing")
            }
            out[String(parts[0])] = String(parts[1])
        }
        return out
    }
}
