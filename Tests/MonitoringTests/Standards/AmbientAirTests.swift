import Foundation
import Monitoring
import Testing

/// GB 3095-2012 and GB 3095-2026 limits (reference/standards.md §4).
@Suite struct AmbientAirLimitTests {
    @Test func editionByDate() {
        #expect(AmbientAirLimits.applicable(on: CivilTime(year: 2026, month: 2, day: 28)).edition == .gb3095_2012)
        #expect(AmbientAirLimits.applicable(on: CivilTime(year: 2026, month: 3, day: 1)).edition == .gb3095_2026Transitional)
        #expect(AmbientAirLimits.applicable(on: CivilTime(year: 2030, month: 12, day: 31)).edition == .gb3095_2026Transitional)
        #expect(AmbientAirLimits.applicable(on: CivilTime(year: 2031, month: 1, day: 1)).edition == .gb3095_2026Final)
        // 2031-01-01T00:00+08:00 = 2030-12-31T16:00Z.
        let final = CivilTime(year: 2030, month: 12, day: 31, hour: 16).secondsIfUTC
        #expect(AmbientAirLimits.applicable(at: final - 1).edition == .gb3095_2026Transitional)
        #expect(AmbientAirLimits.applicable(at: final).edition == .gb3095_2026Final)
    }

    @Test func the2026ChangesToParticlesAndNitrogenDioxide() {
        let old = AmbientAirLimits.gb3095_2012, mid = AmbientAirLimits.gb3095_2026Transitional, new = AmbientAirLimits.gb3095_2026Final
        let cases: [(String, AveragingPeriod, AmbientGrade, [String])] = [
            ("PM2.5", .day, .two, ["75", "60", "50"]), ("PM2.5", .year, .two, ["35", "30", "25"]), ("PM2.5", .day, .one, ["35", "35", "25"]),
            ("PM10", .day, .two, ["150", "120", "100"]), ("PM10", .year, .two, ["70", "60", "50"]), ("PM10", .year, .one, ["40", "40", "20"]),
            ("NO2", .day, .two, ["80", "80", "50"]), ("NO2", .year, .one, ["40", "40", "30"]), ("SO2", .day, .two, ["150", "150", "50"]),
            ("SO2", .hour, .two, ["500", "500", "150"]), ("O3", .eightHours, .two, ["160", "160", "160"]), ("CO", .hour, .one, ["10", "10", "10"]),
            ("NOx", .day, .two, ["100", "100", "70"]), ("BaP", .day, .one, ["0.0025", "0.0025", "0.0025"]),
        ]
        for (pollutant, period, grade, expected) in cases {
            let got = [old, mid, new].map { $0.limit(pollutant, period, grade: grade)?.limit }
            #expect(got == expected.map(dec), "\(pollutant) \(period) grade \(grade.rawValue)")
        }
        #expect(old.limit("CO", .day, grade: .two)?.unit == "mg/m³")
        #expect(new.limit("PM2.5", .hour, grade: .two) == nil)
    }

    @Test func theLimitItselfComplies() {
        let pm = AmbientAirLimits.gb3095_2026Transitional.limit("PM2.5", .day, grade: .two)!
        #expect(!pm.isExceeded(by: dec("60")) && pm.isExceeded(by: dec("60.1")))
        #expect(!pm.isExceeded(by: 60.0) && pm.isExceeded(by: 60.000001))
        #expect(pm.source.description == "GB 3095-2026 Tables 1–2 (transitional) [V]")
    }
}

/// Ambient data-validity rules (GB 3095 Table 4; HJ 663).
@Suite struct AmbientValidityTests {
    @Test func hoursAndDays() {
        #expect(AmbientValidity.isValidHour(sampledMinutes: 45) && !AmbientValidity.isValidHour(sampledMinutes: 44))
        #expect(AmbientValidity.isValidDay(validHours: 20, pollutant: "PM2.5") && !AmbientValidity.isValidDay(validHours: 19, pollutant: "SO2"))
        #expect(!AmbientValidity.isValidDay(validHours: 23, pollutant: "TSP") && AmbientValidity.isValidDay(validHours: 24, pollutant: "Pb"))
        var day: [Double?] = Array(repeating: 10, count: 20) + [nil, nil, nil, nil]
        #expect(AmbientValidity.dailyMean(day) == 10)
        day[0] = nil
        #expect(AmbientValidity.dailyMean(day) == nil)  // 19 valid hours
    }

    @Test func eightHourOzoneNeedsSixOfEight() {
        #expect(AmbientValidity.eightHourMean([1, 2, 3, 4, 5, 6, nil, nil]) == 3.5)
        #expect(AmbientValidity.eightHourMean([1, 2, 3, 4, 5, nil, nil, nil]) == nil)
        #expect(AmbientValidity.eightHourMean([1, 2, 3]) == nil)
        let moving = AmbientValidity.eightHourMovingAverages((1...10).map { Double($0) })
        #expect(moving[6] == nil && moving[7] == 4.5 && moving[9] == 6.5)
    }

    @Test func dailyMaximumEightHour() {
        // 24 hours 0…23 µg/m³: the last window (hours 16–23) is the largest, 19.5.
        let ramp: [Double?] = (0..<24).map { Double($0) }
        #expect(AmbientValidity.dailyMaximumEightHour(ramp) == 19.5)
        // Hours 0–7 missing: windows starting 0…5 have < 6 valid hours, 11 windows are left (< 14): invalid…
        var gappy = ramp
        for h in 0..<8 { gappy[h] = nil }
        #expect(AmbientValidity.dailyMaximumEightHour(gappy) == nil)
        // …unless the maximum already exceeds the limit.
        #expect(AmbientValidity.dailyMaximumEightHour(gappy, limit: 19) == 19.5)
        #expect(AmbientValidity.dailyMaximumEightHour(gappy, limit: 20) == nil)
        // Exactly 14 windows valid: hours 0–4 missing leaves windows starting 0…2 with < 6 valid hours.
        var fourteen = ramp
        for h in 0..<5 { fourteen[h] = nil }
        #expect(AmbientValidity.dailyMaximumEightHour(fourteen) == 19.5)
    }

    @Test func annualAndQuarterlyCompleteness() {
        let full = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        #expect(AmbientValidity.isValidYear(validDaysPerMonth: full, pollutant: "PM2.5"))
        var thin = [27, 25, 27, 27, 27, 27, 27, 27, 27, 27, 27, 27]  // 322 days
        #expect(!AmbientValidity.isValidYear(validDaysPerMonth: thin, pollutant: "PM2.5"))
        thin = [28, 25, 28, 27, 27, 27, 27, 27, 27, 27, 27, 27]  // 324 days
        #expect(AmbientValidity.isValidYear(validDaysPerMonth: thin, pollutant: "NO2"))
        thin[1] = 24
        thin[0] = 31
        #expect(!AmbientValidity.isValidYear(validDaysPerMonth: thin, pollutant: "NO2"))  // February < 25
        #expect(AmbientValidity.isValidYear(validDaysPerMonth: Array(repeating: 5, count: 12), pollutant: "BaP"))
        #expect(!AmbientValidity.isValidYear(validDaysPerMonth: [4] + Array(repeating: 6, count: 11), pollutant: "BaP"))
        #expect(AmbientValidity.isValidQuarter(validDaysPerMonth: [5, 5, 5]) && !AmbientValidity.isValidQuarter(validDaysPerMonth: [4, 6, 6]))
    }
}
