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
    ///
    /// What a `Decimal` cannot hold is NaN, for the callers to refuse: NaN, ±infinity (Foundation's
    /// `Decimal(Double)` traps on them, and its parser reads `-inf` as 0) and magnitudes beyond about
    /// 3.4 × 10¹⁶⁵. A magnitude below its smallest (10⁻¹²⁸) is 0.
    public init(shortestOf value: Double) {
        guard value.isFinite else {
            self = .nan
            return
        }
        let text = "\(value)"
        // The digits of the shortest form read straight into a significand and an exponent: Foundation's
        // parser costs ~1 µs a value (an overview indexes a thousand sites' days, a month's hourly AQI
        // some 4,500 hours). Zero, and anything but plain digits, go through the parser.
        if let parsed = Self.parsedShortest(text) {
            self = parsed
        } else if let parsed = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) {
            self = parsed
        } else {
            let binary = Decimal(value)
            self = binary.isNaN && value.magnitude < 1 ? 0 : binary
        }
    }

    /// `-12.345e-7` and the like (what a `Double` prints) as an exact decimal; `nil` for zero, for more
    /// than 19 digits, for an exponent beyond ±100 and for anything else (`inf`, `nan`).
    static func parsedShortest(_ text: String) -> Decimal? {
        var negative = false
        var significand: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var inFraction = false
        var exponent = 0
        var bytes = text.utf8.makeIterator()
        var next = bytes.next()
        if next == UInt8(ascii: "-") {
            negative = true
            next = bytes.next()
        }
        while let c = next, c != UInt8(ascii: "e") {
            if c == UInt8(ascii: "."), !inFraction {
                inFraction = true
            } else if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                if significand > 0 || c != UInt8(ascii: "0") { digits += 1 }
                guard digits <= 19 else { return nil }
                significand = significand * 10 + UInt64(c - UInt8(ascii: "0"))
                if inFraction { fractionDigits += 1 }
            } else {
                return nil
            }
            next = bytes.next()
        }
        if next == UInt8(ascii: "e") {
            var exponentNegative = false
            var exponentDigits = 0
            next = bytes.next()
            if next == UInt8(ascii: "-") || next == UInt8(ascii: "+") {
                exponentNegative = next == UInt8(ascii: "-")
                next = bytes.next()
            }
            while let c = next {
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), exponentDigits < 4 else { return nil }
                exponent = exponent * 10 + Int(c - UInt8(ascii: "0"))
                exponentDigits += 1
                next = bytes.next()
            }
            guard exponentDigits > 0 else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        // Zero, and exponents beyond what a Decimal holds without rounding (a Double reaches 1e-324 and 1e308).
        guard significand > 0, (-100...100).contains(exponent - fractionDigits) else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent - fractionDigits, significand: Decimal(significand))
    }

    /// This value rounded to `scale` decimals with `mode` (`.bankers` is GB/T 8170's rule, `.down` truncates).
    func rounded(_ scale: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var source = self
        var result = Decimal()
        NSDecimalRound(&result, &source, scale, mode)
        return result
    }

    /// The value as an `Int`, or `nil` when it is not a whole number, is NaN or is beyond `Int`'s range
    /// (`NSDecimalNumber`'s `intValue` wraps those around).
    var exactIntValue: Int? {
        guard !isNaN, self >= Decimal(Int.min), self <= Decimal(Int.max), self == rounded(0, .down) else { return nil }
        return Int(exactly: NSDecimalNumber(decimal: self).int64Value)
    }

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
