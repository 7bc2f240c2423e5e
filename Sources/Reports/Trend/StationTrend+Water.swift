import Foundation
import Monitoring
import Store

extension StationTrend {
    /// Each local day's class of a section: the day's mean of each GB 3838 parameter (from the day
    /// rollups), assessed as the section month report assesses a month.
    static func dailyClasses(
        _ station: Station, _ stored: Set<SeriesKey>, _ store: any MonitoringStore, _ range: Range<Int64>, _ target: WaterQualityClass?
    ) async throws -> [TrendClass] {
        let calendar = ZoneCalendar(station.timeZone)
        let firstCivil = calendar.civil(at: range.lowerBound)
        let lastCivil = calendar.civil(at: range.upperBound - 1)
        let first = CivilTime(year: firstCivil.year, month: firstCivil.month, day: firstCivil.day)
        let last = CivilTime(year: lastCivil.year, month: lastCivil.month, day: lastCivil.day)
        let days = LocalDates.days(from: first, through: last, calendar)
        guard let lower = days.first?.lowerBound, let upper = days.last?.upperBound else { return [] }
        let body: WaterBodyType = ["lake", "reservoir"].contains(station.labels["water_body"]?.lowercased() ?? "") ? .lake : .river
        let gb3838 = SurfaceWaterStandard.gb3838_2002
        var items = [[SectionMonth.Item]](repeating: [], count: days.count)
        let dayIndex = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($1.lowerBound, $0) })
        for sp in station.parameters {
            guard let id = gb3838.parameterID(sp.parameter.id),
                let limit = gb3838.limit(id, waterBody: body) ?? gb3838.limits.first(where: { $0.parameter == id }),
                let kind = [SeriesKind.hour, .minute, .realtime, .day].first(where: {
                    stored.contains(SeriesKey(station: station.id, parameter: sp.parameter.id, kind: $0))
                })
            else { continue }
            var factor = 1.0
            if !limit.unit.isEmpty, limit.unit != "个/L" {
                guard let unit = MeasurementUnit(parsing: limit.unit), let f = sp.unit.factor(to: unit) else { continue }
                factor = f
            }
            let key = SeriesKey(station: station.id, parameter: sp.parameter.id, kind: kind)
            let rows = try await store.aggregate(AggregateQuery(series: key, range: lower..<upper, step: 86_400, function: .avg))
            for row in rows {
                guard let d = dayIndex[row.start], let v = row.value, row.validCount > 0 else { continue }
                items[d].append(SectionMonth.Item(parameter: id, mean: AirDailyValues.kept(v * factor), readings: row.validCount))
            }
        }
        return try days.enumerated().map { d, day in
            let date = calendar.civil(at: day.lowerBound)
            let civil = CivilTime(year: date.year, month: date.month, day: date.day)
            let month = try SectionMonth(month: "", first: civil, last: civil, items: items[d], waterBody: body, target: target)
            let cls = month.sectionClass
            return TrendClass(
                from: day.lowerBound, to: day.upperBound, date: civil, sectionClass: cls,
                meetsTarget: month.assessment?.meetsTarget,
                determining: (month.assessment?.parameters ?? []).filter { $0.countsForSectionClass && $0.waterClass == cls }.map(\.parameter))
        }
    }
}
