import Monitoring

extension Scorecard {
    /// The scorecard as a paper-like table (zh-CN or en), JSON, or CSV (one row an indicator).
    public func render(_ format: ReportFormat, language: ReportLanguage) -> String {
        switch format {
        case .text: text(language)
        case .json: json().rendered + "\n"
        case .csv: csv(language)
        }
    }

    static func value(_ v: Double?, _ unit: String) -> String {
        guard let v else { return "—" }
        let number = LocalDates.display(v)
        return unit == "%" || unit.isEmpty ? number + unit : number + " " + unit
    }

    private func text(_ l: ReportLanguage) -> String {
        var out = l.pick(
            "\(year)年度生态环境目标考核表（截至\(asOf.isoDate)）\n", "Environmental targets \(year), as of \(asOf.isoDate)\n")
        let rowsText = rows.map { r in
            [r.indicator.name(l), r.indicator.target.text, Self.value(r.value, r.indicator.target.unit), r.verdict.text(l),
             r.measured ? l.pick("监测", "measured") : l.pick("填报", "declared"), r.basis(l)]
        }
        let header = [l.pick("指标", "indicator"), l.pick("目标", "target"), l.pick("实际", "value"), l.pick("结论", "verdict"),
                      l.pick("来源", "source"), l.pick("依据", "how")]
        out += TextTable.render([header] + rowsText)
        let t = tally
        out += "\n" + l.pick(
            "共\(rows.count)项指标：达标\(t.met)项，未达标\(t.notMet)项，无数据\(t.noData)项；监测\(rows.filter(\.measured).count)项，填报\(rows.filter { !$0.measured }.count)项。\n",
            "\(rows.count) indicators: \(t.met) met, \(t.notMet) not met, \(t.noData) without data; \(rows.filter(\.measured).count) measured, \(rows.filter { !$0.measured }.count) declared.\n")
        out += l.pick("指标与目标：\(source)\n", "Indicators and targets: \(source)\n")
        return out
    }

    private func json() -> JSONText {
        .object([
            ("year", .number("\(year)")), ("asOf", .string(asOf.isoDate)), ("source", .string(source)),
            ("indicators", .array(rows.map { r in
                .object([
                    ("id", .string(r.indicator.id)), ("name", .object([("zh", .string(r.indicator.nameZH)), ("en", .string(r.indicator.nameEN))])),
                    ("target", .object([("sense", .string(r.indicator.target.sense == .atLeast ? ">=" : "<=")),
                                        ("value", .number(JSONNumber.text(r.indicator.target.bound))), ("unit", .string(r.indicator.target.unit))])),
                    ("value", r.value.map { .number(JSONNumber.text($0)) } ?? .null), ("verdict", .string(r.verdict.rawValue)),
                    ("origin", .string(r.measured ? "measured" : "declared")), ("basis", .object([("zh", .string(r.basisZH)), ("en", .string(r.basisEN))])),
                ])
            })),
            ("summary", .object([("met", .number("\(tally.met)")), ("notMet", .number("\(tally.notMet)")), ("noData", .number("\(tally.noData)"))])),
        ])
    }

    private func csv(_ l: ReportLanguage) -> String {
        var out = "id,indicator,target,value,unit,verdict,origin,basis\n"
        for r in rows {
            let fields = [r.indicator.id, r.indicator.name(l), r.indicator.target.text, r.value.map(JSONNumber.text) ?? "", r.indicator.target.unit,
                          r.verdict.rawValue, r.measured ? "measured" : "declared", r.basis(l)]
            out += fields.map(CSVField.quote).joined(separator: ",") + "\n"
        }
        return out
    }
}
