import Foundation
import Monitoring

extension WaterReportOutput {
    /// The report: a table of section months, the compliance rate, each month's items, the river
    /// comparisons and the notes.
    func text() -> String {
        let l = language
        let r = report
        let p = r.request.period
        let title: String =
            switch p.kind {
            case .year: l.pick("\(p.first.year)年", "year \(p.first.year)")
            case .month: l.pick("\(p.first.year)年\(p.first.month)月", p.label)
            case .range: l.pick("\(p.first.isoDate) 至 \(p.last.isoDate)", "\(p.first.isoDate) to \(p.last.isoDate)")
            }
        var lines = [
            l.pick("地表水断面水质月评价", "Surface-water sections by month") + " · " + title,
            l.pick(
                "依据：GB 3838-2002 表1；《地表水环境质量评价办法（试行）》单因子评价", "Basis: GB 3838-2002 Table 1; single-factor evaluation of 《地表水环境质量评价办法（试行）》"),
            "",
        ]
        let names = r.sections.map { "\(StationName.pick($0.station.name, l)) (\($0.station.id))" }
        let widths = [(names.map(TextColumns.width).max() ?? 10) + 2, 9, l == .zhCN ? 8 : 11, l == .zhCN ? 8 : 11, 6, l == .zhCN ? 10 : 20]
        let head = [l.pick("断面", "section"), l.pick("月份", "month"), l.pick("类别", "class"), l.pick("目标", "target"), l.pick("达标", "met"), l.pick("水质状况", "grade")]
        lines.append(zip(head, widths).map { TextColumns.pad($0, $1) }.joined() + l.pick("超标项目（超标倍数）", "above target (multiple)"))
        for s in r.sections {
            for m in s.months {
                let cls = m.sectionClass.map(className) ?? l.pick("无数据", "no data")
                let met = m.assessment?.meetsTarget.map { $0 ? l.pick("是", "yes") : l.pick("否", "no") } ?? "—"
                let grade = m.sectionClass.map { l.pick($0.grade, $0.gradeEnglish) } ?? "—"
                let over = (m.assessment?.exceedances ?? []).map { e in
                    itemName(e.parameter) + " " + (e.multiple.map { FixedPoint.format($0.doubleValue, digits: 2) } ?? className(e.waterClass))
                }
                let cells = ["\(StationName.pick(s.station.name, l)) (\(s.station.id))", m.month, cls, s.target.map(className) ?? "—", met, grade]
                lines.append(zip(cells, widths).map { TextColumns.pad($0, $1) }.joined() + (over.isEmpty ? "—" : over.joined(separator: l.pick("、", ", "))))
            }
        }
        let rate = r.complianceRate.map { FixedPoint.format($0 * 100, digits: 1) + "%" } ?? "—"
        lines.append("")
        lines.append(l.pick("断面达标率：", "Compliance rate: ") + "\(r.monthsMeetingTarget)/\(r.assessedMonths) = \(rate)" + l.pick("（断面·月）", " (section-months)"))
        for s in r.sections {
            for m in s.months where !m.items.isEmpty {
                lines += [""] + detail(s, m)
            }
        }
        for pair in r.pairs { lines += [""] + comparison(pair) }
        lines += ["", l.pick("说明：", "Notes:")]
        lines += r.notes(l).enumerated().map { "  \($0.offset + 1). \($0.element)" }
        return lines.joined(separator: "\n") + "\n"
    }

    private func className(_ c: WaterQualityClass) -> String {
        let roman = ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ"][c.rawValue - 1]
        return language.pick(roman + "类", "class " + c.name)
    }

    private func itemName(_ id: String) -> String {
        guard language == .zhCN else { return id }
        if let p = ParameterCatalogue.standard.named(id) { return p.nameZH }
        return SurfaceWaterStandard.gb3838_2002.limits.first { $0.parameter == id }?.nameZH ?? id
    }

    private func unit(_ id: String) -> String {
        let u = SurfaceWaterStandard.gb3838_2002.limits.first { $0.parameter == id }?.unit ?? ""
        return u.isEmpty ? "" : " " + u
    }

    private func detail(_ s: WaterReport.Section, _ m: SectionMonth) -> [String] {
        let l = language
        var lines = ["■ \(StationName.pick(s.station.name, l)) · \(m.month) (\(m.first.isoDate)–\(m.last.isoDate))"]
        let evaluated = m.evaluatedItems.map(itemName)
        lines.append(
            "  " + l.pick("参评项目 \(evaluated.count) 项：", "evaluated items (\(evaluated.count)): ") + evaluated.joined(separator: l.pick("、", ", ")))
        let unmeasured = m.unmeasuredItems.map(itemName)
        if !unmeasured.isEmpty {
            lines.append("  " + l.pick("未监测 \(unmeasured.count) 项：", "not measured (\(unmeasured.count)): ") + unmeasured.joined(separator: l.pick("、", ", ")))
        }
        let widths = [l == .zhCN ? 24 : 12, 18, 10, 14]
        lines.append(
            "  " + zip([l.pick("项目", "item"), l.pick("月均值", "monthly mean"), l.pick("类别", "class"), l.pick("目标限值", "target limit")], widths)
                .map { TextColumns.pad($0, $1) }.joined() + l.pick("有效数据", "readings"))
        for item in m.items {
            let result = m.assessment?.parameters.first { $0.parameter == item.parameter }
            var cls = result?.waterClass.map(className) ?? "—"
            if result?.countsForSectionClass == false && result?.waterClass != nil { cls += l.pick("（单独评价）", " (apart)") }
            let target = s.target.flatMap { result?.limit?.requirement(for: $0)?.description } ?? "—"
            let cells = [itemName(item.parameter), LocalDates.display(item.mean) + unit(item.parameter), cls, target]
            lines.append("  " + zip(cells, widths).map { TextColumns.pad($0, $1) }.joined() + "\(item.readings)")
        }
        return lines
    }

    private func comparison(_ p: WaterReport.RiverPair) -> [String] {
        let l = language
        var lines = [
            l.pick("上下游对比 · \(p.river)：", "Upstream against downstream · \(p.river): ")
                + "\(StationName.pick(p.upstream.station.name, l)) → \(StationName.pick(p.downstream.station.name, l))"
        ]
        for (up, down) in zip(p.upstream.months, p.downstream.months) {
            let upMeans = Dictionary(up.items.map { ($0.parameter, $0.mean) }, uniquingKeysWith: { a, _ in a })
            let changes = down.items.compactMap { d -> String? in
                guard let u = upMeans[d.parameter] else { return nil }
                return "\(itemName(d.parameter)) \(LocalDates.display(u)) → \(LocalDates.display(d.mean))"
            }
            let classes = "\(up.sectionClass.map(className) ?? "—") → \(down.sectionClass.map(className) ?? "—")"
            lines.append("  \(up.month)  \(classes)  " + changes.joined(separator: l.pick("；", "; ")))
        }
        return lines
    }
}
