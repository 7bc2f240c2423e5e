public import Monitoring

/// The AQI of a site's day so far (今日累计): the HJ 633 daily AQI of the hours of the local day
/// that have ended, before the day is complete.
///
/// - PM2.5, PM10, SO2, NO2 and CO: the mean of the day's valid hours so far (a finished day's
///   mean needs 20; so far any valid hour counts, and ``validHours`` tells how many there were).
/// - O3: the largest 8-h mean of the windows inside the day that have ended (from 08:00 on), each
///   with 6 valid hours or more; on HJ 633-2012 days also the largest 1-h value.
///
/// The standard is the one in force on the local date (HJ 633-2026 from 2026-03-01).
public struct DaySoFarAQI: Sendable {
    /// The local date.
    public var date: CivilTime
    /// The standard applied.
    public var standard: AQIStandard
    /// The hours of the day that have ended.
    public var hoursElapsed: Int
    /// The most valid hours any pollutant has so far.
    public var validHours: Int
    /// The AQI, its IAQIs, primary pollutants and category; `nil` without any valid hour.
    public var result: AQIResult?

    /// The AQI so far of `hourly`: for each pollutant the day's hours that have ended, 00–01 first,
    /// in the indicator's unit (µg/m³, CO mg/m³), `nil` for a missing or invalid hour.
    public init(date: CivilTime, hourly: [AQIPollutant: [Double?]]) {
        self.date = date
        standard = AQIStandard.china(on: date)
        hoursElapsed = hourly.values.map(\.count).max() ?? 0
        validHours = hourly.values.map { $0.compactMap { $0 }.count }.max() ?? 0
        var concentrations: [AQIConcentration] = []
        for pollutant in [AQIPollutant.pm25, .pm10, .so2, .no2, .co] {
            let valid = (hourly[pollutant] ?? []).compactMap { $0 }
            guard !valid.isEmpty else { continue }
            concentrations.append(AQIConcentration(pollutant, .day, reading: AirDailyValues.kept(valid.reduce(0, +) / Double(valid.count))))
        }
        if let o3 = hourly[.o3] {
            let windows = o3.count >= 8 ? (8...o3.count).compactMap { end in AmbientValidity.eightHourMean(o3[(end - 8)..<end]) } : []
            if let mda8 = windows.max() { concentrations.append(AQIConcentration(.o3, .eightHours, reading: AirDailyValues.kept(mda8))) }
            if standard == .hj633_2012, let max1h = o3.compactMap({ $0 }).max() {
                concentrations.append(AQIConcentration(.o3, .hour, reading: max1h))
            }
        }
        result = concentrations.isEmpty ? nil : try? AirQualityIndex.evaluate(concentrations, standard: standard)
    }
}
