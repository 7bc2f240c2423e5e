import Foundation

/// A decimal as an integer and a power of ten, `significand × 10^exponent`, for exact integer arithmetic.
///
/// The AQI's breakpoints are decimals of a few digits and its roundings are decimal, so on scaled integers
/// they are exact, as they are in `Decimal`, at a fraction of the cost: one `Decimal` division costs about
/// 2 µs, reading a decimal's parts about 70 ns, the integer arithmetic a few. Values whose parts do not fit
/// (a significand beyond 63 bits, exponents too far apart) give `nil`, and the callers keep their `Decimal`
/// path for them.
struct ScaledDecimal: Hashable {
    /// The integer, signed.
    var significand: Int64
    /// The power of ten.
    var exponent: Int

    /// A scaled decimal from its parts.
    init(significand: Int64, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The exact parts of `value`, or `nil` when its significand does not fit in an `Int64` (or it is NaN).
    ///
    /// Checked by building the decimal back from the parts: whatever `NSDecimalNumber` does with a significand
    /// it cannot hold, a value that does not come back equal is refused.
    init?(_ value: Decimal) {
        let magnitude = NSDecimalNumber(decimal: value.significand).uint64Value
        guard magnitude <= UInt64(Int64.max),
            Decimal(sign: value.sign, exponent: value.exponent, significand: Decimal(magnitude)) == value
        else { return nil }
        significand = value.sign == .minus ? -Int64(magnitude) : Int64(magnitude)
        exponent = value.exponent
    }

    /// The value as a `Decimal`.
    var decimal: Decimal {
        Decimal(sign: significand < 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand.magnitude))
    }

    /// The largest magnitude ``scaled(to:)`` returns: products by an index range (at most a few hundred) and
    /// doublings stay far inside `Int128`.
    private static let scaledLimit: Int128 = {
        var v: Int128 = 1
        for _ in 0..<34 { v *= 10 }
        return v
    }()

    /// The value in units of `10^e` (`e` ≤ ``exponent``), or `nil` when that is beyond 10^34 in magnitude.
    func scaled(to e: Int) -> Int128? {
        var v = Int128(significand)
        var k = exponent - e
        guard k >= 0, k <= 40 else { return nil }
        while k > 0 {
            v *= 10
            guard v.magnitude <= Self.scaledLimit.magnitude else { return nil }
            k -= 1
        }
        return v
    }

    /// `self ≤ other`, or `nil` when the two cannot be brought to one scale.
    func isAtMost(_ other: ScaledDecimal) -> Bool? {
        let e = min(exponent, other.exponent)
        guard let a = scaled(to: e), let b = other.scaled(to: e) else { return nil }
        return a <= b
    }

    /// This value rounded to `decimals` places, halves to even (GB/T 8170), or `nil` for a negative value or
    /// one with more than 18 places to drop. A value with `decimals` places or fewer is returned as it is.
    func roundedHalfEven(toDecimals decimals: Int) -> ScaledDecimal? {
        guard significand >= 0 else { return nil }
        let drop = -decimals - exponent
        guard drop > 0 else { return self }
        guard drop <= 18 else { return nil }
        var divisor: Int64 = 1
        for _ in 0..<drop { divisor *= 10 }
        var q = significand / divisor
        let twice = (significand % divisor) * 2
        if twice > divisor || (twice == divisor && q % 2 == 1) { q += 1 }
        return ScaledDecimal(significand: q, exponent: -decimals)
    }
}

/// Integer quotients of `Int128`s that round as the AQI's rules do.
enum ScaledDivision {
    /// ⌊n / d⌋ for d > 0.
    static func floor(_ n: Int128, _ d: Int128) -> Int128 {
        let q = n / d
        return n % d != 0 && n < 0 ? q - 1 : q
    }

    /// ⌈n / d⌉ for d > 0.
    static func ceiling(_ n: Int128, _ d: Int128) -> Int128 {
        -floor(-n, d)
    }

    /// n / d rounded to the nearest integer, halves up, for d > 0.
    static func nearestHalfUp(_ n: Int128, _ d: Int128) -> Int128 {
        floor(2 * n + d, 2 * d)
    }
}
