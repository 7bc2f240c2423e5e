/// The float field values of line protocol: `[-]digits[.digits][(e|E)[+|-]digits]` (a leading or
/// trailing point alone is allowed: `.5`, `1.`), finite. Plain decimals of up to 15 digits — what
/// field units send — are computed exactly from their digits; the rest go to the standard library.
enum LineNumber {
    /// Powers of ten that a `Double` holds exactly.
    private static let powers: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    /// The number written in `base[start..<end]`, or nil when it is not one (or not finite).
    static func float(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        let negative = i < end && base[i] == 0x2D
        if negative || (i < end && base[i] == 0x2B) { i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = 0
        var sawPoint = false
        var simple = true
        while i < end {
            let c = base[i]
            let d = c &- 0x30
            if d < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(d) }
                digits += 1
                if sawPoint { fraction += 1 }
            } else if c == 0x2E && !sawPoint {
                sawPoint = true
            } else if c == 0x65 || c == 0x45 {
                simple = false
                break
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        if simple && digits <= 15 && fraction <= 22 {
            let v = Double(mantissa) / powers[fraction]
            return negative ? -v : v
        }
        // An exponent (checked here: sign, then at least one digit) or many digits.
        if !simple {
            var j = i + 1
            if j < end && (base[j] == 0x2B || base[j] == 0x2D) { j += 1 }
            guard j < end else { return nil }
            while j < end {
                guard base[j] &- 0x30 < 10 else { return nil }
                j += 1
            }
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)
        guard let v = Double(text), v.isFinite else { return nil }
        return v
    }
}
