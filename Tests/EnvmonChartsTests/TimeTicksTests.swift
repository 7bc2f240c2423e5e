import EnvmonCharts
import Foundation
import Testing

@Suite struct TimeTicksTests {
    let t0: Int64 = 1_767_196_800  // 2026-01-01T00:00+08:00 (a Thursday)
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func aDayHasTicksEveryThreeLocalHours() {
        let ticks = TimeTicks(from: t0, to: t0 + 86_400, timeZone: shanghai)
        #expect(ticks.spacing == .threeHours)
        #expect(ticks.ticks.map(\.label) == ["01-01", "03:00", "06:00", "09:00", "12:00", "15:00", "18:00", "21:00"])
        #expect(ticks.ticks.first?.time == t0, "local midnight, not UTC's")
    }

    @Test func aWeekHasDailyTicks() {
        let ticks = TimeTicks(from: t0 + 3_600, to: t0 + 7 * 86_400, timeZone: shanghai)
        #expect(ticks.spacing == .day)
        #expect(ticks.ticks.map(\.label) == ["01-02", "01-03", "01-04", "01-05", "01-06", "01-07"])
    }

    @Test func aMonthHasTicksOnMondays() {
        let ticks = TimeTicks(from: t0, to: t0 + 31 * 86_400, timeZone: shanghai)
        #expect(ticks.spacing == .week)
        #expect(ticks.ticks.map(\.label) == ["01-05", "01-12", "01-19", "01-26"])
    }

    @Test func aYearHasMonthlyTicks() {
        let ticks = TimeTicks(from: t0, to: t0 + 365 * 86_400, timeZone: shanghai)
        #expect(ticks.spacing == .month)
        #expect(ticks.ticks.count == 12)
        #expect(ticks.ticks.first?.label == "2026-01" && ticks.ticks[1].label == "02")
    }
}
