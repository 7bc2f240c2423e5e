/// The data-validity rules of ambient air statistics, and the means they allow.
///
/// GB 3095-2026 Table 4 ([V]; GB 3095-2012 Table 4 has the same values [M]):
/// - a 1-h mean of SO2, NO2, CO, O3 or NOx needs ≥ 45 minutes of sampling in the hour;
/// - a daily mean of SO2, NO2, CO, PM10, PM2.5 or NOx needs ≥ 20 hourly means (TSP, BaP and Pb: 24 h of
///   sampling);
/// - an 8-h O3 mean needs ≥ 6 hourly means in its 8 hours;
/// - an annual mean of SO2, NO2, PM10, PM2.5 or NOx needs ≥ 324 daily means, ≥ 27 in each month (February
///   ≥ 25); of TSP, BaP or Pb ≥ 60 daily means, ≥ 5 in each month; a quarterly Pb mean ≥ 15 daily means,
///   ≥ 5 in each month.
///
/// The daily maximum 8-h O3 (MDA8) takes the 17 windows that lie inside the natural day (ending 08:00 …
/// 24:00) and needs ≥ 14 valid windows unless the largest valid one already exceeds the limit (HJ 663-2013
/// [M]; HJ 663-2026 not yet read).
///
/// Hourly values are passed as arrays of optionals: `nil` is a missing or invalid hour (flags other than
/// normal never enter statistics).
public enum AmbientValidity {
    /// Minutes of sampling a 1-h mean needs.
    public static let minimumMinutesPerHour = 45
    /// Hourly means a daily mean needs (SO2, NO2, CO, PM10, PM2.5, NOx).
    public static let minimumHoursPerDay = 20
    /// Hourly means an 8-h O3 mean needs.
    public static let minimumHoursPerEightHours = 6
    /// Valid 8-h windows the daily maximum 8-h O3 needs (HJ 663-2013 [M]).
    public static let minimumWindowsPerDay = 14

    /// The pollutants whose daily and annual means follow the particle-sampler rules (24 h of sampling,
    /// ≥ 60 days a year).
    public static let filterSampledPollutants: Set<String> = ["TSP", "BaP", "Pb"]

    /// Whether an hour with `minutes` of valid sampling gives a valid 1-h mean.
    public static func isValidHour(sampledMinutes minutes: Int) -> Bool { minutes >= minimumMinutesPerHour }

    /// Whether an hour bucket of stored readings gives a valid 1-h mean: at least one valid reading, and
    /// valid readings for ≥ 45 of the hour's 60 minutes, i.e. ≥ 75 % of the readings the station's reporting
    /// interval expects in it.
    ///
    /// Hour data (one reading expected) needs its one reading; minute data needs 45 of 60; real-time data
    /// every 30 s needs 90 of 120. A stored reading's sampling time is not known, so the count of readings
    /// stands in for the minutes of sampling that Table 4 asks for. Flagged readings are not valid readings.
    ///
    /// - Parameters:
    ///   - validReadings: The hour's readings with a normal flag.
    ///   - expectedReadings: The readings the station should have sent in the hour (0 when it reports less
    ///     often than hourly: then any valid reading counts).
    public static func isValidHour(validReadings: Int, expectedReadings: Int) -> Bool {
        validReadings >= 1 && validReadings * 60 >= expectedReadings * minimumMinutesPerHour
    }

    /// Whether a day with `hours` valid hourly means (or hours of sampling) gives a valid daily mean.
    public static func isValidDay(validHours hours: Int, pollutant: String) -> Bool {
        hours >= (filterSampledPollutants.contains(pollutant) ? 24 : minimumHoursPerDay)
    }

    /// The daily mean of a day's hourly values, or `nil` when fewer than 20 are valid.
    public static func dailyMean(_ hourly: [Double?]) -> Double? {
        mean(hourly, minimum: minimumHoursPerDay)
    }

    /// The mean of 8 consecutive hourly values, or `nil` when fewer than 6 are valid or there are not 8.
    public static func eightHourMean(_ hours: some Collection<Double?>) -> Double? {
        guard hours.count == 8 else { return nil }
        return mean(Array(hours), minimum: minimumHoursPerEightHours)
    }

    /// The 8-h moving averages of a run of hourly values: element `i` averages hours `i − 7 … i`; the first
    /// seven are `nil` (their windows are incomplete), as is every window with fewer than 6 valid hours.
    ///
    /// Label convention of the national release: the value at hour h averages hours h−7 … h.
    public static func eightHourMovingAverages(_ hourly: [Double?]) -> [Double?] {
        hourly.indices.map { i in i < 7 ? nil : eightHourMean(hourly[(i - 7)...i]) }
    }

    /// The daily maximum 8-h O3 average of one natural day.
    ///
    /// - Parameters:
    ///   - hourly: The day's 24 hourly values, 00–01 first (`nil` for invalid hours).
    ///   - limit: The 8-h limit, if any: with fewer than 14 valid windows the maximum still counts when it
    ///     exceeds this limit.
    /// - Returns: The largest of the valid windows inside the day, or `nil` when the day is not valid.
    public static func dailyMaximumEightHour(_ hourly: [Double?], limit: Double? = nil) -> Double? {
        guard hourly.count == 24 else { return nil }
        let windows = (0...16).compactMap { start in eightHourMean(hourly[start..<(start + 8)]) }
        guard let maximum = windows.max() else { return nil }
        if windows.count >= minimumWindowsPerDay { return maximum }
        if let limit, maximum > limit { return maximum }
        return nil
    }

    /// Whether a year of daily means gives a valid annual mean.
    ///
    /// - Parameters:
    ///   - validDaysPerMonth: The number of valid daily means in each month, January first (12 counts).
    ///   - pollutant: The pollutant's id; TSP, BaP and Pb follow the ≥ 60 days, ≥ 5 a month rule.
    /// - Returns: Whether the annual mean is valid.
    public static func isValidYear(validDaysPerMonth: [Int], pollutant: String) -> Bool {
        guard validDaysPerMonth.count == 12 else { return false }
        if filterSampledPollutants.contains(pollutant) {
            return validDaysPerMonth.reduce(0, +) >= 60 && validDaysPerMonth.allSatisfy { $0 >= 5 }
        }
        return validDaysPerMonth.reduce(0, +) >= 324
            && validDaysPerMonth.enumerated().allSatisfy { month, days in days >= (month == 1 ? 25 : 27) }
    }

    /// Whether a quarter of daily lead means gives a valid quarterly mean (≥ 15 days, ≥ 5 in each month).
    public static func isValidQuarter(validDaysPerMonth: [Int]) -> Bool {
        validDaysPerMonth.count == 3 && validDaysPerMonth.reduce(0, +) >= 15 && validDaysPerMonth.allSatisfy { $0 >= 5 }
    }

    private static func mean(_ values: [Double?], minimum: Int) -> Double? {
        let valid = values.compactMap { $0 }
        guard valid.count >= minimum else { return nil }
        return valid.reduce(0, +) / Double(valid.count)
    }
}
