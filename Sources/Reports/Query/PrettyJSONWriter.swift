/// Writes JSON text in exactly the form `JSONSerialization` gives with `.prettyPrinted` and
/// `.sortedKeys` (two-space indents, `"key" : value`, `/` escaped, a whole Double without `.0`),
/// straight into a string: a year of hourly rows took `JSONSerialization` 1.2–2.4 s, most of it
/// bridging a dictionary per row. Members must be given in sorted order.
struct PrettyJSONWriter {
    /// A value.
    enum Value {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case null
    }

    private(set) var text = ""

    init(capacity: Int) { text.reserveCapacity(capacity) }

    private mutating func indent(_ level: Int) {
        for _ in 0..<level { text += "  " }
    }

    /// `"key" : ` at `level`.
    mutating func key(_ key: String, level: Int) {
        indent(level)
        Self.quote(key, into: &text)
        text += " : "
    }

    /// An object of scalar members, at `level` (its braces included), members sorted.
    mutating func object(_ members: [(String, Value)], level: Int) {
        indent(level)
        text += "{\n"
        for (i, (k, v)) in members.enumerated() {
            key(k, level: level + 1)
            value(v)
            text += i == members.count - 1 ? "\n" : ",\n"
        }
        indent(level)
        text += "}"
    }

    mutating func value(_ v: Value) {
        switch v {
        case .string(let s): Self.quote(s, into: &text)
        case .int(let n): text += String(n)
        case .double(let d):
            // As swift-corelibs-foundation's writer: the shortest description, `.0` dropped.
            if d == d.rounded(), abs(d) < 1e15, d != 0 || d.sign == .plus {
                text += String(Int64(d))
            } else {
                let s = d.description
                text += s.hasSuffix(".0") ? String(s.dropLast(2)) : s
            }
        case .bool(let b): text += b ? "true" : "false"
        case .null: text += "null"
        }
    }

    mutating func raw(_ s: String) { text += s }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{c}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
