import Reports
import Testing

@Suite struct HJ663PercentileTests {
    @Test func interpolatesBetweenTheRanksAroundK() {
        // k = 1 + 4 × 0.9 = 4.6: 40 + 0.6 × (50 − 40).
        #expect(HJ663Percentile.value(of: [50, 10, 40, 20, 30], percent: 90) == 46)
        // k = 1 + 99 × 0.98 = 98.02 over 1…100: 98 + 0.02.
        let p98 = HJ663Percentile.value(of: (1...100).map(Double.init), percent: 98) ?? 0
        #expect(abs(p98 - 98.02) < 1e-9)
        // A whole rank is that value; the 100th percentile is the largest.
        #expect(HJ663Percentile.value(of: [3, 1, 2], percent: 50) == 2)
        #expect(HJ663Percentile.value(of: [3, 1, 2], percent: 100) == 3)
    }

    @Test func oneValueOrNone() {
        #expect(HJ663Percentile.value(of: [7], percent: 95) == 7)
        #expect(HJ663Percentile.value(of: [], percent: 95) == nil)
    }
}
