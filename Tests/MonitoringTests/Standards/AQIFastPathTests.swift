import Foundation
import Monitoring
import Testing

/// The IAQI is computed in binary first and exactly only near a rounding edge: every 0.01 µg/m³ of a
/// table, and every 0.001 mg/m³ of CO, must give what integer arithmetic gives.
@Suite struct AQIFastPathTests {
    /// ⌈a / b⌉ for b > 0, in integers.
    func ceilDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? (a + b - 1) / b : -((-a) / b) }

    /// The HJ 633 IAQI of `k / scale` on the continuous table `bp` (concentrations at IAQI 0, 50, 100, 150,
    /// 200, 300, 400, 500), by integer arithmetic.
    func expected(_ k: Int, scale: Int, _ bp: [Int]) -> Int {
        let index = [0, 50, 100, 150, 200, 300, 400, 500]
        for i in 1..<bp.count where k <= bp[i] * scale {
            return index[i - 1] + ceilDiv((index[i] - index[i - 1]) * (k - bp[i - 1] * scale), (bp[i] - bp[i - 1]) * scale)
        }
        return 500
    }

    @Test func everyHundredthOfPM25AndEveryThousandthOfCO() throws {
        let pm25 = [0, 35, 75, 115, 150, 250, 350, 500]
        for k in 0...50_000 {
            let c = AQIConcentration(.pm25, .day, Decimal(k) / 100)
            let got = try AirQualityIndex.iaqi(c, standard: .hj633_2012).value
            #expect(got == expected(k, scale: 100, pm25), "PM2.5 \(c.value)")
        }
        let co = [0, 2, 4, 14, 24, 36, 48, 60]
        for k in 0...60_000 {
            let c = AQIConcentration(.co, .day, Decimal(k) / 1_000)
            let got = try AirQualityIndex.iaqi(c, standard: .hj633_2012).value
            #expect(got == expected(k, scale: 1_000, co), "CO \(c.value)")
        }
    }
}
