import Monitoring

/// The byte-level reader of one line of line protocol (``LineProtocol``): scans the line once,
/// decodes only the names it uses (tags `station`, `parameter`, `kind`; the field keys when they
/// name parameters; the string field `flag`), and appends its readings or its error.
struct LineScanner {
    let base: UnsafePointer<UInt8>
    let precision: LineProtocolPrecision
    let now: Int64
    /// The fields of the line being read, reused from line to line.
    private var fields: [Field] = []
    /// The last `unit` tag read, and its unit: reading a unit's text is string work (variants,
    /// superscripts) that cost a third of the daemon's CPU when an import sent it on every line.
    private var lastUnit: (text: String, unit: MeasurementUnit)?

    private enum Value {
        case number(Double)
        /// A string or boolean: not a number.
        case other

        /// The number, or NaN (refused as `not_a_number`).
        var number: Double {
            if case .number(let n) = self { return n }
            return .nan
        }
    }

    private struct Field {
        var keyStart: Int
        var keyEnd: Int
        var keyEscaped: Bool
        var value: Value
    }

    /// A fault of the line, in InfluxDB's words.
    private struct Fault: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    init(base: UnsafePointer<UInt8>, precision: LineProtocolPrecision, now: Int64) {
        self.base = base
        self.precision = precision
        self.now = now
        fields.reserveCapacity(16)
    }

    private static let comma: UInt8 = 0x2C
    private static let space: UInt8 = 0x20
    private static let equals: UInt8 = 0x3D
    private static let quote: UInt8 = 0x22
    private static let backslash: UInt8 = 0x5C

    mutating func read(line: Int, from start: Int, to end: Int, into batch: inout LineProtocol.Batch) {
        var i = start
        while i < end && (base[i] == Self.space || base[i] == 0x09) { i += 1 }
        if i == end || base[i] == 0x23 { return }  // blank, or a # comment
        batch.points += 1
        do {
            try point(line: line, from: i, to: end, into: &batch)
        } catch {
            let cut = min(end, start + 256)
            batch.errors.append(LineProtocolError(line: line, text: text(start, cut, unescaping: false), reason: error.reason))
        }
    }

    // MARK: - The point

    private mutating func point(line: Int, from start: Int, to end: Int, into batch: inout LineProtocol.Batch) throws(Fault) {
        // The measurement.
        var i = scan(start, end, stopAtEquals: false).end
        if i == start { throw Fault("missing measurement") }
        if i == end { throw Fault("missing fields") }
        // The tags.
        var station: String?
        var parameter: String?
        var kind = SeriesKind.realtime
        var unit: MeasurementUnit?
        while base[i] == Self.comma {
            let keyStart = i + 1
            let key = scan(keyStart, end, stopAtEquals: true)
            if key.end == keyStart { throw Fault("missing tag key") }
            guard key.end < end, base[key.end] == Self.equals else { throw Fault("missing tag value") }
            let valueStart = key.end + 1
            let value = scan(valueStart, end, stopAtEquals: true)
            if value.end == valueStart { throw Fault("missing tag value") }
            if value.end < end && base[value.end] == Self.equals { throw Fault("invalid tag format") }
            if value.end == end { throw Fault("missing fields") }
            switch tagName(keyStart, key.end) {
            case .station: station = text(valueStart, value.end, unescaping: value.escaped)
            case .parameter: parameter = text(valueStart, value.end, unescaping: value.escaped)
            case .kind:
                let name = text(valueStart, value.end, unescaping: value.escaped)
                guard let k = SeriesKind(rawValue: name) else {
                    throw Fault("tag kind=\(name) is not realtime, minute, hour or day")
                }
                kind = k
            case .unit:
                let symbol = text(valueStart, value.end, unescaping: value.escaped)
                if let last = lastUnit, last.text == symbol {
                    unit = last.unit
                } else {
                    guard let u = MeasurementUnit(parsing: symbol) else { throw Fault("tag unit=\(symbol) is not a unit envmon knows") }
                    lastUnit = (symbol, u)
                    unit = u
                }
            case .other: break
            }
            i = value.end
        }
        // The fields.
        while i < end && base[i] == Self.space { i += 1 }
        if i == end { throw Fault("invalid field format") }
        fields.removeAll(keepingCapacity: true)
        var flag: DataFlag?
        while true {
            let keyStart = i
            let key = scan(keyStart, end, stopAtEquals: true)
            if key.end == end || base[key.end] != Self.equals { throw Fault("invalid field format") }
            if key.end == keyStart { throw Fault("missing field key") }
            let valueStart = key.end + 1
            if valueStart == end || base[valueStart] == Self.space || base[valueStart] == Self.comma { throw Fault("missing field value") }
            var value: Value
            if base[valueStart] == Self.quote {
                var j = valueStart + 1
                var escaped = false
                while j < end && base[j] != Self.quote {
                    if base[j] == Self.backslash && j + 1 < end {
                        escaped = true
                        j += 1
                    }
                    j += 1
                }
                if j == end { throw Fault("unbalanced quotes") }
                if isKey("flag", keyStart, key.end) {
                    let letter = stringField(valueStart + 1, j, escaped: escaped)
                    guard let f = DataFlag(letter: letter) else {
                        throw Fault("field flag=\"\(letter)\" is not an HJ 212 data flag (N, F, M, S, D, C, T or B)")
                    }
                    flag = f
                }
                value = .other
                i = j + 1
                if i < end && base[i] != Self.comma && base[i] != Self.space { throw Fault("invalid field format") }
            } else {
                var j = valueStart
                while j < end && base[j] != Self.comma && base[j] != Self.space { j += 1 }
                value = try scalar(valueStart, j)
                i = j
            }
            if !isKey("flag", keyStart, key.end) {
                fields.append(Field(keyStart: keyStart, keyEnd: key.end, keyEscaped: key.escaped, value: value))
            }
            if i < end && base[i] == Self.comma {
                i += 1
                continue
            }
            break
        }
        // The timestamp.
        while i < end && base[i] == Self.space { i += 1 }
        var time = now
        if i < end {
            time = try timestamp(i, end)
        }
        // The readings.
        let station_ = station ?? ""
        let flag_ = flag ?? .normal
        if let parameter {
            guard let field = fields.first(where: { isKey("value", $0.keyStart, $0.keyEnd) }) else {
                throw Fault("no field value (the tag parameter=\(parameter) names the series)")
            }
            batch.readings.append(Reading(station: station_, parameter: parameter, kind: kind, time: time, value: field.value.number, flag: flag_, unit: unit))
            batch.lines.append(line)
            return
        }
        if fields.isEmpty { throw Fault("no value field (only flag)") }
        for field in fields {
            let name = text(field.keyStart, field.keyEnd, unescaping: field.keyEscaped)
            batch.readings.append(
                Reading(station: station_, parameter: name, kind: kind, time: time, value: field.value.number, flag: flag_, unit: unit))
            batch.lines.append(line)
        }
    }

    // MARK: - Names

    /// Scans a name or tag value from `start` to the first unescaped comma or space (and equals
    /// sign when `stopAtEquals`), or `end`.
    @inline(__always)
    private func scan(_ start: Int, _ end: Int, stopAtEquals: Bool) -> (end: Int, escaped: Bool) {
        var i = start
        var escaped = false
        while i < end {
            let c = base[i]
            if c == Self.comma || c == Self.space || (stopAtEquals && c == Self.equals) { break }
            if c == Self.backslash && i + 1 < end {
                escaped = true
                i += 2
                continue
            }
            i += 1
        }
        return (i, escaped)
    }

    private enum TagName { case station, parameter, kind, unit, other }

    @inline(__always)
    private func tagName(_ start: Int, _ end: Int) -> TagName {
        if isKey("station", start, end) { return .station }
        if isKey("parameter", start, end) || isKey("param", start, end) { return .parameter }
        if isKey("kind", start, end) { return .kind }
        if isKey("unit", start, end) { return .unit }
        return .other
    }

    @inline(__always)
    private func isKey(_ name: StaticString, _ start: Int, _ end: Int) -> Bool {
        guard end - start == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<(end - start) where base[start + k] != p[k] { return false }
        return true
    }

    /// The text of bytes, without the backslashes of `\,`, `\=` and `\ ` when `unescaping`.
    private func text(_ start: Int, _ end: Int, unescaping: Bool) -> String {
        let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
        guard unescaping else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var k = 0
        while k < bytes.count {
            if bytes[k] == Self.backslash && k + 1 < bytes.count {
                let next = bytes[k + 1]
                if next == Self.comma || next == Self.equals || next == Self.space {
                    out.append(next)
                    k += 2
                    continue
                }
            }
            out.append(bytes[k])
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A string field's text, without the backslashes of `\"` and `\\`.
    private func stringField(_ start: Int, _ end: Int, escaped: Bool) -> String {
        let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
        guard escaped else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var k = 0
        while k < bytes.count {
            if bytes[k] == Self.backslash && k + 1 < bytes.count && (bytes[k + 1] == Self.quote || bytes[k + 1] == Self.backslash) {
                out.append(bytes[k + 1])
                k += 2
                continue
            }
            out.append(bytes[k])
            k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Values

    /// A field value that is not a string: a boolean, an integer (`1i`) or a float (InfluxDB 1.6 has no unsigned `1u`).
    private func scalar(_ start: Int, _ end: Int) throws(Fault) -> Value {
        let first = base[start]
        // As InfluxDB: a value not starting like a number is read as a boolean; `NaN` is not a number.
        if first &- 0x30 >= 10 && first != 0x2D && first != 0x2E {
            if first == 0x4E { throw Fault("invalid number") }
            for word in Self.booleans where isKey(word, start, end) { return .other }
            throw Fault("invalid boolean")
        }
        if base[end - 1] == 0x69 {  // i
            let digits = text(start, end - 1, unescaping: false)
            guard digits.utf8.allSatisfy({ $0 &- 0x30 < 10 || $0 == 0x2D }) else { throw Fault("invalid number") }
            guard let n = Int64(digits) else {
                throw Fault("unable to parse integer \(digits): strconv.ParseInt: parsing \"\(digits)\": value out of range")
            }
            return .number(Double(n))
        }
        guard let n = LineNumber.float(base, start, end) else {
            // A number with an exponent that does not read (`1e`, `1e400`) is InfluxDB's invalid float.
            let hasExponent = (start..<end).contains { base[$0] == 0x65 || base[$0] == 0x45 }
            throw Fault(hasExponent ? "invalid float" : "invalid number")
        }
        return .number(n)
    }

    private static let booleans: [StaticString] = ["t", "T", "true", "True", "TRUE", "f", "F", "false", "False", "FALSE"]

    /// An integer timestamp of ``precision`` in seconds; trailing spaces are allowed.
    private func timestamp(_ start: Int, _ end: Int) throws(Fault) -> Int64 {
        var stop = end
        while stop > start && base[stop - 1] == Self.space { stop -= 1 }
        var i = start
        let negative = base[i] == 0x2D
        if negative { i += 1 }
        if i == stop { throw Fault("bad timestamp") }
        var value: Int64 = 0
        var overflow = false
        while i < stop {
            let d = base[i] &- 0x30
            guard d < 10 else { throw Fault(base[i] == Self.space ? "point is invalid" : "bad timestamp") }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { overflow = true }
            value = s
            i += 1
        }
        if overflow {
            let digits = text(start, stop, unescaping: false)
            throw Fault("strconv.ParseInt: parsing \"\(digits)\": value out of range")
        }
        guard let seconds = precision.seconds(negative ? -value : value) else { throw Fault("bad timestamp") }
        return seconds
    }
}
