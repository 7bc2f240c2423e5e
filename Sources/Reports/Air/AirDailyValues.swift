public import Monitoring
import Store

/// The daily indicator values of one site, or of a city, over the days of a period.
///
/// A site's values come from its hourly aggregates by GB 3095 Table 4 (``AmbientValidity``): an hour is
/// valid when its valid readings cover 45 of its 60 minutes; a 24-h mean needs 20 valid hours; the MDA8
/// takes the 17 8-h windows inside the day (each needs 6 valid hours) and needs 14 valid windows unless
/// its maximum already exceeds the 8-h limit; the daily maximum 1-h O3 (HJ 633-2012 days only) needs 20
/// valid hours, as a daily mean does (our choice: reference/standards.md gives it no minimum).
///
/// A city's values are, for each day and indicator, the mean of its sites' valid values that day.
public struct AirDailyValues: Sendable {
    /// The local dates, oldest first.
    public let dates: [CivilTime]
    /// `values[indicator.rawValue][day]`: the value in the indicator's unit, or `nil` when not valid.
    public internal(set) var values: [[Double?]]

    /// The values of one indicator, day by day.
    public subscript(_ indicator: AirIndicator) -> [Double?] { values[indicator.rawValue] }

    init(dates: [CivilTime], values: [[Double?]]) {
        self.dates = dates
        self.values = values
    }

    /// No values yet, for the local dates `dates`.
    init(dates: [CivilTime]) {
        self.init(dates: dates, values: Array(repeating: [Double?](repeating: nil, count: dates.count), count: AirIndicator.allCases.count))
    }

    /// Adds a pollutant's daily values from its hourly aggregates (each pollutant as soon as it is read,
    /// so that a site's year of hour rows is not held for all six at once).
    ///
    /// - Parameters:
    ///   - pollutant: The pollutant; O3 gives the MDA8 and, on HJ 633-2012 days, the daily maximum 1-h value.
    ///   - rows: Hour buckets (step 3600, avg) sorted by start, already in the indicator's unit (µg/m³, CO mg/m³).
    ///   - dayRanges: The site's local days as UTC ranges, oldest first, one per date.
    ///   - grade: The grade whose 8-h O3 limit lets a day of fewer than 14 windows count (it exceeds anyway).
    mutating func add(_ pollutant: AQIPollutant, rows: [AggregateRow], dayRanges: [Range<Int64>], grade: AmbientGrade) {
        let hourly = Self.hourly(rows, dayRanges)
        let dayIndicator = AirIndicator.allCases.first { $0.pollutant == pollutant && $0.period == .day }
        for d in dayRanges.indices {
            let date = dates[d]
            let day = hourly[d]
            let valid = day.compactMap { $0 }
            if pollutant == .o3 {
                let limit = AmbientAirLimits.applicable(on: date).limit("O3", .eightHours, grade: grade).map { $0.limit.doubleValue }
                values[AirIndicator.o3MDA8.rawValue][d] = AmbientValidity.dailyMaximumEightHour(day, limit: limit).map(Self.kept)
                if AQIStandard.china(on: date) == .hj633_2012, AmbientValidity.isValidDay(validHours: valid.count, pollutant: "O3") {
                    values[AirIndicator.o3Max1h.rawValue][d] = valid.max().map(Self.kept)
                }
            } else if let indicator = dayIndicator, AmbientValidity.isValidDay(validHours: valid.count, pollutant: pollutant.rawValue) {
                values[indicator.rawValue][d] = Self.kept(valid.reduce(0, +) / Double(valid.count))
            }
        }
    }

    /// A city's daily values: each day and indicator, the mean of the sites' valid values that day.
    init(city sites: [AirDailyValues]) {
        let dates = sites.first?.dates ?? []
        var values = Array(repeating: [Double?](repeating: nil, count: dates.count), count: AirIndicator.allCases.count)
        for i in AirIndicator.allCases.map(\.rawValue) {
            for d in dates.indices {
                var sum = 0.0
                var n = 0
                for site in sites {
                    if let v = site.values[i][d] {
                        sum += v
                        n += 1
                    }
                }
                if n > 0 { values[i][d] = Self.kept(sum / Double(n)) }
            }
        }
        self.init(dates: dates, values: values)
    }

    /// Each day's hours, by offset from its local midnight; `nil` for a missing or invalid hour.
    private static func hourly(_ rows: [AggregateRow], _ dayRanges: [Range<Int64>]) -> [[Double?]] {
        var out = dayRanges.map { [Double?](repeating: nil, count: Int(($0.upperBound - $0.lowerBound) / 3_600)) }
        var d = 0
        for row in rows {
            while d < dayRanges.count && row.start >= dayRanges[d].upperBound { d += 1 }
            guard d < dayRanges.count else { break }
            guard row.start >= dayRanges[d].lowerBound, !row.partial,
                AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount), let value = row.value
            else { continue }
            let h = Int((row.start - dayRanges[d].lowerBound) / 3_600)
            if h < out[d].count { out[d][h] = value }
        }
        return out
    }

    /// A mean kept to 10 decimals: the binary noise of a sum (0.1 + 0.2) must not push a value that sits
    /// on an AQI breakpoint, whose IAQI HJ 633 rounds up, to the next integer.
    static func kept(_ value: Double) -> Double { (value * 1e10).rounded() / 1e10 }
}
