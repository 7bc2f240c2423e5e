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
        case .airGoodDayShare, .airAnnualMean, .waterComplianceRate, .loadAgainstAllowance, nil:
            return IndicatorMeasurement(value: nil, methodZH: "尚未计算", methodEN: "not computed yet")
        }
    }
}
