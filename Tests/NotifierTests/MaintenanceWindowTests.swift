import Foundation
import Notifier
import Testing

/// Maintenance windows read weekday and time of day in their zone, DST included, and say when
/// they next open or close.
@Suite struct MaintenanceWindowTests {
    /// Seconds since the epoch of a UTC time written `2024-01-01T18:00:00Z`.
    func utc(_ text: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970)
    }

    func window(weekdays: Set<Int> = [], times: [Range<Int>] = [], zone: String = "UTC", matchers: [String] = []) -> MaintenanceWindow {
        MaintenanceWindow(
            name: "w", matchers: matchers.map { try! LabelMatcher(parsing: $0) }, weekdays: weekdays, times: times, location: TimeZone(identifier: zone)!)
    }

    /// The issue's calibration window: Tuesdays and weekends 02:00–04:00 in Shanghai (UTC+8, no DST).
    var calibration: MaintenanceWindow { window(weekdays: [2, 6, 7], times: [120..<240], zone: "Asia/Shanghai") }

    @Test func shanghaiWeekdaysAndTimesAreLocal() {
        let w = calibration
        #expect(w.isActive(at: utc("2024-01-01T18:00:00Z")), "Tuesday 02:00 in Shanghai, Monday in UTC")
        #expect(!w.isActive(at: utc("2024-01-01T17:59:59Z")), "01:59:59")
        #expect(w.isActive(at: utc("2024-01-01T19:59:59Z")), "03:59:59")
        #expect(!w.isActive(at: utc("2024-01-01T20:00:00Z")), "04:00 is the exclusive end")
        #expect(!w.isActive(at: utc("2024-01-02T18:30:00Z")), "Wednesday 02:30")
        #expect(w.isActive(at: utc("2024-01-05T19:00:00Z")) && w.isActive(at: utc("2024-01-06T19:00:00Z")), "Saturday and Sunday 03:00")
        #expect(!w.isActive(at: utc("2024-01-07T19:00:00Z")), "Monday 03:00")
    }

    @Test func nextChangeFindsTheNextOpeningOrClosing() {
        let w = calibration
        #expect(w.nextChange(after: utc("2024-01-01T17:00:00Z")) == utc("2024-01-01T18:00:00Z"), "opens at 02:00")
        #expect(w.nextChange(after: utc("2024-01-01T18:00:00Z")) == utc("2024-01-01T20:00:00Z"), "closes at 04:00")
        #expect(w.nextChange(after: utc("2024-01-01T20:00:00Z")) == utc("2024-01-05T18:00:00Z"), "then Saturday 02:00")
        #expect(w.nextChange(after: utc("2024-01-01T19:30:17Z")) == utc("2024-01-01T20:00:00Z"), "from within a minute")
    }

    @Test func aWindowAcrossMidnightIsTwoRanges() {
        let w = window(times: [1_320..<1_440, 0..<120])  // 22:00–02:00 UTC, every day
        #expect(w.isActive(at: utc("2024-01-01T23:30:00Z")) && w.isActive(at: utc("2024-01-02T00:30:00Z")))
        #expect(!w.isActive(at: utc("2024-01-01T21:59:59Z")) && !w.isActive(at: utc("2024-01-02T02:00:00Z")))
        #expect(w.nextChange(after: utc("2024-01-01T21:00:00Z")) == utc("2024-01-01T22:00:00Z"))
        #expect(w.nextChange(after: utc("2024-01-01T22:00:00Z")) == utc("2024-01-02T02:00:00Z"), "one opening across midnight")
        // As in Alertmanager, each range is read with the weekday of its own instant.
        let friday = window(weekdays: [5], times: [1_320..<1_440, 0..<120])
        #expect(friday.isActive(at: utc("2024-01-05T23:00:00Z")) && !friday.isActive(at: utc("2024-01-06T01:00:00Z")))
        #expect(friday.nextChange(after: utc("2024-01-05T23:00:00Z")) == utc("2024-01-06T00:00:00Z"), "Saturday begins")
    }

    @Test func berlinSpringForwardSkipsTheMissingHour() {
        let w = window(times: [120..<180], zone: "Europe/Berlin")  // 02:00–03:00 local, daily
        #expect(w.isActive(at: utc("2024-03-30T01:30:00Z")), "02:30 CET")
        #expect(!w.isActive(at: utc("2024-03-31T00:59:59Z")) && !w.isActive(at: utc("2024-03-31T01:00:00Z")), "01:59:59 CET, then 03:00 CEST")
        #expect(w.isActive(at: utc("2024-04-01T00:30:00Z")), "02:30 CEST is an hour earlier in UTC")
        #expect(w.nextChange(after: utc("2024-03-31T00:00:00Z")) == utc("2024-04-01T00:00:00Z"), "no 02:00 on the 31st")
        #expect(w.nextChange(after: utc("2024-04-01T00:00:00Z")) == utc("2024-04-01T01:00:00Z"))
    }

    @Test func berlinFallBackHoldsTheRepeatedHourTwice() {
        let w = window(times: [120..<180], zone: "Europe/Berlin")
        #expect(w.isActive(at: utc("2024-10-27T00:30:00Z")) && w.isActive(at: utc("2024-10-27T01:30:00Z")), "02:30 CEST and 02:30 CET")
        #expect(!w.isActive(at: utc("2024-10-27T02:00:00Z")), "03:00 CET")
        #expect(w.nextChange(after: utc("2024-10-26T23:59:59Z")) == utc("2024-10-27T00:00:00Z"))
        #expect(w.nextChange(after: utc("2024-10-27T00:30:00Z")) == utc("2024-10-27T02:00:00Z"), "open two hours across the change")
        let monday = window(weekdays: [1], zone: "Europe/Berlin")
        #expect(monday.isActive(at: utc("2024-01-07T23:00:00Z")) && !monday.isActive(at: utc("2024-01-07T22:59:59Z")), "Monday 00:00 CET")
    }

    @Test func windowsThatNeverChangeHaveNoNextChange() {
        #expect(window().isActive(at: 0) && window().nextChange(after: 0) == nil, "no weekdays, no times: always open")
        #expect(window(weekdays: Set(1...7), times: [0..<1_440]).nextChange(after: utc("2024-01-01T00:00:00Z")) == nil)
    }

    @Test func holdsNeedsTheMatchersToo() {
        let w = window(matchers: [#"station=~"qinghe-.*""#])
        #expect(w.holds(["station": "qinghe-1"], at: 0))
        #expect(!w.holds(["station": "bj-1"], at: 0))
        #expect(!calibration.holds(["station": "qinghe-1"], at: utc("2024-01-02T18:30:00Z")))
    }
}
