import Foundation
import Monitoring
import Reports
import Store
import Testing

@Suite struct ExceedanceDaysReportTests {
    let calendar = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!)

    /// Hour rows of PM2.5 at `value` for the local day starting at `dayStart`, `hours` of them.
    func hours(_ dayStart: Int64, count: Int, value: Double) -> [AggregateRow] {
        (0..<count).map { h in
            let start = dayStart + Int64(h) * 3_600
            return AggregateRow(start: start, end: start + 3_600, value: value, validCount: 1, count: 1, expectedCount: 1, flags: DataFlagSet([.normal]))
        }
    }

    @Test func todayIsInProgressNotNoData() throws {
        let days = LocalDates.days(from: CivilTime(year: 2026, month: 12, day: 5), through: CivilTime(year: 2026, month: 12, day: 6), calendar)
        // Yesterday whole and above the 24-h limit; today 9 hours so far, too few for a daily mean.
        let rows = hours(days[0].lowerBound, count: 24, value: 80) + hours(days[1].lowerBound, count: 9, value: 20)
        let now = days[1].lowerBound + 9 * 3_600 + 120
        let report = try ExceedanceDaysReport(
            hours: rows, dayRanges: days, calendar: calendar, pollutant: "PM2.5", grade: .two, toLimitUnit: 1, now: now)
        #expect(report.days.map(\.verdictText) == ["exceeds", "in-progress"])
        #expect(report.total.exceedanceDays == 1)
        #expect(report.total.noDataDays == 0)
        #expect(report.total.inProgressDays == 1)
        #expect(report.total.validDays == 1)

        // The same day read once it is over is judged: 9 valid hours are no daily mean.
        let later = try ExceedanceDaysReport(
            hours: rows, dayRanges: days, calendar: calendar, pollutant: "PM2.5", grade: .two, toLimitUnit: 1, now: days[1].upperBound)
        #expect(later.days.map(\.verdictText) == ["exceeds", "no-data"])
        #expect(later.total.noDataDays == 1)
    }
}
