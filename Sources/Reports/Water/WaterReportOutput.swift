import Foundation
public import Monitoring

/// Renders a ``WaterReport``: a text report in Chinese or English, JSON, or CSV (one row per section month).
public struct WaterReportOutput: Sendable {
    public let report: WaterReport
    public let language: ReportLanguage

    public init(report: WaterReport, language: ReportLanguage) {
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

    static func number(_ v: Double) -> JSONText { .number("\(v)") }
    static func decimal(_ v: Decimal) -> JSONText { .number("\(v)") }

    /// The JSON of the report.
    public func json() -> JSONText {
        let r = report
        return .object([
            ("period", .string(r.request.period.label)), ("from", .string(r.request.period.first.isoDate)), ("to", .string(r.request.period.last.isoDate)),
            ("standard", .string("GB 3838-2002")),
            ("sections", .array(r.sections.map(sectionJSON))),
            (
                "complianceRate",
                .object([
                    ("monthsMeetingTarget", .number("\(r.monthsMeetingTarget)")), ("monthsAssessed", .number("\(r.assessedMonths)")),
                    ("rate", r.complianceRate.map(Self.number) ?? .null),
                ])
            ),
            ("upstreamDownstream", .array(r.pairs.map(pairJSON))),
            ("notes", .array(r.notes(language).map { .string($0) })),
        ])
    }

    private func sectionJSON(_ s: WaterReport.Section) -> JSONText {
        .object([
            ("section", .string(s.station.id)), ("name", .string(s.station.name)), ("waterBody", .string(s.waterBody.rawValue)),
            ("targetClass", s.target.map { .string($0.name) } ?? .null),
            ("months", .array(s.months.map { monthJSON($0, s) })),
            ("monthsMeetingTarget", .number("\(s.monthsMeetingTarget)")), ("monthsAssessed", .number("\(s.assessedMonths)")),
        ])
    }

    private func monthJSON(_ m: SectionMonth, _ s: WaterReport.Section) -> JSONText {
        let a = m.assessment
        let classes = a?.parameters.map { ($0.parameter, $0.waterClass.map { JSONText.string($0.name) } ?? .null) } ?? []
        let exceedances = (a?.exceedances ?? []).map { e in
            JSONText.object([
                ("parameter", .string(e.parameter)), ("value", Self.decimal(e.value)), ("class", .string(e.waterClass.name)),
                ("targetLimit", .string(e.targetRequirement.description)), ("multiple", e.multiple.map(Self.decimal) ?? .null),
            ])
        }
        return .object([
            ("month", .string(m.month)), ("from", .string(m.first.isoDate)), ("to", .string(m.last.isoDate)),
            ("class", m.sectionClass.map { .string($0.name) } ?? .null),
            ("grade", m.sectionClass.map { .string(language.pick($0.grade, $0.gradeEnglish)) } ?? .null),
            ("meetsTarget", a?.meetsTarget.map { .bool($0) } ?? .null),
            ("evaluatedItems", .array(m.evaluatedItems.map { .string($0) })),
            ("unmeasuredItems", .array(m.unmeasuredItems.map { .string($0) })),
            ("means", .object(m.items.map { ($0.parameter, Self.number($0.mean)) })),
            ("readings", .object(m.items.map { ($0.parameter, .number("\($0.readings)")) })),
            ("itemClasses", .object(classes)),
            ("exceedances", .array(exceedances)),
            ("totalNitrogenClass", m.totalNitrogen?.waterClass.map { .string($0.name) } ?? .null),
        ])
    }

    private func pairJSON(_ p: WaterReport.RiverPair) -> JSONText {
        let months = zip(p.upstream.months, p.downstream.months).map { up, down in
            let upMeans = Dictionary(up.items.map { ($0.parameter, $0.mean) }, uniquingKeysWith: { a, _ in a })
            let common = down.items.filter { upMeans[$0.parameter] != nil }
            return JSONText.object([
                ("month", .string(up.month)),
                ("upstreamClass", up.sectionClass.map { .string($0.name) } ?? .null),
                ("downstreamClass", down.sectionClass.map { .string($0.name) } ?? .null),
                (
                    "parameters",
                    .object(
                        common.map { d in
                            let u = upMeans[d.parameter]!
                            return (d.parameter, .object([("upstream", Self.number(u)), ("downstream", Self.number(d.mean)), ("change", Self.number(d.mean - u))]))
                        })
                ),
            ])
        }
        return .object([
            ("river", .string(p.river)), ("upstream", .string(p.upstream.station.id)), ("downstream", .string(p.downstream.station.id)),
            ("months", .array(months)),
        ])
    }

    private func csv() -> String {
        var out = "section,month,class,target_class,meets_target,evaluated_items,exceedances\n"
        for s in report.sections {
            for m in s.months {
                let over = (m.assessment?.exceedances ?? []).map { e in e.parameter + (e.multiple.map { ":\($0)" } ?? "") }.joined(separator: " ")
                let fields = [
                    s.station.id, m.month, m.sectionClass?.name ?? "", s.target?.name ?? "",
                    m.assessment?.meetsTarget.map { $0 ? "yes" : "no" } ?? "", m.evaluatedItems.joined(separator: " "), over,
                ]
                out += fields.joined(separator: ",") + "\n"
            }
        }
        return out
    }
}
