import Foundation
@testable import Monitoring
import Testing

/// `Decimal(shortestOf:)` reads a `Double`'s printed digits itself; it must give what Foundation's parser
/// gives for the same text, value and written form, for every kind of double a reading can be.
@Suite struct ShortestDecimalTests {
    /// What `Decimal(shortestOf:)` did before: Foundation's parser, and `Decimal(v)` where it fails; but a
    /// magnitude below a Decimal's smallest (5e-324), NaN there, is 0 now (infinities and NaN, on which
    /// `Decimal(v)` traps, are in `AQIAbsurdConcentrationTests`).
    func foundation(_ v: Double) -> Decimal {
        let d = Decimal(string: "\(v)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(v)
        return d.isNaN && v.magnitude < 1 ? 0 : d
    }

    @Test func sameAsFoundationsParser() {
        var values: [Double] = [
            0.1 + 0.2, 2.2, 75, 75.5, 0.000_01, 1e-7, 1.234_567_890_123_456_8e20, 1e21, 9.999_999_999_999_999e22, 5e-324,
            1.797_693_134_862_315_7e308, -2.5, -0.001, 45.133_333_333_333_33, 0.072, 1.5, 800, 1e16, 12_345_678_901_234_568.0,
        ]
        // Every magnitude and a spread of digits: a fixed generator, so a failure repeats.
        var state: UInt64 = 16
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let mantissa = Double(state >> 11) / Double(1 << 53)
            let exponent = Int((state >> 3) % 60) - 30
            values.append(mantissa * pow(10, Double(exponent)))
            values.append((mantissa * 1_000).rounded() / 10)
        }
        var failed = 0
        for v in values {
            let ours = Decimal(shortestOf: v)
            let theirs = foundation(v)
            // NaN (a double beyond what a Decimal holds) is not equal to itself: compared as written.
            if (ours != theirs && !(ours.isNaN && theirs.isNaN)) || "\(ours)" != "\(theirs)" {
                failed += 1
                #expect(ours == theirs, "\(v): \(ours) vs \(theirs)")
            }
        }
        #expect(failed == 0)
        #expect(values.count > 40_000)
    }

    @Test func theParserLeavesTheOddOnesToFoundation() {
        #expect(Decimal.parsedShortest("0.0") == nil)
        #expect(Decimal.parsedShortest("inf") == nil)
        #expect(Decimal.parsedShortest("nan") == nil)
        #expect(Decimal.parsedShortest("1e") == nil)
        #expect(Decimal.parsedShortest("12345678901234567890123") == nil)
        #expect(Decimal.parsedShortest("5e-324") == nil && Decimal.parsedShortest("1.7976931348623157e+308") == nil)
        #expect(Decimal.parsedShortest("1.5e-7") == Decimal(string: "0.00000015"))
        #expect(Decimal(shortestOf: 0) == 0)
        #expect(Decimal(shortestOf: 2.2) == Decimal(string: "2.2"))
    }
}
