public import Foundation
public import Monitoring
import Rules
public import Store

/// Measures the scorecard's indicators from the store, with the same code as the reports.
public struct StoreIndicatorMeasurer: IndicatorMeasurer {
    public let store: any MonitoringStore
    public let stations: StationRegistry
    /// The zone of the scorecard's year (the bureau's).
    public let zone: TimeZone

    /// The yearly allowances loads are held against (targets/allowances.yaml).
    public var allowances = AllowanceBook()
    /// The present instant, so a scorecard as of today counts today up to now; nil: the end of
    /// the as-of date.
    public var now: Int64?

    public init(store: any MonitoringStore, stations: StationRegistry, zone: TimeZone) {
        self.store = store
        self.stations = stations
        self.zone = zone
    }

    /// The UTC instants of the local days from January 1st of `year` through `through`.
    func range(year: Int, through: CivilTime) -> Range<Int64> {
        let days = LocalDates.days(from: CivilTime(year: year, month: 1, day: 1), through: through, ZoneCalendar(zone))
        return (days.first?.lowerBound ?? 0)..<(days.last?.upperBound ?? 0)
    }

    func matched(_ indicator: IndicatorDefinition, kinds: Set<StationKind>) -> [Station] {
        stations.stations.filter { indicator.match.matches($0) && (kinds.isEmpty || kinds.contains($0.kind)) }
    }

    public func measure(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement {
        switch indicator.measure {
        case .validDataRate:
            let list = matched(indicator, kinds: [])
            // As of today, the hours still to come are not missing yet: counted up to now, the
            // rate of a complete station is 100 % on any day, not 10 of 24 at ten in the morning.
            var span = range(year: year, through: through)
            if let now { span = span.lowerBound..<min(span.upperBound, max(span.lowerBound, now)) }
            let rate = try await ValidDataRate.measure(list, range: span, store: store)
            return IndicatorMeasurement(
                value: rate.percent,
                methodZH: "在线监测：\(rate.stations)个自动站\(rate.series)项参数，自各站首条数据起，有效数据\(rate.validReadings)个/应获\(rate.expectedReadings)个",
                methodEN: "measured: \(rate.stations) automatic stations, \(rate.series) parameters, each from its first reading: \(rate.validReadings) valid of \(rate.expectedReadings) expected readings")
        case .loadAgainstAllowance:
            return try await loadAgainstAllowance(indicator, year: year, through: through)
        case .airGoodDayShare, .airAnnualMean:
            return try await air(indicator, year: year, through: through)
        case .waterComplianceRate:
            return try await water(indicator, year: year, through: through)
        case nil:
            return IndicatorMeasurement(value: nil, methodZH: "未指定计算方法", methodEN: "no measure given")
        }
    }

    /// The good-air-day share or an annual mean of the matched sites as a city: `envmon report air`'s figures.
    func air(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement {
        let sites = matched(indicator, kinds: [.ambientAir]).map(\.id)
        guard !sites.isEmpty else {
            return IndicatorMeasurement(value: nil, methodZH: "无匹配的环境空气站点", methodEN: "no ambient-air site matches")
        }
        let request = AirReportRequest(period: .range(CivilTime(year: year, month: 1, day: 1), through: through), sites: sites)
        let city = try await AirReport.make(request, stations: stations, store: store).city.evaluation
        let period = "\(year)-01-01…\(through.isoDate)"
        if indicator.measure == .airGoodDayShare {
            return IndicatorMeasurement(
                value: city.goodDayShare.map { $0 * 100 },
                methodZH: "在线监测：\(sites.count)个站点（城市日均值），\(period) 有效\(city.validDays)天，优良\(city.goodDays)天（日AQI≤100，HJ 633）",
                methodEN: "measured: \(sites.count) site\(sites.count == 1 ? "" : "s") as a city, \(period): \(city.goodDays) good of \(city.validDays) valid days (daily AQI ≤ 100, HJ 633)")
        }
        let parameter = indicator.parameter ?? ""
        guard let mean = city.means.first(where: { $0.key == parameter || $0.indicator.pollutant.rawValue == parameter }) else {
            return IndicatorMeasurement(value: nil, methodZH: "\(parameter) 无年均值（SO2、NO2、PM10、PM2.5）", methodEN: "no annual mean of \(parameter) (SO2, NO2, PM10, PM2.5)")
        }
        return IndicatorMeasurement(
            value: mean.value,
            methodZH: "在线监测：\(sites.count)个站点（城市日均值）\(period) \(mean.days)个有效日的平均",
            methodEN: "measured: \(sites.count) site\(sites.count == 1 ? "" : "s") as a city, mean of \(mean.days) valid days \(period)")
    }

    /// The share of section-months meeting their target class: `envmon report water`'s compliance rate.
    func water(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement {
        let sections = matched(indicator, kinds: [.surfaceWater]).map(\.id)
        guard !sections.isEmpty else {
            return IndicatorMeasurement(value: nil, methodZH: "无匹配的地表水断面", methodEN: "no surface-water section matches")
        }
        let request = WaterReportRequest(period: .range(CivilTime(year: year, month: 1, day: 1), through: through), sections: sections)
        let report = try await WaterReport.make(request, stations: stations, store: store)
        return IndicatorMeasurement(
            value: report.complianceRate.map { $0 * 100 },
            methodZH: "在线监测：\(sections.count)个断面逐月评价（GB 3838，单因子），达标\(report.monthsMeetingTarget)/\(report.assessedMonths)个断面·月",
            methodEN: "measured: \(sections.count) section\(sections.count == 1 ? "" : "s") by month (GB 3838, single factor), \(report.monthsMeetingTarget) of \(report.assessedMonths) section-months met their class")
    }

    /// The share of the allowance pro-rated to date that the load to date has used, in percent:
    /// `envmon report load`'s figure for the allowance.
    func loadAgainstAllowance(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement {
        let name = indicator.allowance ?? ""
        guard let allowance = allowances[name] else {
            return IndicatorMeasurement(value: nil, methodZH: "targets/ 中无总量指标 \(name)", methodEN: "no allowance '\(name)' in targets/")
        }
        var request = LoadRequest(from: CivilTime(year: year, month: 1, day: 1), to: through, pollutants: [allowance.pollutant])
        // The load report counts the sources' days, which need not be the bureau's (outlets on
        // Asia/Urumqi beside a bureau on Beijing time): "to date" is `through`'s end, or now,
        // as a date where the sources are. Taken as the bureau's date, it was after the sources'
        // today for two hours every night (the report refused it) and a past year lost the
        // last two hours of 31 December.
        let day = CivilTime(year: through.year, month: through.month, day: through.day).secondsIfUTC + 86_400
        let sources = ZoneCalendar(try LoadReport.Plan.zone(of: request, stations: stations))
        let endHere = ZoneCalendar(zone).firstInstant(ofLocal: day)
        let endThere = sources.firstInstant(ofLocal: day)
        let at = now.map { min($0, max(endHere, endThere)) } ?? endThere
        request.to = min(through, sources.civil(at: at - 1).date)
        let report = try await LoadReport.make(request, stations: stations, allowances: AllowanceBook([allowance]), now: at, store: store)
        guard let p = report.progress.first, let share = p.share, let proRated = p.proRated, let annual = p.annual else {
            return IndicatorMeasurement(value: nil, methodZH: "\(name) 无 \(year) 年指标", methodEN: "'\(name)' gives no amount for \(year)")
        }
        let t = { (kg: Double) in FixedPoint.format(kg / 1_000, digits: 3) }
        let percent = FixedPoint.format((p.elapsedFraction * 1_000).rounded() / 10, digits: 1)
        return IndicatorMeasurement(
            value: share * 100,
            methodZH: "在线监测：\(p.stations.count)个排口小时浓度×流量，累计 \(t(p.tally.load.total)) t（其中替代 \(t(p.tally.load.substituted)) t）/ 序时指标 \(t(proRated)) t（年度 \(t(annual)) t × \(percent) %）",
            methodEN: "measured: \(p.stations.count) sources, hourly concentration × flow, \(t(p.tally.load.total)) t (\(t(p.tally.load.substituted)) t substituted) of \(t(proRated)) t pro-rated (\(t(annual)) t × \(percent) %)")
    }
}
