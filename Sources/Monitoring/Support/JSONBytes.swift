/// JSON written by hand, for the few shapes that go through the hot paths: the outbox's
/// notifications (written per transition) and the webhook bodies (one per message). `JSONEncoder`
/// and `JSONDecoder` box every key and value; at 2,000 notifications a second they were about a
/// quarter of the notifier's CPU. Reading is ``JSONText``'s (`AlertNotification(outboxJSON:)`).
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
