import Monitoring

/// Allocation-free byte-level helpers of the HJ 212 decoder.
enum HJ212Scan {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let hash = UInt8(ascii: "#")
    static let amp = UInt8(ascii: "&")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let equals = UInt8(ascii: "=")
    static let dash = UInt8(ascii: "-")
    static let slash = UInt8(ascii: "/")

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// Whether `needle` occurs in `bytes`: a plain byte search (the standard library's substring
    /// search on `String` goes through the string-processing machinery and showed in profiles of
    /// the encoder).
    static func contains(_ bytes: some Collection<UInt8>, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return true }
        return needle.withUTF8Buffer { pattern in
            let first = pattern[0]
            var window = bytes.startIndex
            while window != bytes.endIndex {
                if bytes[window] == first {
                    var i = window
                    var k = 0
                    while k < n, i != bytes.endIndex, bytes[i] == pattern[k] {
                        bytes.formIndex(after: &i)
                        k += 1
                    }
                    if k == n { return true }
                }
                bytes.formIndex(after: &window)
            }
            return false
        }
    }

    /// The value of a hex digit (either case), or `nil`.
    @inline(__always) static func hexValue(_ c: UInt8) -> UInt16? {
        if c &- 0x30 < 10 { return UInt16(c &- 0x30) }
        let l = c | 0x20
        if l &- 0x61 < 6 { return UInt16(l &- 0x61 + 10) }
        return nil
    }

    /// A non-negative decimal integer of 1…9 digits, or `nil`.
    static func parseUInt(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        guard end > start, end - start <= 9 else { return nil }
        var v = 0
        for i in start..<end {
            let c = p[i]
            guard isDigit(c) else { return nil }
            v = v * 10 + Int(c &- 0x30)
        }
        return v
    }

    /// The lowercased code packed into 56 bits with its length in the top byte, for codes of up to
    /// seven bytes; longer codes share a key with others of the same prefix and length.
    @inline(__always) static func codeKey(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt64 {
        let n = end - start
        var key: UInt64 = 0
        var i = 0
        while i < n && i < 7 {
            var c = p[start + i]
            if c &- 0x41 < 26 { c |= 0x20 }
            key |= UInt64(c) << (8 * UInt64(i))
            i += 1
        }
        return key | UInt64(Swift.min(n, 255)) << 56
    }

    /// The key of a code given as text (see ``codeKey(_:_:_:)``).
    static func codeKey(_ text: String) -> UInt64 {
        var copy = text
        return copy.withUTF8 { codeKey($0, 0, $0.count) }
    }

    /// 10^k for k in 0…22, all exact in a `Double` (a switch, so no lazily initialised global).
    @inline(__always) static func exactPower(_ k: Int) -> Double {
        switch k {
        case 0: 1
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The bytes of `w` equal to the byte repeated in `pattern`, as their high bits (exact for the lowest one).
    @inline(__always) private static func matches(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- ones) & ~x & highs
    }

    /// The index of the first `;` or `,` in `p[from..<end]`, or `end`; eight bytes at a time.
    @inline(__always) static func firstSeparator(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var i = from
        if let base = p.baseAddress {
            while i + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let hit = matches(w, 0x3B3B_3B3B_3B3B_3B3B) | matches(w, 0x2C2C_2C2C_2C2C_2C2C)
                if hit != 0 { return i + hit.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end && p[i] != semicolon && p[i] != comma { i += 1 }
        return i
    }

    /// The index of the first `;`, `,`, `=` or `-` in `p[from..<end]`, or `end`; eight bytes at a time.
    @inline(__always) static func firstKeyStop(_ p: UnsafeBufferPointer<UInt8>, _ from: Int, _ end: Int) -> Int {
        var i = from
        if let base = p.baseAddress {
            while i + 8 <= end {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let hit = matches(w, 0x3B3B_3B3B_3B3B_3B3B) | matches(w, 0x2C2C_2C2C_2C2C_2C2C) | matches(w, 0x3D3D_3D3D_3D3D_3D3D)
                    | matches(w, 0x2D2D_2D2D_2D2D_2D2D)
                if hit != 0 { return i + hit.trailingZeroBitCount >> 3 }
                i += 8
            }
        }
        while i < end {
            let c = p[i]
            if c == semicolon || c == comma || c == equals || c == dash { return i }
            i += 1
        }
        return i
    }

    /// A decimal number (`-12.5`, `0.000`, `+3`, `.5`, `1e3`), or `nil` for anything else.
    ///
    /// Up to 19 significant digits and 22 decimals take an exact fast path (a correctly rounded
    /// division of two exact doubles); everything else goes through the standard library's parser.
    static func parseNumber(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == dash {
            negative = true
            i += 1
        } else if p[i] == UInt8(ascii: "+") {
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var decimals = 0
        var sawDot = false
        var sawDigit = false
        var slow = false
        while i < end {
            let c = p[i]
            if isDigit(c) {
                sawDigit = true
                if sawDot { decimals += 1 }
                if mantissa == 0 && c == 0x30 {
                    // A leading zero adds no significant digit.
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                    significant += 1
                } else {
                    slow = true
                }
            } else if c == UInt8(ascii: ".") && !sawDot {
                sawDot = true
            } else if c | 0x20 == UInt8(ascii: "e") && sawDigit {
                return parseExponent(p, start, end, from: i + 1)
            } else {
                return nil
            }
            i += 1
        }
        guard sawDigit else { return nil }
        if !slow && mantissa <= 1 << 53 && decimals <= 22 {
            let v = Double(mantissa) / exactPower(decimals)
            return negative ? -v : v
        }
        return standardParse(p, start, end)
    }

    private static func parseExponent(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, from: Int) -> Double? {
        var i = from
        if i < end && (p[i] == dash || p[i] == UInt8(ascii: "+")) { i += 1 }
        guard i < end else { return nil }
        while i < end {
            guard isDigit(p[i]) else { return nil }
            i += 1
        }
        return standardParse(p, start, end)
    }

    private static func standardParse(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard let v = Double(String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)), v.isFinite
        else { return nil }
        return v
    }

    /// A `YYYYMMDDhhmmss` time, optionally followed by three millisecond digits.
    ///
    /// - Returns: the time and the milliseconds (`nil` for 14 digits), or `nil` when the text is not
    ///   14 or 17 digits or not a calendar date and time.
    static func parseTime(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (CivilTime, Int?)? {
        let n = end - start
        guard n == 14 || n == 17 else { return nil }
        for i in start..<end where !isDigit(p[i]) { return nil }
        func num(_ offset: Int, _ width: Int) -> Int {
            var v = 0
            for i in 0..<width { v = v * 10 + Int(p[start + offset + i] &- 0x30) }
            return v
        }
        let time = CivilTime(year: num(0, 4), month: num(4, 2), day: num(6, 2), hour: num(8, 2), minute: num(10, 2), second: num(12, 2))
        guard time.isValid else { return nil }
        return (time, n == 17 ? num(14, 3) : nil)
    }

    /// The text of a byte range.
    @inline(__always) static func string(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
    }
}
