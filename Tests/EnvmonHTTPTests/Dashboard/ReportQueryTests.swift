@testable import EnvmonDashboard
import Foundation
import Monitoring
import Reports
import Testing

/// What a report page shows when the request names no period: the year or month of yesterday.
@Suite struct ReportQueryTests {
    let beijing = TimeZone(identifier: "Asia/Shanghai")!

    func instant(_ year: Int, _ month: Int, _ day: Int, hour: Int) -> Int64 {
        ZoneCalendar(beijing).firstInstant(ofLocal: CivilTime(year: year, month: month, day: day).secondsIfUTC) + Int64(hour) * 3_600
    }

    @Test func onNewYearsDayThePagesShowTheYearAndMonthJustEnded() throws {
        let newYear = instant(2027, 1, 1, hour: 9)
        #expect(try ReportQuery().period(now: newYear, zone: beijing) == .year(2026))
        #expect(try ReportQuery().period(now: newYear, zone: beijing, defaultMonth: true) == .month(2026, 12))
        // From 2 January (Beijing time), the new year.
        #expect(try ReportQuery().period(now: instant(2027, 1, 2, hour: 0), zone: beijing) == .year(2027))
    }

    @Test func onOtherDaysTheyShowThisYearAndMonth() throws {
        let now = instant(2026, 3, 15, hour: 10)
        #expect(try ReportQuery().period(now: now, zone: beijing) == .year(2026))
        #expect(try ReportQuery().period(now: now, zone: beijing, defaultMonth: true) == .month(2026, 3))
        // The first of a month shows the month just ended.
        #expect(try ReportQuery().period(now: instant(2026, 4, 1, hour: 10), zone: beijing, defaultMonth: true) == .month(2026, 3))
        // A period asked for is taken as it is.
        #expect(try ReportQuery(values: ["year": "2025"]).period(now: now, zone: beijing) == .year(2025))
    }
}
