/// A JSON value that keeps number literals as written, so `0.000` stays `0.000` through a round trip.
///
/// The code base's one hand-written JSON reader: reports and commands build and print their JSON
/// with it, and the notifier reads outbox payloads with it on its hot path, so ``parse(utf8:)``
/// reads bytes in place, without copying them or going through Foundation.
public enum JSONText: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number literal, verbatim.
    case number(String)
    case string(String)
    case array([JSONText])
    /// Members in document order.
    case object([(String, JSONText)])

    public static func == (a: JSONText, b: JSONText) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    /// The member `key` of an object (the first, if repeated).
    public subscript(key: String) -> JSONText? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    /// The value of a number literal that is an integer (no fraction, no exponent) within `Int64`, else `nil`.
    ///
    /// `1.0` and `1e3` are not integers here: a caller that wants them goes its own way (or to `JSONDecoder`).
    public var int64Value: Int64? {
        guard case .number(let literal) = self else { return nil }
        var negative = false
        var digits = 0
        // Summed as a negative number: Int64.min has no positive counterpart.
        var value: Int64 = 0
        for byte in literal.utf8 {
            if byte == UInt8(ascii: "-"), digits == 0, !negative {
                negative = true
                continue
            }
            guard byte &- 0x30 < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.subtractingReportingOverflow(Int64(byte &- 0x30))
            guard !o1, !o2 else { return nil }
            value = s
            digits += 1
        }
        guard digits > 0 else { return nil }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// The value of a number literal as the nearest `Double`, else `nil`.
    public var doubleValue: Double? {
        guard case .number(let literal) = self else { return nil }
        return Double(literal)
    }

    /// Parses one JSON text.
    public static func parse(_ text: String) throws -> JSONText {
        var text = text
        return try text.withUTF8 { try parse(utf8: $0) }
    }

    /// Parses one JSON text from its UTF-8 bytes, read in place.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws -> JSONText {
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.i == parser.bytes.count else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    /// Parses one JSON text from its UTF-8 bytes, read in place.
    public static func parse(utf8 bytes: UnsafeRawBufferPointer) throws -> JSONText {
        try bytes.withMemoryRebound(to: UInt8.self) { try parse(utf8: $0) }
    }

    /// Whether `text` is a JSON number literal.
    public static func isNumberLiteral(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            guard (try? parser.number()) != nil else { return false }
            return parser.i == parser.bytes.count
        }
    }

    /// The compact JSON text of the value.
    public var rendered: String {
        var out = ""
        render(into: &out)
        return out
    }

    public func render(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSONText.quote(s, into: &out)
        case .array(let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                item.render(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSONText.quote(key, into: &out)
                out += ":"
                value.render(into: &out)
            }
            out += "}"
        }
    }

    public static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A reader over bytes that outlive it (the caller's buffer, for the length of ``parse(utf8:)``).
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

        func error(_ message: String) -> ParseError { ParseError(description: "\(message) at byte \(i + 1)") }

        mutating func skipSpace() {
            while i < bytes.count {
                switch bytes[i] {
                case 0x20, 0x09, 0x0A, 0x0D: i += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> JSONText {
            guard depth < 64 else { throw error("JSON nested too deeply") }
            guard i < bytes.count else { throw error("unexpected end of JSON") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, JSONText)] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(members)
                }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    members.append((key, try value(depth: depth + 1)))
                    skipSpace()
                    if try separatorOrEnd("}") { return .object(members) }
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [JSONText] = []
                skipSpace()
                if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(items)
                }
                while true {
                    skipSpace()
                    items.append(try value(depth: depth + 1))
                    skipSpace()
                    if try separatorOrEnd("]") { return .array(items) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try word("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try word("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try word("null")
                return .null
            default:
                return .number(try number())
            }
        }

        mutating func separatorOrEnd(_ end: Unicode.Scalar) throws -> Bool {
            guard i < bytes.count else { throw error("unexpected end of JSON") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                return false
            }
            if bytes[i] == UInt8(ascii: end) {
                i += 1
                return true
            }
            throw error("expected ',' or '\(end)'")
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            guard i < bytes.count, bytes[i] == UInt8(ascii: c) else { throw error("expected '\(c)'") }
            i += 1
        }

        mutating func word(_ w: StaticString) throws {
            let letters = UnsafeBufferPointer(start: w.utf8Start, count: w.utf8CodeUnitCount)
            for c in letters {
                guard i < bytes.count, bytes[i] == c else { throw error("expected '\(w)'") }
                i += 1
            }
        }

        mutating func number() throws -> String {
            let start = i
            func digits() -> Int {
                let s = i
                while i < bytes.count, bytes[i] &- 0x30 < 10 { i += 1 }
                return i - s
            }
            if i < bytes.count && bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count else { throw error("expected a value") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if digits() == 0 {
                throw error("expected a value")
            }
            if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw error("expected digits after '.'") }
            }
            if i < bytes.count && (bytes[i] | 0x20) == UInt8(ascii: "e") {
                i += 1
                if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
                guard digits() > 0 else { throw error("expected exponent digits") }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
        }

        mutating func string() throws -> String {
            try expect("\"")
            // The common case, no escape: the bytes as they are, decoded once.
            let start = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != UInt8(ascii: "\\"), bytes[i] >= 0x20 { i += 1 }
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)]), as: UTF8.self)
            }
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while true {
                guard i < bytes.count else { throw error("unterminated string") }
                let c = bytes[i]
                i += 1
                if c == UInt8(ascii: "\"") { break }
                if c < 0x20 { throw error("control character in a string") }
                guard c == UInt8(ascii: "\\") else {
                    out.append(c)
                    continue
                }
                guard i < bytes.count else { throw error("unterminated escape") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        try word("\\u")
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    UTF8.encode(u) { out.append($0) }
                default:
                    throw error("invalid escape")
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        mutating func hex4() throws -> UInt32 {
            var v: UInt32 = 0
            for _ in 0..<4 {
                guard i < bytes.count else { throw error("invalid \\u escape") }
                let b = bytes[i]
                let d: UInt8
                switch b {
                case 0x30...0x39: d = b - 0x30
                case 0x41...0x46: d = b - 0x41 + 10
                case 0x61...0x66: d = b - 0x61 + 10
                default: throw error("invalid \\u escape")
                }
                v = v << 4 | UInt32(d)
                i += 1
            }
            return v
        }
    }
}
