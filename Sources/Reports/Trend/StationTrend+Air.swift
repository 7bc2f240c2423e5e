import Foundation
import Monitoring
import Store

extension StationTrend {
    /// Each local day's AQI over the range, from the daily values the air report makes (GB 3095
    /// Table 4 validity, the HJ 633 edition in force that day), its pollutants read side by side;
    /// without the report's yearly statistics, which a chart does not show.
    ///
    /// The hourly means come from `shared` when it is given (the rollups the chart reads too), else
    /// from the store's aggregates; `described` (the station's stored series) says how the store
    /// buckets each.
    static func dailyAQI(
        _ station: Station, _ stored: Set<SeriesKey>, _ store: any MonitoringStore, _ days: [Range<Int64>], _ shared: SharedHourRollups?,
        _ described: [SeriesKey: StoredSeries]
    ) async throws -> [TrendAQI] {
        let calendar = ZoneCalendar(station.timeZone)
        guard let lower = days.first?.lowerBound, let upper = days.last?.upperBound else { return [] }
        let dates = days.map { calendar.civil(at: $0.lowerBound) }
        let rows = try await withThrowingTaskGroup(of: (AQIPollutant, [AggregateRow]).self) { group in
            for pollutant in AQIPollutant.allCases {
                guard let sp = station.parameter(pollutant.rawValue),
                    let kind = SeriesKind.hourlySource(where: { stored.contains(SeriesKey(station: station.id, parameter: pollutant.rawValue, kind: $0)) }),
                    let unit = MeasurementUnit(parsing: pollutant == .co ? "mg/m³" : "µg/m³"), let factor = sp.unit.factor(to: unit)
                else { continue }
                let key = SeriesKey(station: station.id, parameter: pollutant.rawValue, kind: kind)
                let series = described[key]
                group.addTask {
                    let query = AggregateQuery(series: key, range: lower..<upper, step: 3_600, function: .avg)
                    var rows: [AggregateRow]
                    if let shared, let series, let averages = try await shared.hourlyAverages(query, of: series) {
                        rows = averages
                    } else {
                        rows = try await store.aggregate(query)
                    }
                    if factor != 1 { for i in rows.indices { rows[i].value = rows[i].value.map { $0 * factor } } }
                    return (pollutant, rows)
                }
            }
            var out: [(AQIPollutant, [AggregateRow])] = []
            for try await r in group { out.append(r) }
            return out
        }
        var daily = AirDailyValues(dates: dates)
        for (pollutant, r) in rows { daily.add(pollutant, rows: r, dayRanges: days, grade: .two) }
        return daily.dayIndices.enumerated().map { d, index in
            TrendAQI(from: days[d].lowerBound, to: days[d].upperBound, aqi: index?.aqi, primary: index?.primary ?? [], standard: AQIStandard.china(on: dates[d]))
        }
    }

    /// The local days of `station` that `range` touches, as UTC ranges, oldest first.
    static func localDays(_ station: Station, _ range: Range<Int64>) -> [Range<Int64>] {
        let calendar = ZoneCalendar(station.timeZone)
        let first = calendar.civil(at: range.lowerBound)
        let last = calendar.civil(at: range.upperBound - 1)
        return LocalDates.days(
            from: CivilTime(year: first.year, month: first.month, day: first.day), through: CivilTime(year: last.year, month: last.month, day: last.day),
            calendar)
    }

    /// Each hour's AQI from the 1-h means of the pollutants the site reports: an hour counts when
    /// its readings cover 45 of its minutes (GB 3095 Table 4); pollutants the edition does not
    /// index by the hour (PM under HJ 633-2012) are left out of that hour.
    static func hourlyAQI(_ station: Station, _ stored: Set<SeriesKey>, _ store: any MonitoringStore, _ range: Range<Int64>) async throws -> [TrendAQI] {
        var byHour: [Int64: [AQIConcentration]] = [:]
        for pollutant in AQIPollutant.allCases {
            guard let sp = station.parameter(pollutant.rawValue),
                let kind = SeriesKind.hourlySource(where: { stored.contains(SeriesKey(station: station.id, parameter: pollutant.rawValue, kind: $0)) }),
                let unit = MeasurementUnit(parsing: pollutant == .co ? "mg/m³" : "µg/m³"), let factor = sp.unit.factor(to: unit)
            else { continue }
            let key = SeriesKey(station: station.id, parameter: pollutant.rawValue, kind: kind)
            let rows = try await store.aggregate(AggregateQuery(series: key, range: range, step: 3_600, function: .avg))
            for row in rows where !row.partial {
                guard let v = row.value, v >= 0, AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount)
                else { continue }
                let standard = AQIStandard.china(at: row.start)
                guard AirQualityIndex.table(pollutant, .hour, in: standard) != nil else { continue }
                byHour[row.start, default: []].append(AQIConcentration(pollutant, .hour, reading: v * factor))
            }
        }
        return byHour.keys.sorted().map { start in
            let standard = AQIStandard.china(at: start)
            let result = try? AirQualityIndex.evaluate(byHour[start] ?? [], standard: standard)
            return TrendAQI(from: start, to: start + 3_600, aqi: result?.aqi, primary: result?.primaryPollutants ?? [], standard: standard)
        }
    }
}
