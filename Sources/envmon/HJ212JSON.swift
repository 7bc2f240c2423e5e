import Collectors
import Monitoring
import Reports

/// The JSON form of decoded HJ 212 packets, shared by `hj212 decode` and `hj212 encode`.
enum HJ212JSON {
    /// The object `hj212 decode` prints for a packet.
    static func object(for d: HJ212Decoded) -> JSONText {
        func str(_ s: String?) -> JSONText { s.map(JSONText.string) ?? .null }
        func int(_ i: Int?) -> JSONText { i.map { .number(String($0)) } ?? .null }
        var dataTime: JSONText = .null
        if let t = d.dataTime {
            dataTime = .string(t.description + (d.dataTimeMilliseconds.map { "." + pad3($0) } ?? ""))
        }
        return .object([
            ("crc_ok", .bool(d.crcOK)),
            ("crc_sent", str(d.frame.crcText)),
            ("crc_expected", .string(HJ212CRC.hex(d.crcExpected))),
            ("crc_variant", .string(d.crcVariant.rawValue)),
            ("length_ok", .bool(d.lengthOK)),
            ("version", .string(d.version.description)),
            ("st", str(d.st)),
            ("cn", str(d.cn)),
            ("qn", str(d.qn)),
            ("pw", str(d.pw)),
            ("mn", str(d.mn)),
            ("flag", int(d.flag)),
            ("pnum", int(d.frame.pnum)),
            ("pno", int(d.frame.pno)),
            ("ack_required", .bool(d.ackRequired)),
            ("data_time", dataTime),
            ("entries", .array(d.entries.map { .object([("name", .string($0.name)), ("value", .string($0.text))]) })),
            ("values", .array(d.values.map(value))),
            ("deviations", .array(d.deviations.names.map(JSONText.string))),
            ("errors", .array(d.errors.map(JSONText.string))),
        ])
    }

    private static func value(_ v: HJ212Value) -> JSONText {
        let text = v.text
        let value: JSONText
        if let number = v.number {
            value = JSONText.isNumberLiteral(text) ? .number(text) : .number(String(number))
        } else {
            value = .string(text)
        }
        return .object([
            ("code", .string(v.code)),
            ("parameter", v.parameter.map(JSONText.string) ?? .null),
            ("field", .string(v.field.name)),
            ("value", value),
            ("flag", v.flag.map { .string($0.rawValue) } ?? .null),
        ])
    }

    /// The frame for an object of the form ``object(for:)`` prints.
    static func frame(from json: JSONText) throws -> [UInt8] {
        guard case .object = json else { throw CLIError("expected a JSON object") }
        func string(_ key: String) throws -> String? {
            switch json[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            case .number(let n)?: return n
            default: throw CLIError("'\(key)' must be a string")
            }
        }
        func int(_ key: String) throws -> Int? {
            switch json[key] {
            case nil, .null?: return nil
            case .number(let n)?: if let i = Int(n) { return i }
            case .string(let s)?: if let i = Int(s) { return i }
            default: break
            }
            throw CLIError("'\(key)' must be an integer")
        }
        let header = HJ212Header(
            qn: try string("qn"), st: try string("st"), cn: try string("cn"), pw: try string("pw"), mn: try string("mn"),
            flag: try int("flag"), pnum: try int("pnum"), pno: try int("pno"))
        var dataTime: CivilTime?
        var milliseconds: Int?
        if let text = try string("data_time") {
            guard let parsed = parseTime(text) else { throw CLIError("data_time '\(text)' is not YYYY-MM-DDTHH:MM:SS[.mmm]") }
            (dataTime, milliseconds) = parsed
        }
        var entries: [HJ212Entry] = []
        if case .array(let items)? = json["entries"] {
            for item in items {
                guard case .string(let name)? = item["name"], let text = scalarText(item["value"]) else {
                    throw CLIError("each of 'entries' needs a string 'name' and a 'value'")
                }
                entries.append(HJ212Entry(name: name, text: text))
            }
        }
        var values: [HJ212Value] = []
        if case .array(let items)? = json["values"] {
            for item in items {
                guard case .string(let code)? = item["code"], case .string(let field)? = item["field"], let text = scalarText(item["value"])
                else { throw CLIError("each of 'values' needs a string 'code' and 'field' and a 'value'") }
                var flag: DataFlag?
                if case .string(let letter)? = item["flag"] {
                    guard let f = DataFlag(letter: letter) else { throw CLIError("flag '\(letter)' is not a data flag letter") }
                    flag = f
                }
                values.append(HJ212Value(code: code, field: HJ212Field(name: field), text: text, flag: flag))
            }
        }
        let cp = try HJ212Encoder.cp(dataTime: dataTime, milliseconds: milliseconds, entries: entries, values: values)
        return try HJ212Encoder.frame(header, cp: cp)
    }

    private static func scalarText(_ value: JSONText?) -> String? {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n
        default: nil
        }
    }

    /// `YYYY-MM-DDTHH:MM:SS` with optional `.mmm`, or the HJ 212 digits `YYYYMMDDhhmmss[mmm]`.
    static func parseTime(_ text: String) -> (CivilTime, Int?)? {
        let digits = text.filter(\.isNumber)
        let allowed = text.allSatisfy { $0.isNumber || "-T:. ".contains($0) }
        guard allowed, digits.count == 14 || digits.count == 17, digits.allSatisfy(\.isASCII) else { return nil }
        let d = Array(digits).map { Int(String($0))! }
        func num(_ at: Int, _ width: Int) -> Int { d[at..<(at + width)].reduce(0) { $0 * 10 + $1 } }
        let time = CivilTime(year: num(0, 4), month: num(4, 2), day: num(6, 2), hour: num(8, 2), minute: num(10, 2), second: num(12, 2))
        guard time.isValid else { return nil }
        return (time, digits.count == 17 ? num(14, 3) : nil)
    }

    private static func pad3(_ v: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: Swift.max(0, 3 - s.count)) + s
    }
}
