import Foundation
import Monitoring
import Store

extension StationTrend {
    /// Each local day's AQI over the range, from the air report's daily values (GB 3095 Table 4
    /// validity, the HJ 633 edition in force that day).
    static func dailyAQI(_ station: Station, _ stations: StationRegistry, _ store: SQLiteStore, _ range: Range<Int64>) async throws -> [TrendAQI] {
        let calendar = ZoneCalendar(station.timeZone)
        let first = calendar.civil(at: range.lowerBound)
        let last = calendar.civil(at: range.upperBound - 1)
        let period = ReportPeriod.range(
            CivilTime(year: first.year, month: first.month, day: first.day), through: CivilTime(year: last.year, month: last.month, day: last.day))
        let report = try await AirReport.make(AirReportRequest(period: period, sites: [station.id]), stations: stations, store: store)
        guard let daily = report.sites.first?.daily else { return [] }
        let days = LocalDates.days(from: period.first, through: period.last, calendar)
        return daily.dates.indices.map { d in
            let index = AirEvaluation.dayIndex(daily, d)
            return TrendAQI(
                from: days[d].lowerBound, to: days[d].upperBound, aqi: index?.aqi, primary: index?.primary ?? [],
                standard: AQIStandard.china(on: daily.dates[d]))
        }
    }

    /// Each hour's AQI from the 1-h means of the pollutants the site reports: an hour counts when
    /// its readings cover 45 of its minutes (GB 3095 Table 4); pollutants the edition does not
    /// index by the hour (PM under HJ 633-2012) are left out of that hour.
    static func hourlyAQI(_ station: Station, _ stored: Set<SeriesKey>, _ store: SQLiteStore, _ range: Range<Int64>) async throws -> [TrendAQI] {
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
