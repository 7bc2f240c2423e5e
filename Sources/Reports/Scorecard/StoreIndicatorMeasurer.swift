public import Foundation
public import Monitoring
import Rules
public import Store

/// Measures the scorecard's indicators from the store, with the same code as the reports.
public struct StoreIndicatorMeasurer: IndicatorMeasurer {
    public let store: SQLiteStore
    public let stations: StationRegistry
    /// The zone of the scorecard's year (the bureau's).
    public let zone: TimeZone

    /// The yearly allowances loads are held against (targets/allowances.yaml).
    public var allowances = AllowanceBook()
    /// The present instant, so a scorecard as of today counts today up to now; nil: the end of
    /// the as-of date.
    public var now: Int64?

    public init(store: SQLiteStore, stations: StationRegistry, zone: TimeZone) {
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
            let rate = try await ValidDataRate.measure(list, range: range(year: year, through: through), store: store)
            return IndicatorMeasurement(
                value: rate.percent,
                methodZH: "在线监测：\(rate.stations)个自动站\(rate.series)项参数，有效数据\(rate.validReadings)个/应获\(rate.expectedReadings)个",
                methodEN: "measured: \(rate.stations) automatic stations, \(rate.series) parameters, \(rate.validReadings) valid of \(rate.expectedReadings) expected readings")
        case .loadAgainstAllowance:
            return try await loadAgainstAllowance(indicator, year: year, through: through)
        case .airGoodDayShare, .airAnnualMean, .waterComplianceRate, nil:
            return IndicatorMeasurement(value: nil, methodZH: "尚未计算", methodEN: "not computed yet")
        }
    }

    /// The share of the allowance pro-rated to date that the load to date has used, in percent:
    /// `envmon report load`'s figure for the allowance.
    func loadAgainstAllowance(_ indicator: IndicatorDefinition, year: Int, through: CivilTime) async throws -> IndicatorMeasurement {
        let name = indicator.allowance ?? ""
        guard let allowance = allowances[name] else {
            return IndicatorMeasurement(value: nil, methodZH: "targets/ 中无总量指标 \(name)", methodEN: "no allowance '\(name)' in targets/")
        }
        let calendar = ZoneCalendar(zone)
        let endOfDay = calendar.firstInstant(ofLocal: CivilTime(year: through.year, month: through.month, day: through.day).secondsIfUTC + 86_400)
        let request = LoadRequest(from: CivilTime(year: year, month: 1, day: 1), to: through, pollutants: [allowance.pollutant])
        let report = try await LoadReport.make(
            request, stations: stations, allowances: AllowanceBook([allowance]), now: min(now ?? endOfDay, endOfDay), store: store)
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
