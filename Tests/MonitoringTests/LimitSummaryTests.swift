import Monitoring
import Testing

@Suite struct LimitSummaryTests {
    @Test func minimaRangesAndMaximaKeepTheirSense() {
        // `envmon stations` printed DO ≥ 5 as "DO≤," and pH 6–9 as "pH≤9".
        #expect(Limit(basis: .day, min: 5).summary(of: "DO") == "DO≥5/day")
        #expect(Limit(basis: .hour, max: 9, min: 6).summary(of: "pH") == "pH 6–9/hour")
        #expect(Limit(basis: .reading, max: 0.5).summary(of: "TP") == "TP≤0.5")
        #expect(Limit(basis: .day, max: 50).summary(of: "COD") == "COD≤50/day")
    }
}
