import Foundation

/// Numbers read straight from a field's bytes, without making a `String` of it.
enum CSVNumber {
    /// A decimal integer (an optional `-`, then at most 11 digits), or `nil`.
    static func int(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count < 12 else { return nil }
        var v = 0
        var i = 0
        let negative = bytes[0] == 45
        if negative {
            i = 1
            if bytes.count == 1 { return nil }
        }
        while i < bytes.count {
            let d = bytes[i] &- 48
            guard d <= 9 else { return nil }
            v = v * 10 + Int(d)
            i += 1
        }
        return negative ? -v : v
    }

    /// A finite number as C's `strtod` reads it, trailing spaces allowed, or `nil`.
    ///
    /// Plain decimals of up to 15 digits (`-12.345`), nearly every value in a data file, are
    /// computed here: the digits as an integer are exact in a `Double`, and so is a power of ten
    /// up to 10^22, so one division gives the correctly rounded value, the same as `strtod`'s.
    /// Anything else (exponents, more digits, hexadecimal, `inf`, leading white space) goes to
    /// `strtod` itself.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0, n < 64 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == 45 || bytes[0] == 43 {
            negative = bytes[0] == 45
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        while i < n, bytes[i] &- 48 <= 9 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
            digits += 1
            i += 1
        }
        if i < n, bytes[i] == 46 {
            i += 1
            while i < n, bytes[i] &- 48 <= 9 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 48)
                digits += 1
                fraction += 1
                i += 1
            }
        }
        var rest = i
        while rest < n, bytes[rest] == 32 { rest += 1 }
        guard digits > 0, digits <= 15, rest == n else { return strtodDouble(bytes) }
        let magnitude = fraction == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fraction]
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { v, _ in v * 10 } }

    private static func strtodDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let value = withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { text -> Double? in
            for k in 0..<bytes.count { text[k] = CChar(bitPattern: bytes[k]) }
            text[bytes.count] = 0
            let base = text.baseAddress!
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &end)
            guard var e = end, e != base else { return nil }
            // Trailing spaces are tolerated, nothing else after the number is.
            while e.pointee == 32 { e += 1 }
            return e.pointee == 0 ? v : nil
        }
        guard let value, value.isFinite else { return nil }
        return value
    }
}
