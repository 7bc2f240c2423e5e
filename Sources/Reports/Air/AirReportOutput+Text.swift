import Foundation
import Monitoring

extension AirReportOutput {
    /// The paper-like report: a summary table of the sites and the city, then each one's figures against
    /// GB 3095, then the notes.
    func text() -> String {
        let l = language
        let r = report
        let period = r.request.period
        let edition = r.city.evaluation.limits.edition.documentName
        let grade = l.pick(r.request.grade == .one ? "一级" : "二级", "grade \(r.request.grade.rawValue)")
        var lines = [
            l.pick("环境空气质量评价", "Ambient air quality evaluation") + " · " + periodTitle(period),
            l.pick("依据：\(edition) \(grade)浓度限值；日 AQI 按 HJ 633（各日适用版本）；统计方法 HJ 663", "Basis: \(edition) \(grade) limits; daily AQI by HJ 633 (the edition of each day); statistics by HJ 663"),
            "",
        ]
        // Summary table.
        let head = [
            l.pick("站点", "site"), l.pick("有效天数", "valid d"), l.pick("优良天数", "good d"), l.pick("优良比例", "good %"), "PM2.5", "PM10",
            "SO2", "NO2", "CO-p95", "O3-8h-p90", l.pick("综合指数", "index"),
        ]
        let nameWidth = (r.sites + [r.city]).map { TextColumns.width(entryName($0)) }.max() ?? 20
        let widths = [nameWidth + 2, 9, 9, 9, 8, 8, 8, 8, 8, 10, 8]
        lines.append(zip(head, widths).map { TextColumns.pad($0, $1) }.joined())
        for e in r.sites + [r.city] {
            let ev = e.evaluation
            let means = Dictionary(uniqueKeysWithValues: ev.means.map { ($0.indicator, $0.value) })
            let shown: [AirIndicator] = [.pm25, .pm10, .so2, .no2]
            var cells: [String] = [entryName(e), "\(ev.validDays)", "\(ev.goodDays)", ev.goodDayShare.map(percent) ?? "—"]
            cells += shown.map { value(means[$0] ?? nil, $0) }
            cells += ev.percentiles.suffix(2).map { value($0.value, $0.indicator) }
            cells.append(ev.compositeIndex.map { FixedPoint.format($0, digits: 2) } ?? "—")
            lines.append(zip(cells, widths).map { TextColumns.pad($0, $1) }.joined())
        }
        lines.append(
            l.pick(
                "（浓度单位 µg/m³，CO 为 mg/m³；PM2.5、PM10、SO2、NO2 为评价期平均值）",
                "(µg/m³, CO mg/m³; PM2.5, PM10, SO2 and NO2 are period means)"))
        for e in r.sites + [r.city] { lines += [""] + detail(e) }
        lines += ["", l.pick("说明：", "Notes:")]
        lines += r.notes(l).enumerated().map { "  \($0.offset + 1). \($0.element)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func periodTitle(_ p: ReportPeriod) -> String {
        switch p.kind {
        case .year: language.pick("\(p.first.year)年", "year \(p.first.year)")
        case .month: language.pick("\(p.first.year)年\(p.first.month)月", p.label)
        case .range: language.pick("\(p.first.isoDate) 至 \(p.last.isoDate)", "\(p.first.isoDate) to \(p.last.isoDate)")
        }
    }

    private func entryName(_ e: AirReport.Entry) -> String {
        guard let st = e.station else {
            return language.pick("城市（\(citySelector)，\(report.sites.count)个站点）", "city (\(citySelector), \(report.sites.count) site\(report.sites.count == 1 ? "" : "s"))")
        }
        return "\(StationName.pick(st.name, language)) (\(st.id))"
    }

    private func percent(_ share: Double) -> String { FixedPoint.format(share * 100, digits: 1) + "%" }

    private func value(_ v: Double?, _ indicator: AirIndicator) -> String {
        guard let v else { return "—" }
        return FixedPoint.format(v, digits: indicator == .co ? 2 : 1)
    }

    private func pollutantName(_ p: AQIPollutant) -> String {
        let zh = ParameterCatalogue.standard.named(p.rawValue)?.nameZH ?? p.rawValue
        return language.pick("\(zh)(\(p.rawValue))", p.rawValue)
    }

    private func statisticName(_ s: AirEvaluation.Statistic) -> String {
        let name = pollutantName(s.indicator.pollutant)
        guard let p = s.percent else { return name + language.pick(" 平均浓度", " mean") }
        if s.indicator == .o3MDA8 { return name + language.pick(" 日最大8小时平均第\(p)百分位数", " MDA8 p\(p)") }
        return name + language.pick(" 24小时平均第\(p)百分位数", " 24-h p\(p)")
    }

    private func detail(_ e: AirReport.Entry) -> [String] {
        let l = language
        let ev = e.evaluation
        var lines = ["■ " + entryName(e)]
        lines.append(
            "  " + l.pick("天数 \(ev.days) · 有效天数 \(ev.validDays) · 优良天数 \(ev.goodDays) · 优良天数比例 ", "days \(ev.days) · valid \(ev.validDays) · good \(ev.goodDays) · good-day share ")
                + (ev.goodDayShare.map(percent) ?? "—"))
        let categories = AQICategory.allCases.map { c in
            l.pick(c.name(in: .hj633_2026), c.englishName(in: .hj633_2026)) + " \(ev.categoryDays[c] ?? 0)"
        }
        lines.append("  " + l.pick("各级别天数：", "days by category: ") + categories.joined(separator: " · "))
        let primary = ev.primaryPollutantDays.map { "\(pollutantName($0.pollutant)) \($0.days)" }
        lines.append("  " + l.pick("首要污染物（天）：", "primary pollutant (days): ") + (primary.isEmpty ? "—" : primary.joined(separator: " · ")))
        if !e.missing.isEmpty {
            lines.append("  " + l.pick("未监测或无数据：", "not reported or no data: ") + e.missing.map(\.rawValue).joined(separator: ", "))
        }
        let widths = [l == .zhCN ? 50 : 26, 16, 16, 10]
        lines.append(
            "  " + zip([l.pick("项目", "figure"), l.pick("浓度", "value"), l.pick("标准限值", "limit"), l.pick("结论", "verdict")], widths).map {
                TextColumns.pad($0, $1)
            }.joined() + l.pick("有效日数", "valid days"))
        for s in ev.means + ev.percentiles {
            let unit = s.indicator.unit
            let verdict = s.verdict.map { $0 == .meets ? l.pick("达标", "meets") : l.pick("超标", "exceeds") } ?? "—"
            var days = "\(s.days)"
            if let ok = s.meetsValidityMinimum {
                days += ok ? l.pick("（满足年均值有效性）", " (meets the annual-mean minimum)") : l.pick("（不满足年均值有效性）", " (below the annual-mean minimum)")
            }
            let cells = [statisticName(s), s.value.map { value($0, s.indicator) + " " + unit } ?? "—", s.limit.map { "\($0.limit) \(unit)" } ?? "—", verdict]
            lines.append("  " + zip(cells, widths).map { TextColumns.pad($0, $1) }.joined() + days)
        }
        if let index = ev.compositeIndex {
            let terms = ev.indexTerms.map { "\($0.key) \(FixedPoint.format($0.index, digits: 2))" }.joined(separator: " + ")
            lines.append("  " + l.pick("综合指数 ", "composite index ") + FixedPoint.format(index, digits: 2) + " = " + terms)
        } else {
            lines.append("  " + l.pick("综合指数：缺少统计值，无法计算", "composite index: a figure is missing"))
        }
        return lines
    }
}
