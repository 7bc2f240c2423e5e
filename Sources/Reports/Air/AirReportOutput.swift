import Foundation
public import Monitoring

/// Renders an ``AirReport``: a paper-like text report in Chinese or English, JSON (an object with
/// `period`, `sites`, `city` and `notes`), or CSV (one row per site and one for the city).
public struct AirReportOutput: Sendable {
    public let report: AirReport
    public let language: ReportLanguage

    public init(report: AirReport, language: ReportLanguage) {
        self.report = report
        self.language = language
    }

    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered + "\n"
        case .csv: csv()
        }
    }

    /// The city's selector as printed: `city=Beijing`, or `all ambient-air sites`.
    var citySelector: String {
        let r = report.request
        if !r.sites.isEmpty { return r.sites.joined(separator: language.pick("、", ", ")) }
        if r.labels.isEmpty { return language.pick("全部环境空气站点", "all ambient-air sites") }
        return r.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: language.pick("、", ", "))
    }

    // MARK: - JSON

    /// The JSON of the report.
    public func json() -> JSONText {
        let r = report
        return .object([
            ("period", .string(r.request.period.label)), ("from", .string(r.request.period.first.isoDate)),
            ("to", .string(r.request.period.last.isoDate)), ("grade", .number("\(r.request.grade.rawValue)")),
            ("edition", .string(r.city.evaluation.limits.edition.rawValue)),
            ("sites", .array(r.sites.map { entryJSON($0) })), ("city", entryJSON(r.city)),
            ("notes", .array(r.notes(language).map { .string($0) })),
        ])
    }

    private func entryJSON(_ e: AirReport.Entry) -> JSONText {
        let ev = e.evaluation
        func num(_ v: Double?) -> JSONText { v.map { .number("\($0)") } ?? .null }
        let categories = AQICategory.allCases.map { c in (Self.categoryKey(c), JSONText.number("\(ev.categoryDays[c] ?? 0)")) }
        func limits(_ s: [AirEvaluation.Statistic]) -> JSONText { .object(s.map { ($0.key, $0.limit.map { .number("\($0.limit)") } ?? .null) }) }
        func verdicts(_ s: [AirEvaluation.Statistic]) -> JSONText { .object(s.map { ($0.key, $0.verdict.map { .string($0.rawValue) } ?? .null) }) }
        var members: [(String, JSONText)] = [
            ("site", .string(e.station?.id ?? "city")),
            ("name", .string(e.station?.name ?? "city (\(citySelector))")),
        ]
        if e.station == nil { members.append(("siteCount", .number("\(report.sites.count)"))) }
        members += [
            ("period", .string(report.request.period.label)), ("days", .number("\(ev.days)")),
            ("validDays", .number("\(ev.validDays)")), ("goodDays", .number("\(ev.goodDays)")), ("goodDayShare", num(ev.goodDayShare)),
            ("categoryDays", .object(categories)),
            ("primaryPollutants", .object(ev.primaryPollutantDays.map { ($0.pollutant.rawValue, .number("\($0.days)")) })),
            ("annualMean", .object(ev.means.map { ($0.key, num($0.value)) })),
            ("percentiles", .object(ev.percentiles.map { ($0.key, num($0.value)) })),
            ("compositeIndex", num(ev.compositeIndex)),
            ("compositeIndexTerms", .object(ev.indexTerms.map { ($0.key, .number("\($0.index)")) })),
            ("limits", .object([("annualMean", limits(ev.means)), ("percentiles", limits(ev.percentiles))])),
            ("verdicts", .object([("annualMean", verdicts(ev.means)), ("percentiles", verdicts(ev.percentiles))])),
            (
                "annualMeanValidity",
                .object(
                    ev.means.map { m in
                        (m.key, .object([("validDays", .number("\(m.days)")), ("meetsMinimum", m.meetsValidityMinimum.map { .bool($0) } ?? .null)]))
                    })
            ),
            ("missingPollutants", .array(e.missing.map { .string($0.rawValue) })),
        ]
        return .object(members)
    }

    static func categoryKey(_ c: AQICategory) -> String {
        ["excellent", "good", "lightlyPolluted", "moderatelyPolluted", "heavilyPolluted", "severelyPolluted"][c.rawValue - 1]
    }

    // MARK: - CSV

    private func csv() -> String {
        let specs = AirEvaluation.percentileSpecs.map { $0.0 == .o3MDA8 ? "O3_mda8_p\($0.1)" : "\($0.0.pollutant.rawValue)_24h_p\($0.1)" }
        var out =
            (["site", "period", "days", "valid_days", "good_days", "good_day_share"] + AQICategory.allCases.map { "level\($0.rawValue)_days" }
                + ["SO2_mean", "NO2_mean", "PM10_mean", "PM2.5_mean"] + specs + ["composite_index"]).joined(separator: ",") + "\n"
        for e in report.sites + [report.city] {
            let ev = e.evaluation
            func f(_ v: Double?) -> String { v.map { "\($0)" } ?? "" }
            let fields =
                [e.station?.id ?? "city", report.request.period.label, "\(ev.days)", "\(ev.validDays)", "\(ev.goodDays)", f(ev.goodDayShare)]
                + AQICategory.allCases.map { "\(ev.categoryDays[$0] ?? 0)" } + ev.means.map { f($0.value) } + ev.percentiles.map { f($0.value) }
                + [f(ev.compositeIndex)]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }
}
