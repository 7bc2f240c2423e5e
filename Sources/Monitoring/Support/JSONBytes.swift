/// JSON written and read by hand, for the few shapes that go through the hot paths: the outbox's
/// notifications (written per transition, read per routing and per claim) and the webhook bodies
/// (one per message). `JSONEncoder` and `JSONDecoder` box every key and value; at 2,000
/// notifications a second they were about a quarter of the notifier's CPU.
///
/// The output is what `JSONEncoder` with `.sortedKeys` writes for the same values: strings
/// escaped as it escapes them (`/` too, unless told not to), object keys in the order of their
/// UTF-8 bytes.
public enum JSONBytes {
    private static let hex = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal.
    public static func append(quoted text: String, to out: inout [UInt8], escapingSlashes: Bool = true) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "/"):
                if escapingSlashes { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0..<0x20:
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                // Bytes of 0x80 and above are parts of UTF-8 sequences: they go through as they are.
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a map of strings as a JSON object, keys sorted by their UTF-8 bytes.
    public static func append(_ object: [String: String], to out: inout [UInt8], escapingSlashes: Bool = true) {
        out.append(UInt8(ascii: "{"))
        for (i, entry) in object.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(quoted: entry.key, to: &out, escapingSlashes: escapingSlashes)
            out.append(UInt8(ascii: ":"))
            append(quoted: entry.value, to: &out, escapingSlashes: escapingSlashes)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends raw ASCII (keys, punctuation, numbers).
    public static func append(raw text: String, to out: inout [UInt8]) { out.append(contentsOf: text.utf8) }
}

extension JSONBytes {
    /// A reader of one JSON text, value by value: objects, strings, integers, `null`, `true`,
    /// `false`. Whatever else (fractions, arrays, malformed text) makes it throw, and the caller
    /// falls back to `JSONDecoder`, so an unusual but valid payload is still read.
    public struct Reader {
        /// Why the reader stopped.
        public struct Unreadable: Error {
            /// An unreadable text.
            public init() {}
        }

        private let bytes: [UInt8]
        private var at = 0

        /// A reader at the start of `text`.
        public init(_ text: String) { bytes = Array(text.utf8) }

        private mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
        }

        private mutating func expect(_ byte: UInt8) throws {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { throw Unreadable() }
            at += 1
        }

        /// Reads an object, calling `field` with each key; `field` must read the key's value.
        public mutating func object(_ field: (String, inout Reader) throws -> Void) throws {
            try expect(UInt8(ascii: "{"))
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") { at += 1; return }
            while true {
                let key = try string()
                try expect(UInt8(ascii: ":"))
                try field(key, &self)
                skipSpace()
                guard at < bytes.count else { throw Unreadable() }
                if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                if bytes[at] == UInt8(ascii: "}") { at += 1; return }
                throw Unreadable()
            }
        }

        /// Reads an object whose values are all strings.
        public mutating func stringMap() throws -> [String: String] {
            var out: [String: String] = [:]
            try object { key, r in out[key] = try r.string() }
            return out
        }

        /// Whether the next value is `null` (then read).
        public mutating func null() -> Bool {
            skipSpace()
            guard bytes.count - at >= 4, bytes[at] == UInt8(ascii: "n"), bytes[at + 1] == UInt8(ascii: "u"),
                bytes[at + 2] == UInt8(ascii: "l"), bytes[at + 3] == UInt8(ascii: "l")
            else { return false }
            at += 4
            return true
        }

        /// Reads an integer (no fraction, no exponent).
        public mutating func integer() throws -> Int64 {
            skipSpace()
            var negative = false
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { negative = true; at += 1 }
            let start = at
            // Summed as a negative number: Int64.min has no positive counterpart.
            var value: Int64 = 0
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(Int64(bytes[at] - 0x30))
                guard !o1, !o2 else { throw Unreadable() }
                value = s
                at += 1
            }
            guard at > start else { throw Unreadable() }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") || bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
                throw Unreadable()
            }
            if negative { return value }
            guard value != .min else { throw Unreadable() }
            return -value
        }

        /// Reads a string, escapes resolved.
        public mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""))
            let start = at
            // The common case: no escape, the bytes as they are.
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") {
                guard bytes[at] >= 0x20 else { throw Unreadable() }
                at += 1
            }
            guard at < bytes.count else { throw Unreadable() }
            if bytes[at] == UInt8(ascii: "\"") {
                defer { at += 1 }
                return String(decoding: bytes[start..<at], as: UTF8.self)
            }
            var out = Array(bytes[start..<at])
            while true {
                guard at < bytes.count else { throw Unreadable() }
                let byte = bytes[at]
                at += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard at < bytes.count else { throw Unreadable() }
                    let e = bytes[at]
                    at += 1
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
                            // A surrogate pair: the low half must follow.
                            guard bytes.count - at >= 6, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else { throw Unreadable() }
                            at += 2
                            let low = try hex4()
                            guard (0xDC00..<0xE000).contains(low) else { throw Unreadable() }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let s = Unicode.Scalar(scalar) else { throw Unreadable() }
                        out.append(contentsOf: String(Character(s)).utf8)
                    default: throw Unreadable()
                    }
                default:
                    guard byte >= 0x20 else { throw Unreadable() }
                    out.append(byte)
                }
            }
        }

        private mutating func hex4() throws -> UInt32 {
            guard bytes.count - at >= 4 else { throw Unreadable() }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[at]
                at += 1
                switch b {
                case 0x30...0x39: v = v << 4 | UInt32(b - 0x30)
                case 0x41...0x46: v = v << 4 | UInt32(b - 0x41 + 10)
                case 0x61...0x66: v = v << 4 | UInt32(b - 0x61 + 10)
                default: throw Unreadable()
                }
            }
            return v
        }

        /// Throws unless only white space is left.
        public mutating func end() throws {
            skipSpace()
            guard at == bytes.count else { throw Unreadable() }
        }
    }
}
