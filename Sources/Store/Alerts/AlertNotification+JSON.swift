extension AlertNotification {
    /// The outbox payload: JSON that `JSONDecoder` reads back as this notification, keys sorted
    /// (so the same notification always gives the same bytes), written by hand. A busy feed
    /// queues thousands of notifications a second, and `JSONEncoder`'s boxing of every key and
    /// value was about a tenth of the rule engine's cost.
    public var json: String {
        var out: [UInt8] = []
        out.reserveCapacity(512)
        Self.append("{\"annotations\":", to: &out)
        Self.append(annotations, to: &out)
        if let endsAt { Self.append(",\"endsAt\":\(endsAt)", to: &out) }
        Self.append(",\"idempotencyKey\":", to: &out)
        Self.append(quoted: idempotencyKey, to: &out)
        Self.append(",\"labels\":", to: &out)
        Self.append(labels, to: &out)
        Self.append(",\"severity\":", to: &out)
        Self.append(quoted: severity.rawValue, to: &out)
        Self.append(",\"startsAt\":\(startsAt),\"status\":", to: &out)
        Self.append(quoted: status.rawValue, to: &out)
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ raw: String, to out: inout [UInt8]) { out.append(contentsOf: raw.utf8) }

    private static func append(_ dictionary: [String: String], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        // By UTF-8 bytes (the order of code points): total, and independent of the locale.
        for (i, entry) in dictionary.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            append(quoted: entry.key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(quoted: entry.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string literal, escaped as `JSONEncoder` escapes (`/` included). Bytes of 0x80 and
    /// above are parts of UTF-8 sequences and go through as they are.
    private static func append(quoted text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                out.append(UInt8(ascii: "\\"))
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
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
