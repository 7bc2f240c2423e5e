import Foundation
import Monitoring
import Testing

/// A daily mean judged against the GB 3095 24-h limit of its day (reference/standards.md §4).
@Suite struct DailyComplianceTests {
    static let day2016 = CivilTime(year: 2016, month: 1, day: 1)

    /// `valid` hours of `value` and the rest of a 24-hour day missing.
    static func hours(_ valid: Int, of value: Double) -> [Double?] {
        Array(repeating: value, count: valid) + Array(repeating: nil, count: 24 - valid)
    }

    @Test func twentyValidHoursMakeADayNineteenDoNot() throws {
        let nineteen = try DailyCompliance.evaluate(Self.hours(19, of: 300), pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(nineteen.verdict == .noData && nineteen.mean == nil && nineteen.validHours == 19)
        let twenty = try DailyCompliance.evaluate(Self.hours(20, of: 300), pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(twenty.verdict == .exceeds && twenty.mean == 300 && twenty.validHours == 20)
        // A clean day with too few hours is not compliant either.
        let quiet = try DailyCompliance.evaluate(Self.hours(19, of: 5), pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(quiet.verdict == .noData)
        #expect(try DailyCompliance.evaluate([], pollutant: "PM2.5", grade: .two, on: Self.day2016).verdict == .noData)
    }

    @Test func particleSamplerPollutantsNeedTheWholeDay() throws {
        let tsp = try DailyCompliance.evaluate(Self.hours(23, of: 100), pollutant: "TSP", grade: .two, on: Self.day2016)
        #expect(tsp.verdict == .noData)
        #expect(try DailyCompliance.evaluate(Self.hours(24, of: 100), pollutant: "TSP", grade: .two, on: Self.day2016).verdict == .meets)
    }

    @Test func aMeanExactlyAtTheLimitMeetsIt() throws {
        let at = try DailyCompliance.evaluate(Self.hours(24, of: 75), pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(at.verdict == .meets && at.mean == 75)
        // 12 × 70.1 + 12 × 79.9 is 1800 exactly, but summed in binary it is 1800.000000000001: the
        // verdict must come from the decimal values, not from the rounding of doubles.
        let mixed: [Double?] = Array(repeating: 70.1, count: 12) + Array(repeating: 79.9, count: 12)
        #expect(mixed.compactMap { $0 }.reduce(0, +) / 24 > 75)
        let exact = try DailyCompliance.evaluate(mixed, pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(exact.verdict == .meets && exact.mean == 75)
        // The smallest step above: one hour 0.1 higher.
        let above = try DailyCompliance.evaluate([75.1] + Self.hours(23, of: 75), pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(above.verdict == .exceeds)
    }

    @Test func theLimitIsTheEditionInForceOnTheDay() throws {
        let hours = Self.hours(24, of: 70)
        let before = try DailyCompliance.evaluate(hours, pollutant: "PM2.5", grade: .two, on: CivilTime(year: 2026, month: 2, day: 28))
        #expect(before.edition == .gb3095_2012 && before.limit.limit == dec("75") && before.verdict == .meets)
        let after = try DailyCompliance.evaluate(hours, pollutant: "PM2.5", grade: .two, on: CivilTime(year: 2026, month: 3, day: 1))
        #expect(after.edition == .gb3095_2026Transitional && after.limit.limit == dec("60") && after.verdict == .exceeds)
        // The time of day plays no part: the last hour of 2026-02-28 is still GB 3095-2012.
        let lateEvening = CivilTime(year: 2026, month: 2, day: 28, hour: 23, minute: 59)
        #expect(try DailyCompliance.evaluate(hours, pollutant: "PM2.5", grade: .two, on: lateEvening).edition == .gb3095_2012)
        let final = try DailyCompliance.evaluate(hours, pollutant: "PM2.5", grade: .two, on: CivilTime(year: 2031, month: 1, day: 1))
        #expect(final.edition == .gb3095_2026Final && final.limit.limit == dec("50"))
    }

    @Test func gradeOneHasTheStricterLimit() throws {
        let day = try DailyCompliance.evaluate(Self.hours(24, of: 50), pollutant: "PM2.5", grade: .one, on: Self.day2016)
        #expect(day.limit.limit == dec("35") && day.limit.grade == .one && day.verdict == .exceeds)
    }

    @Test func flaggedHoursAreLeftOut() throws {
        // An hour is valid by its count of valid (flag N) readings against those expected.
        #expect(AmbientValidity.isValidHour(validReadings: 1, expectedReadings: 1))
        #expect(!AmbientValidity.isValidHour(validReadings: 0, expectedReadings: 1))  // its one reading flagged
        #expect(AmbientValidity.isValidHour(validReadings: 45, expectedReadings: 60))
        #expect(!AmbientValidity.isValidHour(validReadings: 44, expectedReadings: 60))
        #expect(AmbientValidity.isValidHour(validReadings: 90, expectedReadings: 120))
        #expect(!AmbientValidity.isValidHour(validReadings: 89, expectedReadings: 120))
        #expect(AmbientValidity.isValidHour(validReadings: 1, expectedReadings: 0))  // reports less often than hourly
        #expect(!AmbientValidity.isValidHour(validReadings: 0, expectedReadings: 0))

        // 20 valid hours at 70 and four calibration hours at 500: the flagged hours neither count nor raise the mean.
        let readings: [(value: Double, flag: DataFlag)] = Array(repeating: (70, .normal), count: 20) + Array(repeating: (500, .calibration), count: 4)
        let hourly = readings.map { r -> Double? in
            AmbientValidity.isValidHour(validReadings: r.flag.isValid ? 1 : 0, expectedReadings: 1) ? r.value : nil
        }
        let day = try DailyCompliance.evaluate(hourly, pollutant: "PM2.5", grade: .two, on: Self.day2016)
        #expect(day.validHours == 20 && day.mean == 70 && day.verdict == .meets)
        // One more flagged hour leaves 19: no daily mean at all.
        var fewer = hourly
        fewer[0] = nil
        #expect(try DailyCompliance.evaluate(fewer, pollutant: "PM2.5", grade: .two, on: Self.day2016).verdict == .noData)
    }

    @Test func pollutantsWithoutADailyLimitAreRefused() {
        #expect {
            try DailyCompliance.evaluate(Self.hours(24, of: 100), pollutant: "O3", grade: .two, on: Self.day2016)
        } throws: { error in
            (error as? StandardsError)?.code == .unsupportedPeriod && "\(error)".contains("O3")
        }
        #expect {
            try DailyCompliance.evaluate(Self.hours(24, of: 10), pollutant: "TEMP", grade: .two, on: Self.day2016)
        } throws: { error in
            (error as? StandardsError)?.code == .unknownParameter && "\(error)".contains("TEMP")
        }
    }

    @Test func anyDailyLimitCanBeGiven() {
        let own = AmbientAirLimit(
            pollutant: "PM2.5", period: .day, grade: .two, limit: dec("50"), unit: "µg/m³", source: StandardSource("local rule", "", .memory))
        let day = DailyCompliance(hourly: Self.hours(24, of: 55), limit: own)
        #expect(day.verdict == .exceeds && day.edition == nil && day.limit == own)
    }
}
