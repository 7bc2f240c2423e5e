import Foundation
import Monitoring
import Testing

/// FixedPoint prints what printf prints, without printf.
@Suite struct FixedPointTests {
    @Test(arguments: 0...3)
    func matchesPrintfOnTiesEdgesAndRandomValues(digits: Int) {
        var values: [Double] = [
            0, -0.0, 0.125, -0.125, 0.375, 2.675, 1.005, 1.015, 99.995, 99.9949999, 100, 0.0005, 0.0015, 0.9995, 123456.785,
            1e14 + 0.25, 999_999_999_999_999, -5.5, 5e-324, 1e-300, -1e-7, 0.5, 1.5, 2.5, 1e15, 1e20, .nan, .infinity, -.infinity,
        ]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Double.random(in: -1_000...1_000, using: &random))
            // Ties and near-ties of the last decimal.
            values.append(Double(Int.random(in: -100_000...100_000, using: &random)) / 2_000)
            values.append(Double.random(in: -1e12...1e12, using: &random))
        }
        for v in values {
            #expect(FixedPoint.format(v, digits: digits) == String(format: "%.\(digits)f", v), "\(v)")
        }
    }
}
