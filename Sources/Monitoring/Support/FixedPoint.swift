public import Foundation

/// Numbers with a fixed count of decimals, as C's `printf("%.*f")` prints them.
public enum FixedPoint {
    /// A whole number without a fraction (`90`, not `90.0`), any other in Swift's shortest form
    /// that reads back to the same Double (`0.8`): how limits, targets and JSON numbers print.
    public static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }

    /// Appends ``plain(_:)`` of `value` to `out` as UTF-8 (a whole number's digits without
    /// making a string).
    public static func appendPlain(_ value: Double, to out: inout [UInt8]) {
        guard value == value.rounded(), abs(value) < 1e15 else {
            out.append(contentsOf: value.description.utf8)
            return
        }
        var n = Int64(value)
        if n < 0 { out.append(UInt8(ascii: "-")) }
        if n == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        let start = out.count
        while n != 0 {
            out.append(UInt8(ascii: "0") + UInt8(abs(n % 10)))
            n /= 10
        }
        out[start...].reverse()
    }

    /// `value` with `digits` decimals, exactly as `String(format: "%.<digits>f", value)`: the
    /// binary value itself rounded half to even, the sign of a negative value kept (`-0.00`).
    ///
    /// Computed in integers for up to 3 decimals and magnitudes below 10¹⁵ (a query's table
    /// prints one a row, and `String(format:)` cost half a microsecond or more a call); other
    /// values go through `String(format:)`.
    public static func format(_ value: Double, digits: Int) -> String {
        guard (0...3).contains(digits), value.isFinite, value.magnitude < 1e15 else {
            return String(format: "%.\(digits)f", value)
        }
        let scale = [1, 10, 100, 1_000][digits] as UInt64
        // value = m × 2^-shift exactly; below 10¹⁵ < 2⁵⁰ every normal value has shift ≥ 3.
        let m: UInt64
        let shift: Int
        if value.isZero {
            (m, shift) = (0, 1)
        } else if value.isSubnormal {
            (m, shift) = (value.significandBitPattern, 1_074)
        } else {
            (m, shift) = (value.significandBitPattern | (1 << 52), 52 - Int(value.exponent))
        }
        // m × scale < 2⁵³ × 2¹⁰ = 2⁶³: no overflow. Round m × scale / 2^shift half to even.
        let x = m * scale
        var q: UInt64 = 0
        if shift < 64 {
            q = x >> UInt64(shift)
            let rest = x & ((1 << UInt64(shift)) - 1)
            let half: UInt64 = 1 << UInt64(shift - 1)
            if rest > half || (rest == half && q & 1 == 1) { q += 1 }
        }  // else x < 2⁶³ ≤ half: rounds to 0
        // Digits from the right into one buffer: sign, at most 19 digits, the point.
        return String(unsafeUninitializedCapacity: 24) { b in
            var digitsLeft = digits
            var n = q
            var i = 24
            repeat {
                i -= 1
                b[i] = UInt8(48 + n % 10)
                n /= 10
                digitsLeft -= 1
                if digitsLeft == 0 {
                    i -= 1
                    b[i] = UInt8(ascii: ".")
                }
            } while n > 0 || digitsLeft >= 0
            if value.sign == .minus {
                i -= 1
                b[i] = UInt8(ascii: "-")
            }
            let count = 24 - i
            if i > 0 { memmove(b.baseAddress!, b.baseAddress! + i, count) }
            return count
        }
    }
}
