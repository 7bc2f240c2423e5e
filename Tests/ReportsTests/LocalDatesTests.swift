import Foundation
import Monitoring
import Reports
import Testing

@Suite struct LocalDatesTests {
    @Test func parsesOnlyWholeDates() throws {
        #expect(try LocalDates.parse("2016-02-29", option: "--from") == CivilTime(year: 2016, month: 2, day: 29))
        #expect(throws: ReportsError.self) { try LocalDates.parse("2015-02-29", option: "--from") }
        let error = #expect(throws: ReportsError.self) { try LocalDates.parse("2016-2-1", option: "--to") }
        #expect(error?.description.contains("--to '2016-2-1'") == true)
    }

    @Test func daysAreLocalAndInclusive() throws {
        let calendar = ZoneCalendar(try #require(TimeZone(identifier: "Asia/Shanghai")))
        let days = LocalDates.days(from: CivilTime(year: 2026, month: 1, day: 1), through: CivilTime(year: 2026, month: 1, day: 3), calendar)
        #expect(days.count == 3)
        // Local midnight in Shanghai is 16:00 UTC the day before.
        #expect(days[0].lowerBound == CivilTime(year: 2025, month: 12, day: 31, hour: 16).secondsIfUTC)
        #expect(days[2].upperBound == CivilTime(year: 2026, month: 1, day: 3, hour: 16).secondsIfUTC)
    }

    @Test func languagesParse() {
        #expect(ReportLanguage(parsing: "zh_CN") == .zhCN)
        #expect(ReportLanguage(parsing: "EN") == .en)
        #expect(ReportLanguage(parsing: "fr") == nil)
        #expect(ReportLanguage.zhCN.pick("吨", "t") == "吨")
    }
}

@Suite struct RangeRuleTests {
    let calendar = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!)

    @Test func aDateIsAWholeLocalDayOnEitherEnd() throws {
        let from = try LocalDates.bound("2026-01-01", option: "--from", in: calendar, isEnd: false)
        let to = try LocalDates.bound("2026-01-31", option: "--to", in: calendar, isEnd: true)
        #expect(from == CivilTime(year: 2025, month: 12, day: 31, hour: 16).secondsIfUTC)
        // --to 2026-01-31 includes the 31st: the range ends at local midnight of February 1st.
        #expect(to == CivilTime(year: 2026, month: 1, day: 31, hour: 16).secondsIfUTC)
    }

    @Test func aTimeIsAnInstant() throws {
        let to = try LocalDates.bound("2026-01-31T08:00", option: "--to", in: calendar, isEnd: true)
        #expect(to == CivilTime(year: 2026, month: 1, day: 31).secondsIfUTC)
        let utc = try LocalDates.bound("2026-01-31T08:00Z", option: "--from", in: calendar, isEnd: false)
        #expect(utc == CivilTime(year: 2026, month: 1, day: 31, hour: 8).secondsIfUTC)
        let error = #expect(throws: ReportsError.self) { try LocalDates.bound("yesterday", option: "--from", in: calendar, isEnd: false) }
        #expect(error?.description.hasPrefix("--from 'yesterday'") == true)
    }
}
