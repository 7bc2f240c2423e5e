import Reports
import Testing

/// The HJ 75-2017 substitution of missing hours, as standards.md §6.1 remembers it.
@Suite struct HourlySubstitutionTests {
    typealias Hour = HourlySubstitution.Hour

    /// Hours from a compact text: a number is valid, `_` missing, `F` stopped.
    static func hours(_ text: String) -> [Hour] {
        text.split(separator: " ").map { t in t == "_" ? .missing : t == "F" ? .stopped : .measured(Double(t)!) }
    }

    @Test func aShortGapTakesTheMeanOfTheValidHoursAroundIt() {
        var states = Self.hours("10 12 _ _ _ 20 22")
        states += Array(repeating: .measured(15), count: 100)  // α well above 90 %
        let out = HourlySubstitution(states, quarter: Array(repeating: 0, count: states.count)).hours
        #expect(Array(out[2...4]) == Array(repeating: .substituted(16), count: 3))
        #expect(out[1] == .measured(12) && out[5] == .measured(20))
    }

    @Test func aGapLongerThanADayTakesTheLargestOfThePreceding720ValidHours() {
        // 800 valid hours, the largest (90) 750 hours before the gap: outside the 720 looked at.
        var states = (0..<800).map { i -> Hour in .measured(i == 50 ? 90 : Double(10 + i % 7)) }
        states += Array(repeating: .missing, count: 30)
        states += Array(repeating: .measured(5), count: 2_000)
        let out = HourlySubstitution(states, quarter: Array(repeating: 0, count: states.count)).hours
        #expect(out[800] == .substituted(16) && out[829] == .substituted(16))
    }

    @Test func belowNinetyPercentCaptureEvenAShortGapTakesTheLargestOfThePreceding2160() {
        // One quarter: 85 valid hours, 15 missing (α 85 %); the largest value is the first.
        var states: [Hour] = [.measured(70)] + Array(repeating: .measured(20), count: 79)
        states += [.missing, .missing] + Array(repeating: .measured(20), count: 5) + Array(repeating: .missing, count: 13)
        let out = HourlySubstitution(states, quarter: Array(repeating: 0, count: states.count)).hours
        #expect(out[80] == .substituted(70) && out[81] == .substituted(70))
        // The same gap in a quarter of 90 % capture (18 of 20 hours) is the mean of its neighbours.
        let quarters = Array(repeating: 0, count: 80) + Array(repeating: 1, count: 20)
        let split = HourlySubstitution(Array(states[0..<87]) + Array(repeating: .measured(20), count: 13), quarter: quarters).hours
        #expect(split[80] == .substituted(20) && split[81] == .substituted(20))
    }

    @Test func stoppedHoursAndHoursBeforeTheFirstValidOneAreNotSubstituted() {
        var states = Self.hours("_ _ 30 F F _ 40")
        states += Array(repeating: .measured(30), count: 100)
        let out = HourlySubstitution(states, quarter: Array(repeating: 0, count: states.count)).hours
        #expect(out[0] == .missing && out[1] == .missing)
        #expect(out[3] == .stopped && out[4] == .stopped)
        // The gap after the stop lies between a stopped hour and 40: only the valid hour after it
        // and the last valid one before (30) count.
        #expect(out[5] == .substituted(35))
    }

    @Test func aGapAtTheEndTakesTheLastValidHourAlone() {
        let states = Array(repeating: Hour.measured(8), count: 200) + [.measured(12), .missing, .missing]
        let out = HourlySubstitution(states, quarter: Array(repeating: 0, count: states.count)).hours
        #expect(out[201] == .substituted(12) && out[202] == .substituted(12))
    }
}
