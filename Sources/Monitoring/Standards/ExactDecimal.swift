public import Foundation

extension Decimal {
    /// Reads a plain non-negative decimal numeral such as `80`, `0.072` or `1.5`, exactly.
    ///
    /// Signs, exponents, spaces and trailing text are refused (Foundation's own parser stops at the first
    /// bad character and returns what it read, so `12abc` would be 12).
    public init?(plainNumeral text: some StringProtocol) {
        var digits = 0
        var dots = 0
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                dots += 1
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                digits += 1
            } else {
                return nil
            }
        }
        guard digits > 0, dots <= 1, text.first != ".", text.last != ".",
            let value = Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX"))
        else { return nil }
        self = value
    }

    /// The decimal a `Double` is printed as (its shortest round-trip form): 2.2 is 2.2, not 2.2000000000000002.
    ///
    /// Readings arrive as `Double`; converting through the shortest form keeps values such as CO 2.2 mg/m³
    /// on their breakpoint-exact decimal, which matters when a standard rounds up.
    public init(shortestOf value: Double) {
        self = Decimal(string: "\(value)", locale: Locale(identifier: "en_US_POSIX")) ?? Decimal(value)
    }

    /// This value rounded to `scale` decimals with `mode` (`.bankers` is GB/T 8170's rule, `.down` truncates).
    func rounded(_ scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, mode)
        return result
    }

    /// The value as an `Int`; only for values known to be whole and small.
    var intValue: Int { NSDecimalNumber(decimal: self).intValue }

    /// The value as a `Double`.
    public var doubleValue: Double { NSDecimalNumber(decimal: self).doubleValue }
}

/// Exact integer quotients of decimals, for rounding rules that must not be fooled by binary fractions.
enum ExactDivision {
    /// ⌊n / d⌋ for d > 0, exact: the decimal quotient is corrected by the exact remainder.
    static func floor(_ n: Decimal, _ d: Decimal) -> Decimal {
        var k = (n / d).rounded(0, .down)
        var r = n - k * d
        while r < 0 {
            k -= 1
            r += d
        }
        while r >= d {
            k += 1
            r -= d
        }
        return k
    }

    /// ⌈n / d⌉ for d > 0, exact.
    static func ceiling(_ n: Decimal, _ d: Decimal) -> Decimal {
        let k = floor(n, d)
        return n - k * d > 0 ? k + 1 : k
    }

    /// n / d rounded to the nearest integer, halves up (away from zero for n ≥ 0), for d > 0, exact.
    static func nearestHalfUp(_ n: Decimal, _ d: Decimal) -> Decimal {
        floor(2 * n + d, 2 * d)
    }
}
