public import Monitoring

/// The year's indicators with their targets, values and verdicts, as of a date: the figures the
/// stations measure beside those entered by hand, each saying which it is and how it was had.
public struct Scorecard: Sendable {
    /// Whether an indicator met its target.
    public enum Verdict: String, Sendable {
        case met
        case notMet = "not-met"
        /// No value: nothing measured it in the period, or the declaration is missing.
        case noData = "no-data"

        public func text(_ language: ReportLanguage) -> String {
            switch self {
            case .met: language.pick("达标", "met")
            case .notMet: language.pick("未达标", "not met")
            case .noData: language.pick("无数据", "no data")
            }
        }
    }

    /// One indicator's line.
    public struct Row: Sendable {
        public var indicator: IndicatorDefinition
        public var value: Double?
        public var verdict: Verdict
        /// Whether the value was measured by the stations (false: declared by hand).
        public var measured: Bool
        /// How it was measured, or the declaration's evidence, date and author.
        public var basisZH: String
        public var basisEN: String

        public func basis(_ language: ReportLanguage) -> String { language.pick(basisZH, basisEN) }
    }

    public var year: Int
    /// The last local date the figures cover.
    public var asOf: CivilTime
    public var rows: [Row]
    /// The definition file.
    public var source: String

    /// Measures (or reads the declaration of) every indicator of `definition` for its year,
    /// through `asOf` (clamped to the year).
    public static func make(_ definition: ScorecardDefinition, asOf: CivilTime, measurer: some IndicatorMeasurer) async throws -> Scorecard {
        let yearEnd = CivilTime(year: definition.year, month: 12, day: 31)
        let yearStart = CivilTime(year: definition.year, month: 1, day: 1)
        guard asOf >= yearStart else {
            throw ReportsError("--as-of \(asOf.isoDate) is before \(definition.year) begins: nothing to score yet")
        }
        // A date, whatever time of day `asOf` carries (a wall clock's "today").
        let through = min(CivilTime(year: asOf.year, month: asOf.month, day: asOf.day), yearEnd)
        var rows: [Row] = []
        for indicator in definition.indicators {
            if let d = indicator.declared {
                let by = d.by.map { "，\($0)" } ?? ""
                let byEN = d.by.map { ", \($0)" } ?? ""
                rows.append(
                    Row(
                        indicator: indicator, value: d.value, verdict: indicator.target.isMet(by: d.value) ? .met : .notMet, measured: false,
                        basisZH: "填报：\(d.evidence)（\(d.date.isoDate)\(by)）", basisEN: "declared: \(d.evidence) (\(d.date.isoDate)\(byEN))"))
                continue
            }
            let m = try await measurer.measure(indicator, year: definition.year, through: through)
            let verdict: Verdict = m.value.map { indicator.target.isMet(by: $0) ? .met : .notMet } ?? .noData
            rows.append(Row(indicator: indicator, value: m.value, verdict: verdict, measured: true, basisZH: m.methodZH, basisEN: m.methodEN))
        }
        return Scorecard(year: definition.year, asOf: through, rows: rows, source: definition.path)
    }

    /// Indicators by verdict.
    public var tally: (met: Int, notMet: Int, noData: Int) {
        (rows.filter { $0.verdict == .met }.count, rows.filter { $0.verdict == .notMet }.count, rows.filter { $0.verdict == .noData }.count)
    }
}

/// A measured indicator's value and how it was had.
public struct IndicatorMeasurement: Sendable {
    public var value: Double?
    public var methodZH: String
    public var methodEN: String

    public init(value: Double?, methodZH: String, methodEN: String) {
        self.value = value
        self.methodZH = methodZH
        self.methodEN = methodEN
    }
}

/// Computes a measured indicator from the stations' data: the seam between the scorecard and
/// the reports (air, water, loads, data validity) that know how.
public protocol IndicatorMeasurer: Sendable {
    /// The indicator's value over `year` through the local date `through`.
    func measure(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement
}
