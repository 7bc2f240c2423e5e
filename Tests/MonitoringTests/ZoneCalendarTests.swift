import Foundation
import Monitoring
import Testing

@Suite struct ZoneCalendarTests {
    let shanghai = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!)
    let newYork = ZoneCalendar(TimeZone(identifier: "America/New_York")!)

    @Test func localWallTimeToUTC() {
        #expect(shanghai.resolve(CivilTime(year: 2013, month: 3, day: 1, hour: 0)) == .unique(1_362_067_200))
        #expect(shanghai.iso8601(1_362_067_200) == "2013-03-01T00:00:00+08:00")
    }

    @Test func iso8601PrintsEveryOffsetAndPadsEveryField() {
        let utc = ZoneCalendar(TimeZone(identifier: "UTC")!)
        let kolkata = ZoneCalendar(TimeZone(identifier: "Asia/Kolkata")!)
        #expect(utc.iso8601(1_362_067_200) == "2013-02-28T16:00:00Z")
        #expect(newYork.iso8601(1_362_067_200) == "2013-02-28T11:00:00-05:00")
        #expect(kolkata.iso8601(1_362_067_200 + 61) == "2013-02-28T21:31:01+05:30")
        #expect(utc.iso8601(-62_135_596_800) == "0001-01-01T00:00:00Z")
        // A year beyond four digits is printed in full, as before.
        #expect(CivilTime(year: 12_345, month: 1, day: 2, hour: 3, minute: 4, second: 5).description == "12345-01-02T03:04:05")
        #expect(CivilTime(year: 987, month: 12, day: 31, hour: 23, minute: 59, second: 58).description == "0987-12-31T23:59:58")
    }

    @Test func gapsAndFoldsAreReported() {
        // 2024-03-10 02:30 does not exist in New York; 2024-11-03 01:30 happens twice.
        #expect(newYork.resolve(CivilTime(year: 2024, month: 3, day: 10, hour: 2, minute: 30)) == .nonexistent)
        #expect(newYork.resolve(CivilTime(year: 2024, month: 11, day: 3, hour: 1, minute: 30)) == .ambiguous(1_730_611_800, 1_730_615_400))
    }

    @Test func daysAreLocalAndChangeLengthWithTheClocks() {
        let day = shanghai.day(containing: 1_362_067_200 + 5)
        #expect(day == 1_362_067_200..<(1_362_067_200 + 86_400))
        let spring = newYork.day(containing: 1_710_046_800 + 7_200)
        #expect(spring.upperBound - spring.lowerBound == 23 * 3_600)
    }

    @Test func iso8601InputForms() throws {
        #expect(try ISO8601Time.parse("2013-03-01", in: shanghai) == 1_362_067_200)
        #expect(try ISO8601Time.parse("2013-03-01T00:00:00+08:00", in: newYork) == 1_362_067_200)
        #expect(try ISO8601Time.parse("2013-02-28T16:00:00Z", in: newYork) == 1_362_067_200)
        #expect(try ISO8601Time.parse("2013-03-01 08:00", in: ZoneCalendar(TimeZone(identifier: "UTC")!)) == 1_362_124_800)
        #expect(throws: ISO8601Time.ParseError.self) { try ISO8601Time.parse("2024-03-10T02:30", in: newYork) }
        #expect(throws: ISO8601Time.ParseError.self) { try ISO8601Time.parse("2013-02-30", in: shanghai) }
        #expect(throws: ISO8601Time.ParseError.self) { try ISO8601Time.parse("yesterday", in: shanghai) }
    }

    @Test func civilArithmeticRoundTrips() {
        for t: Int64 in [-86_401, 0, 951_782_400, 1_709_251_199, 4_102_444_800] {
            #expect(CivilTime(secondsIfUTC: t).secondsIfUTC == t)
        }
        #expect(CivilTime(year: 2024, month: 2, day: 29).isValid)
        #expect(!CivilTime(year: 2023, month: 2, day: 29).isValid)
    }
}
