public import Monitoring
public import Foundation
public import EnvmonConfig
import Yams

/// How the columns of a file become readings: which columns hold the time, the station and the
/// values, in what unit and time zone. Read from a YAML mapping file.
///
/// Two shapes are supported. *Wide*: one row per time and station, one column per parameter
/// (`values:`). *Long*: one row per reading, with parameter, value and optional flag columns (`long:`).
///
/// ```yaml
/// format: csv
/// missing: ["NA", ""]
/// kind: hour
/// time: {columns: {year: year, month: month, day: day, hour: hour}, zone: Asia/Shanghai}
/// station: {column: station, map: {Aotizhongxin: bj-aotizhongxin}}
/// values:
///   - {column: CO, parameter: CO, unit: µg/m3}
/// ```
public struct ImportMapping: Sendable {
    /// Where the time of a row comes from.
    public enum TimeSource: Sendable, Hashable {
        /// One column in ISO 8601 (`2017-01-01T05:00`, with or without offset).
        case column(String)
        /// Separate columns; minute and second are optional.
        case parts(year: String, month: String, day: String, hour: String?, minute: String?, second: String?)
    }

    /// Where the station of a row comes from.
    public enum StationSource: Sendable, Hashable {
        /// A column, its values translated through `map` when they appear there.
        case column(String, map: [String: String])
        /// Every row belongs to this station.
        case fixed(String)
    }

    /// A value column of a wide file.
    public struct ValueColumn: Sendable, Hashable {
        public var column: String
        public var parameter: String
        public var unit: MeasurementUnit?
        public var flagColumn: String?
    }

    /// The columns of a long file.
    public struct LongColumns: Sendable, Hashable {
        public var parameter: String
        public var value: String
        public var flag: String?
        public var unit: String?
    }

    /// The file this mapping was read from.
    public var path: String
    /// The field delimiter.
    public var delimiter: UInt8
    /// Cell texts that mean "no value".
    public var missing: Set<String>
    /// The kind of series the values go to.
    public var kind: SeriesKind
    /// The time column(s).
    public var time: TimeSource
    /// The zone of times written without an offset.
    public var zone: TimeZone
    /// The station column.
    public var station: StationSource
    /// The value columns (wide files).
    public var values: [ValueColumn]
    /// The reading columns (long files).
    public var long: LongColumns?

    /// Reads and checks a mapping file.
    /// - Throws: ``ConfigError`` naming the file, line and column of the problem.
    public init(path: String, catalogue: ParameterCatalogue = .standard) throws(ConfigError) {
        let file = try YAMLFile(path: path)
        try self.init(file: file, catalogue: catalogue)
    }

    /// Reads and checks a mapping from YAML text said to come from `path`.
    public init(path: String, text: String, catalogue: ParameterCatalogue = .standard) throws(ConfigError) {
        try self.init(file: try YAMLFile(path: path, text: text), catalogue: catalogue)
    }

    private init(file: YAMLFile, catalogue: ParameterCatalogue) throws(ConfigError) {
        path = file.path
        guard let root = file.root, root.pairs != nil else {
            throw file.error(.wrongType, "a mapping file must be a YAML mapping (format, time, station, values…)", at: file.root)
        }
        let known: Set<String> = ["format", "delimiter", "missing", "kind", "time", "station", "values", "long", "description"]
        for (key, _) in root.pairs! where !known.contains(key.text ?? "") {
            throw file.error(.unknownField, "unknown field '\(key.text ?? "?")' (expected \(known.sorted().joined(separator: ", ")))", at: key)
        }
        if let f = root.value(forKey: "format"), f.text != "csv" {
            throw file.error(.badValue, "format '\(f.text ?? "?")' is not supported (supported: csv)", at: f)
        }
        delimiter = UInt8(ascii: ",")
        if let d = root.value(forKey: "delimiter") {
            let t = d.text == "\\t" || d.text == "tab" ? "\t" : (d.text ?? "")
            guard t.utf8.count == 1 else { throw file.error(.badValue, "delimiter must be one character", at: d) }
            delimiter = t.utf8.first!
        }
        missing = [""]
        if let m = root.value(forKey: "missing") {
            guard let items = m.items else { throw file.error(.wrongType, "'missing' must be a list of texts", at: m) }
            missing = Set(items.compactMap(\.text))
        }
        kind = .realtime
        if let k = root.value(forKey: "kind") {
            guard let parsed = k.text.flatMap(SeriesKind.init(rawValue:)) else {
                throw file.error(.badValue, "kind must be one of \(SeriesKind.allCases.map(\.rawValue).joined(separator: ", "))", at: k)
            }
            kind = parsed
        }
        guard let t = root.value(forKey: "time") else { throw file.error(.missingField, "missing 'time'", at: root) }
        if let col = t.value(forKey: "column")?.text {
            time = .column(col)
        } else if let cols = t.value(forKey: "columns") {
            guard let y = cols.value(forKey: "year")?.text, let mo = cols.value(forKey: "month")?.text,
                let d = cols.value(forKey: "day")?.text
            else { throw file.error(.missingField, "'time.columns' needs year, month and day", at: cols) }
            time = .parts(
                year: y, month: mo, day: d, hour: cols.value(forKey: "hour")?.text, minute: cols.value(forKey: "minute")?.text,
                second: cols.value(forKey: "second")?.text)
        } else {
            throw file.error(.missingField, "'time' needs 'column' or 'columns'", at: t)
        }
        zone = TimeZone(identifier: "Asia/Shanghai")!
        if let z = t.value(forKey: "zone") {
            guard let parsed = z.text.flatMap(TimeZone.init(identifier:)) else {
                throw file.error(.badTimeZone, "'\(z.text ?? "?")' is not an IANA time zone", at: z)
            }
            zone = parsed
        }
        guard let s = root.value(forKey: "station") else { throw file.error(.missingField, "missing 'station'", at: root) }
        if let fixed = s.value(forKey: "fixed")?.text {
            station = .fixed(fixed)
        } else if let col = s.value(forKey: "column")?.text {
            var map: [String: String] = [:]
            if let m = s.value(forKey: "map") {
                guard let pairs = m.pairs else { throw file.error(.wrongType, "'station.map' must map file names to station ids", at: m) }
                for (k, v) in pairs { map[k.text ?? ""] = v.text ?? "" }
            }
            station = .column(col, map: map)
        } else {
            throw file.error(.missingField, "'station' needs 'column' or 'fixed'", at: s)
        }
        values = []
        if let v = root.value(forKey: "values") {
            guard let items = v.items else { throw file.error(.wrongType, "'values' must be a list", at: v) }
            for item in items {
                guard let col = item.value(forKey: "column")?.text else {
                    throw file.error(.missingField, "a value needs 'column'", at: item)
                }
                let pname = item.value(forKey: "parameter")?.text ?? col
                guard let parameter = catalogue.named(pname) else {
                    throw file.error(.unknownParameter, "unknown parameter '\(pname)'", at: item.value(forKey: "parameter") ?? item)
                }
                var unit: MeasurementUnit?
                if let u = item.value(forKey: "unit") {
                    guard let parsed = u.text.flatMap(MeasurementUnit.init(parsing:)) else {
                        throw file.error(.badValue, "unknown unit '\(u.text ?? "?")'", at: u)
                    }
                    guard parameter.media.values.contains(where: { parsed.factor(to: $0.unit) != nil }) else {
                        throw file.error(.badValue, "unit \(parsed.symbol) cannot be converted to \(parameter.id)'s unit", at: u)
                    }
                    unit = parsed
                }
                values.append(ValueColumn(column: col, parameter: parameter.id, unit: unit, flagColumn: item.value(forKey: "flag")?.text))
            }
        }
        if let l = root.value(forKey: "long") {
            guard let p = l.value(forKey: "parameter")?.text, let v = l.value(forKey: "value")?.text else {
                throw file.error(.missingField, "'long' needs 'parameter' and 'value' columns", at: l)
            }
            long = LongColumns(parameter: p, value: v, flag: l.value(forKey: "flag")?.text, unit: l.value(forKey: "unit")?.text)
        }
        if values.isEmpty && long == nil {
            throw file.error(.missingField, "a mapping needs 'values' (wide files) or 'long' (one reading a row)", at: root)
        }
    }
}
