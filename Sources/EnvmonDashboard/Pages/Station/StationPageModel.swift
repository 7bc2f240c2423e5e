import EnvmonCharts
import EnvmonHTTP
import Foundation
import Monitoring
import Reports

/// The station page's model: the charts drawn from a ``StationTrend``, and the texts around them.
struct StationPageModel {
    let trend: StationTrend
    let page: PageContext

    /// What the page shows before (and whatever) the trend is read: the station and the range form.
    static func header(
        _ station: Station, range: TrendRange, from: String?, to: String?, step: String?, page: PageContext
    ) -> [String: Any] {
        let presets = ["day", "week", "month", "year"].map { name -> [String: Any] in
            var href = "/stations/\(PageText.pathComponent(station.id))?range=\(name)"
            if let step { href += "&step=" + PageText.queryValue(step) }
            return ["href": href, "label": page.t("station_range_\(name)"), "active": range.name == name]
        }
        return [
            "id": station.id, "name": station.name, "kind": page.t("station_kind_" + station.kind.rawValue.replacingOccurrences(of: "-", with: "_")),
            "zone": station.timeZone.identifier, "presets": presets, "from": from ?? "", "to": to ?? "", "step": step ?? "",
            "custom": range.name == "custom", "retired": station.retired,
        ]
    }

    /// Adds the charts and their texts.
    func fill(_ model: inout [String: Any]) {
        let calendar = ZoneCalendar(trend.station.timeZone)
        model["rangeText"] = "\(PageText.time(trend.range.lowerBound, calendar)) – \(PageText.time(trend.range.upperBound, calendar))"
        model["series"] = trend.series.map(series)
        if !trend.hourlyAQI.isEmpty { model["hourlyAQI"] = hourlyAQIChart() }
        if !trend.dailyAQI.isEmpty {
            model["dailyAQI"] = dailyAQIChart()
            model["aqiLegend"] = AQICategory.allCases.map { ["class": "aqi\($0.level)", "label": categoryName($0)] }
        }
        if trend.station.kind == .surfaceWater { model["dailyClass"] = dailyClassChart() }
    }

    private func chart() -> TimeChart {
        var chart = TimeChart(from: trend.range.lowerBound, to: trend.range.upperBound, timeZone: trend.station.timeZone, width: StationPage.chartWidth)
        chart.noDataLabel = page.t("station_no_data")
        return chart
    }

    private func series(_ s: TrendSeries) -> [String: Any] {
        let calendar = ZoneCalendar(trend.station.timeZone)
        let unit = s.parameter.unit.symbol
        var chart = chart()
        chart.unit = unit
        chart.title = unit.isEmpty ? s.parameter.parameter.id : "\(s.parameter.parameter.id) (\(unit))"
        chart.testID = "trend-chart"
        var lines: [LimitLine] = []
        var texts: [String] = []
        for limit in s.limits {
            let text = limitText(limit, s.parameter.parameter.id, unit)
            texts.append(text)
            for value in [limit.max, limit.min].compactMap({ $0 }) { lines.append(LimitLine(value: value, label: text)) }
        }
        chart.limits = lines
        chart.periods = s.periods.map { p in ShadedPeriod(from: p.from, to: p.to, kind: p.reason == .invalid ? .invalid : .flagged, title: reason(p, s)) }
        var out: [String: Any] = [
            "parameter": s.parameter.parameter.id, "unit": unit, "hasUnit": !unit.isEmpty, "svg": chart.render(s.columns),
            "source": page.t("station_source_\(s.source.rawValue)"), "readings": s.readings, "valid": s.validReadings,
            "limits": texts, "hasData": s.key != nil,
        ]
        if let latest = s.latest {
            out["latest"] = ["value": LocalDates.display(latest.value), "time": PageText.time(latest.time, calendar), "class": valueClass(latest.value, s.limits)]
        }
        let periods = s.periods.suffix(12).reversed().map { p -> [String: Any] in
            ["from": PageText.time(p.from, calendar), "to": PageText.time(p.to, calendar), "reason": reason(p, s), "kind": p.reason == .invalid ? "invalid" : "flagged"]
        }
        out["periods"] = Array(periods)
        out["hasPeriods"] = !periods.isEmpty
        out["morePeriods"] = s.periods.count > 12 ? "\(page.t("station_periods_more")) \(s.periods.count - 12)" : ""
        return out
    }

    /// `limit COD ≤ 50 mg/L (daily mean) · GB 18918-2002 …`.
    private func limitText(_ limit: Limit, _ parameter: String, _ unit: String) -> String {
        let v = { (x: Double) in SVGText.value(x) }
        let bound: String
        switch (limit.min, limit.max) {
        case (let lo?, let hi?): bound = "\(v(lo))–\(v(hi))"
        case (let lo?, nil): bound = "≥ \(v(lo))"
        case (nil, let hi?): bound = "≤ \(v(hi))"
        case (nil, nil): bound = ""
        }
        let basis = limit.basis == .reading ? "" : " (\(page.t("station_basis_\(limit.basis.rawValue)")))"
        let source = limit.source.map { " · " + $0 } ?? ""
        return "\(page.t("station_limit")) \(parameter) \(bound)\(unit.isEmpty ? "" : " " + unit)\(basis)\(source)"
    }

    /// "maintenance (M)", "invalid: < 75 % valid readings in the hour".
    private func reason(_ p: TrendPeriod, _ s: TrendSeries) -> String {
        switch p.reason {
        case .flagged(let flags):
            return flags.flags.filter { $0 != .normal }.map { "\(page.t("station_flag_\($0.rawValue)")) (\($0.rawValue))" }.joined(separator: ", ")
        case .invalid:
            return page.t(s.source == .day ? "station_invalid_day" : s.source == .step ? "station_invalid_bucket" : "station_invalid_hour")
        }
    }

    /// `ok`, `warn` (≥ 80 % of a maximum), `over`.
    private func valueClass(_ v: Double, _ limits: [Limit]) -> String {
        var cls = "ok"
        for l in limits {
            if let max = l.max {
                if v > max { return "over" }
                if v >= 0.8 * max { cls = "warn" }
            }
            if let min = l.min, v < min { return "over" }
        }
        return cls
    }

    private func categoryName(_ c: AQICategory) -> String {
        page.language == .zhCN ? "\(c.chineseLevel) \(c.name(in: .hj633_2026))" : c.englishName(in: .hj633_2026)
    }

    private func hourlyAQIChart() -> String {
        var chart = chart()
        let top = max(200, Double(trend.hourlyAQI.compactMap(\.aqi).max() ?? 0) * 1.1)
        chart.yRange = 0...min(500, top)
        chart.bands = AQIPalette.bands(name: categoryName)
        chart.title = page.t("station_hourly_aqi")
        chart.testID = "hourly-aqi-chart"
        let samples = trend.hourlyAQI.compactMap { h in h.aqi.map { ChartSample(start: h.from, end: h.to, min: Double($0), max: Double($0), mean: Double($0)) } }
        return chart.render(samples: samples)
    }

    private func dailyAQIChart() -> String {
        let calendar = ZoneCalendar(trend.station.timeZone)
        var chart = BarChart(width: StationPage.chartWidth, height: 200)
        chart.title = page.t("station_daily_aqi")
        chart.testID = "daily-aqi-chart"
        chart.noDataLabel = page.t("station_no_data")
        chart.limits = [LimitLine(value: 100, label: "AQI 100")]
        let every = max(1, trend.dailyAQI.count / 12)
        chart.bars = trend.dailyAQI.enumerated().map { i, d in
            let date = PageText.date(d.from, calendar)
            let text = d.aqi.map { "\(date) AQI \($0) \(categoryName(AQICategory(aqi: $0)))" + (d.primary.isEmpty ? "" : " · \(d.primary.map(\.rawValue).joined(separator: ", "))") }
                ?? "\(date) \(page.t("station_invalid_day"))"
            return BarChart.Bar(
                value: d.aqi.map(Double.init), colour: d.category.map { AQIPalette.css($0) } ?? "#ccc", title: text,
                label: i % every == 0 ? String(date.dropFirst(5)) : nil)
        }
        return chart.render()
    }

    private func dailyClassChart() -> String {
        let calendar = ZoneCalendar(trend.station.timeZone)
        var chart = BarChart(width: StationPage.chartWidth, height: 200)
        chart.title = page.t("station_daily_class")
        chart.testID = "daily-class-chart"
        chart.noDataLabel = page.t("station_no_data")
        chart.yRange = 0...6
        chart.yLabels = Dictionary(uniqueKeysWithValues: WaterQualityClass.allCases.map { (Double($0.rawValue), $0.name) })
        if let target = trend.targetClass {
            chart.limits = [LimitLine(value: Double(target.rawValue), label: "\(page.t("station_target_class")) \(target.name)")]
        }
        let every = max(1, trend.dailyClass.count / 12)
        chart.bars = trend.dailyClass.enumerated().map { i, d in
            let date = PageText.date(d.from, calendar)
            let colour = d.meetsTarget.map { $0 ? "#1f8a4c" : "#c62828" } ?? "#5f6b7a"
            let text = d.sectionClass.map { "\(date) \($0.name)" + (d.determining.isEmpty ? "" : " · \(d.determining.joined(separator: ", "))") }
                ?? "\(date) \(page.t("station_no_data"))"
            return BarChart.Bar(value: d.sectionClass.map { Double($0.rawValue) }, colour: colour, title: text, label: i % every == 0 ? String(date.dropFirst(5)) : nil)
        }
        return chart.render()
    }
}
