import Foundation
public import Monitoring

/// Renders a ``LoadReport`` as paper-like tables (zh-CN or en), as JSON for programs (masses in
/// kg), or as CSV (the load table).
public struct LoadOutput: Sendable {
    /// The figures.
    public let report: LoadReport
    /// The language of the text, the names and the notes.
    public let language: ReportLanguage

    /// An output of a report in a language.
    public init(report: LoadReport, language: ReportLanguage) {
        self.report = report
        self.language = language
    }

    /// The report as text tables, JSON or CSV.
    public func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text()
        case .json: json().rendered + "\n"
        case .csv: csv()
        }
    }

    /// What the figures rest on, and what is not verified, in the report's language.
    public var notes: [String] {
        let l = language
        return [
            l.pick(
                "排放量 = 小时均值浓度 × 小时均值流量 × 1 h，取自小时汇总（有效小时：有效读数 ≥ 75 %）；废水 mg/L × m³，废气为实测（未折算氧含量）干基标态 mg/m³ × m³/h。",
                "Load = hourly mean concentration × hourly mean flow × 1 h, from the hourly rollups (a valid hour has ≥ 75 % valid readings); water mg/L × m³, flue gas the measured (not O2-corrected) dry standard mg/m³ × m³/h."),
            l.pick(
                "缺失小时按 HJ 75-2017 替代，浓度与流量分别替代：季度有效数据捕集率 α ≥ 90 % 且缺失 ≤ 24 h 取前后有效小时均值，> 24 h 取前 720 个有效小时最大值；α < 90 % 取前 2160 个有效小时最大值（α < 75 % 亦同）。这些规则在 standards.md 中标为 [M]（凭记忆，未核对标准原文）；废水 HJ 355/356-2019 的替代规则未核实，按同一规则处理。替代量单列，只计入排放总量。",
                "Missing hours are substituted per HJ 75-2017, concentration and flow separately: quarterly valid capture α ≥ 90 % and a gap ≤ 24 h: the mean of the valid hours on either side; > 24 h: the largest of the preceding 720 valid hours; α < 90 %: the largest of the preceding 2,160 (also below 75 %). standards.md marks these rules [M] (memory only, not checked against the standard's text); the water rules of HJ 355/356-2019 are unverified and the same rules are applied. Substituted tonnes are kept apart and count toward totals only."),
            l.pick(
                "停运小时（标记 F）不计排放、不替代；站点首个有效小时之前不替代。",
                "Hours flagged stopped (F) emit nothing and are not substituted; nothing is substituted before a station's first valid hour."),
            l.pick(
                "序时进度 = 已过天数 / 全年天数（按站点当地时区）；累计排放不超过按序时进度折算的年度指标为“按序时进度”，否则为“滞后”；年底预测 = 累计排放 / 序时进度。",
                "Elapsed share = elapsed days / days in the year (the stations' local zone); on schedule when the load to date is within the allowance pro-rated to date, else behind; year-end projection = load to date / elapsed share."),
        ] + (report.partialDay ? [l.pick("\(report.to.isoDate) 为今日，尚未结束：计至当前时刻。", "\(report.to.isoDate) is today and not over: counted up to now.")] : [])
    }

    // MARK: - Text

    private func text() -> String {
        let l = language
        var out: [String] = []
        let by: String
        switch report.grouping {
        case .station: by = l.pick("按排口", "by outlet or stack")
        case .label(let name): by = l.pick("按 \(name)", "by \(name)")
        }
        out.append(l.pick("污染物排放量　\(report.from.isoDate) 至 \(report.to.isoDate)（\(report.timeZone)，\(by)）",
                          "Emission loads, \(report.from.isoDate) to \(report.to.isoDate) (\(report.timeZone), \(by))"))
        var table = Table()
        let first: String
        switch report.grouping {
        case .station: first = l.pick("排口/排气筒", "Outlet / stack")
        case .label(let name): first = name == "operator" ? l.pick("排污单位", "Operator") : name
        }
        table.header([first, l.pick("污染物", "Pollutant"), l.pick("实测 t", "Measured t"),
                      l.pick("替代 t", "Substituted t"), l.pick("合计 t", "Total t"), l.pick("替代小时", "Subst. h"), l.pick("有效小时", "Valid h")],
                     right: [false, false, true, true, true, true, true])
        for row in report.rows {
            let t = row.tally
            table.row([groupName(row), pollutantName(row.pollutant), tonnes(t.load.measured), tonnes(t.load.substituted), tonnes(t.load.total),
                       "\(t.substitutedHours)", "\(t.measuredHours)"])
        }
        out += table.lines()
        if !report.flows.isEmpty {
            out.append("")
            out.append(l.pick("平均流量", "Mean flows"))
            var flows = Table()
            flows.header([l.pick("排口/排气筒", "Outlet / stack"), l.pick("平均流量", "Mean flow")], right: [false, true])
            for f in report.flows {
                let value: String
                if let q = f.cubicMetresPerHour {
                    value = f.station.kind == .stack ? "\(grouped(q)) m³/h" : "\(grouped(q * 24)) m³/d"
                } else {
                    value = "—"
                }
                flows.row([stationName(f.station), value])
            }
            out += flows.lines()
        }
        if !report.progress.isEmpty {
            let share = FixedPoint.format((report.progress[0].elapsedFraction * 1_000).rounded() / 10, digits: 1)
            out.append("")
            out.append(l.pick("年度总量指标序时进度（\(report.to.year) 年，截至 \(report.to.isoDate)，时间进度 \(share) %）",
                              "Yearly allowances (\(report.to.year), through \(report.to.isoDate), \(share) % of the year elapsed)"))
            var table = Table()
            table.header([l.pick("指标", "Allowance"), l.pick("污染物", "Pollutant"), l.pick("年度指标 t", "Annual t"), l.pick("序时指标 t", "Pro-rated t"),
                          l.pick("累计排放 t", "Load t"), l.pick("其中替代 t", "of which subst. t"), l.pick("占序时", "Share"),
                          l.pick("年底预测 t", "Projected t"), l.pick("结论", "Verdict")],
                         right: [false, false, true, true, true, true, true, true, false])
            for p in report.progress {
                table.row([p.allowance.title.map(localized) ?? p.allowance.name, pollutantName(p.allowance.pollutant),
                           p.annual.map(tonnes) ?? "—", p.proRated.map(tonnes) ?? "—", tonnes(p.tally.load.total), tonnes(p.tally.load.substituted),
                           p.share.map { FixedPoint.format(($0 * 1_000).rounded() / 10, digits: 1) + " %" } ?? "—",
                           p.projected.map(tonnes) ?? "—", verdict(p)])
            }
            out += table.lines()
            for p in report.progress {
                let ids = p.stations.map { stationName($0) }.joined(separator: l.pick("、", ", "))
                let t = p.tally
                out.append(l.pick(
                    "  \(p.allowance.name)：\(ids.isEmpty ? "（范围内无站点）" : ids)；替代 \(t.substitutedHours) 小时，停运 \(t.stoppedHours) 小时，无数据 \(t.missingHours) 小时（未计）",
                    "  \(p.allowance.name): \(ids.isEmpty ? "(no station in scope)" : ids); \(t.substitutedHours) substituted, \(t.stoppedHours) stopped, \(t.missingHours) without data (not counted) station-hours"))
            }
        }
        out.append("")
        out.append(l.pick("注：", "Notes:"))
        for (i, n) in notes.enumerated() { out.append("\(i + 1). \(n)") }
        return out.joined(separator: "\n") + "\n"
    }

    private func verdict(_ p: LoadReport.Progress) -> String {
        switch p.verdict {
        case .onSchedule: language.pick("按序时进度", "on schedule")
        case .behind: language.pick("滞后", "behind")
        case .noAllowance: language.pick("\(p.year) 年无指标", "no allowance for \(p.year)")
        }
    }

    private func groupName(_ row: LoadReport.Row) -> String {
        if case .station = report.grouping, let s = row.stations.first { return stationName(s) }
        return row.group == LoadReport.noLabel ? language.pick("（无）", "(none)") : row.group
    }

    /// The Chinese or the English part of a name written `中文 (English)`, else the whole name.
    func localized(_ name: String) -> String {
        guard let open = name.range(of: " ("), name.hasSuffix(")") else { return name }
        return language == .zhCN ? String(name[..<open.lowerBound]) : String(name[open.upperBound..<name.index(before: name.endIndex)])
    }

    private func stationName(_ s: Station) -> String { localized(s.name) }

    private func pollutantName(_ id: String) -> String {
        guard language == .zhCN, let p = ParameterCatalogue.standard.named(id) else { return id }
        return p.nameZH
    }

    private func tonnes(_ kg: Double) -> String { grouped(kg / 1_000, digits: 3) }

    private func grouped(_ v: Double, digits: Int = 0) -> String {
        let text = FixedPoint.format(v, digits: digits)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var i = whole.count - 3
        while i > 0 {
            whole.insert(",", at: whole.index(whole.startIndex, offsetBy: i))
            i -= 3
        }
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    // MARK: - JSON

    private func json() -> JSONText {
        func kg(_ v: Double) -> JSONText { .number(String(format: "%.3f", v)) }
        func fraction(_ v: Double?) -> JSONText { v.map { .number(String(format: "%.6f", $0)) } ?? .null }
        func tally(_ t: LoadTally) -> [(String, JSONText)] {
            [("measuredKg", kg(t.load.measured)), ("substitutedKg", kg(t.load.substituted)), ("totalKg", kg(t.load.total)),
             ("measuredHours", .number("\(t.measuredHours)")), ("substitutedHours", .number("\(t.substitutedHours)")),
             ("stoppedHours", .number("\(t.stoppedHours)")), ("missingHours", .number("\(t.missingHours)"))]
        }
        let groupBy: String
        switch report.grouping {
        case .station: groupBy = "station"
        case .label(let name): groupBy = name
        }
        let loads = report.rows.map { row in
            JSONText.object([("group", .string(row.group)), ("name", .string(groupName(row))), ("stations", .array(row.stations.map { .string($0.id) })),
                             ("pollutant", .string(row.pollutant))] + tally(row.tally))
        }
        let flows = report.flows.map { f in
            JSONText.object([("station", .string(f.station.id)),
                             ("m3PerHour", f.cubicMetresPerHour.map { .number(String(format: "%.3f", $0)) } ?? .null),
                             ("m3PerDay", f.cubicMetresPerHour.map { .number(String(format: "%.3f", $0 * 24)) } ?? .null)])
        }
        let allowances = report.progress.map { p in
            JSONText.object([
                ("name", .string(p.allowance.name)), ("title", p.allowance.title.map { .string(localized($0)) } ?? .null),
                ("pollutant", .string(p.allowance.pollutant)), ("flow", .string(p.allowance.flow)),
                ("stations", .array(p.stations.map { .string($0.id) })), ("year", .number("\(p.year)")),
                ("annualKg", p.annual.map(kg) ?? .null), ("elapsedFraction", fraction(p.elapsedFraction)),
                ("load", .object(tally(p.tally))), ("proRatedKg", p.proRated.map(kg) ?? .null), ("share", fraction(p.share)),
                ("projectedKg", p.projected.map(kg) ?? .null), ("verdict", .string(p.verdict.rawValue)),
            ])
        }
        return .object([
            ("from", .string(report.from.isoDate)), ("to", .string(report.to.isoDate)), ("timeZone", .string(report.timeZone)),
            ("partialDay", .bool(report.partialDay)), ("groupBy", .string(groupBy)), ("language", .string(language.rawValue)),
            ("loads", .array(loads)), ("flows", .array(flows)), ("allowances", .array(allowances)),
            ("notes", .array(notes.map { .string($0) })),
        ])
    }

    // MARK: - CSV

    private func csv() -> String {
        var out = "group,pollutant,measured_kg,substituted_kg,total_kg,measured_hours,substituted_hours,stopped_hours,missing_hours\n"
        for row in report.rows {
            let t = row.tally
            let group = row.group.contains(",") || row.group.contains("\"") ? "\"" + row.group.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : row.group
            out += [group, row.pollutant, String(format: "%.3f", t.load.measured), String(format: "%.3f", t.load.substituted),
                    String(format: "%.3f", t.load.total), "\(t.measuredHours)", "\(t.substitutedHours)", "\(t.stoppedHours)", "\(t.missingHours)"]
                .joined(separator: ",") + "\n"
        }
        return out
    }
}
