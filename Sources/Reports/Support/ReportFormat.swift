/// How a report is printed: a paper-like text table, JSON for programs, or CSV for spreadsheets.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, csv
}
