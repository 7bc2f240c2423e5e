import Foundation
import Monitoring

/// The importer's first stage: reads one file's rows, checks them and turns them into readings,
/// while the store commits the chunk before (see ``CSVImporter``).
///
/// Fields are read as bytes. A time, a station or a parameter name that repeats the previous
/// row's, as in nearly every row of a long file, is not read again; nothing else is allocated
/// per row unless the row is rejected, when the reason is written out.
struct ImportRowParser: ~Copyable {
    private var reader: CSVReader
    private var row = CSVReader.Row()
    /// `nil` when the file is empty (not even a header).
    private let layout: CSVImporter.Layout?
    private let columns: Int
    private let calendar: ZoneCalendar
    private let missing: [[UInt8]]
    private var lookups: ImportLookups
    /// What has been read and rejected so far; the importer adds what the store did.
    private(set) var report: ImportReport
    private var rowsSinceProgress = 0

    private enum TimeValue {
        case time(Int64)
        case rejected(String)
    }
    private enum StationValue {
        case entry(Int)
        case unknown(String)
    }
    private var lastTimeText: [UInt8] = []
    private var lastTime: TimeValue?
    private var lastStationText: [UInt8] = []
    private var lastStation: StationValue?
    private let fixedStation: StationValue?
    private var lastUnitText: [UInt8] = []
    private var lastUnit: MeasurementUnit??

    /// Opens a file and reads its header.
    /// - Throws: ``CollectorError`` when the file cannot be read or its header lacks a column
    ///   the mapping names.
    init(path: String, mapping: ImportMapping, stations: StationRegistry) throws(CollectorError) {
        var reader = try CSVReader(path: path, delimiter: mapping.delimiter)
        var row = CSVReader.Row()
        var lookups = ImportLookups(registry: stations, kind: mapping.kind)
        if reader.next(into: &row) {
            let header = (0..<row.fields.count).map { reader.string(row, $0).trimmingCharacters(in: .whitespaces) }
            let layout = try CSVImporter.Layout(mapping: mapping, header: header, path: path)
            self.layout = layout
            columns = header.count
            fixedStation = layout.stationFixed.map { id in lookups.station(id: id, wide: layout.values).map { .entry($0) } ?? .unknown(id) }
        } else {
            layout = nil
            columns = 0
            fixedStation = nil
        }
        self.reader = reader
        self.row = row
        self.lookups = lookups
        calendar = ZoneCalendar(mapping.zone)
        missing = mapping.missing.map { Array($0.utf8) }
        report = ImportReport(file: path)
    }

    /// Whether reading the file stopped at a read error before its end.
    var readFailed: Bool { reader.failed }

    /// Where the last row read ended.
    var line: Int { reader.line }

    /// Reads rows and appends their readings until `readings` holds at least `limit` or the file
    /// ends; `false` at the end of the file. Calls `progress` now and then with the fraction read.
    mutating func fill(_ readings: inout [ImportReading], upTo limit: Int, progress: (Double) -> Void) -> Bool {
        guard let layout else { return false }
        while readings.count < limit {
            guard reader.next(into: &row) else { return false }
            rowsSinceProgress += 1
            if rowsSinceProgress == 4_096 {
                rowsSinceProgress = 0
                progress(min(1, Double(reader.offset) / Double(max(1, reader.size))))  // a pipe has no size
            }
            parseRow(layout, into: &readings)
        }
        return true
    }

    /// The samples of readings this parser made.
    func samples(_ readings: [ImportReading]) -> [Sample] {
        let keys = lookups.series
        return [Sample](unsafeUninitializedCapacity: readings.count) { buffer, initialized in
            for (i, r) in readings.enumerated() {
                (buffer.baseAddress! + i).initialize(to: Sample(series: keys[Int(r.series)], time: r.time, value: r.value, flag: r.flag))
            }
            initialized = readings.count
        }
    }

    private mutating func parseRow(_ layout: CSVImporter.Layout, into readings: inout [ImportReading]) {
        let line = reader.line
        report.rowsRead += 1
        guard row.fields.count == columns else {
            report.reject("malformed row: expected \(columns) fields, found \(row.fields.count)", line: line, wholeRow: true)
            return
        }
        let time: Int64
        switch readTime(layout) {
        case .time(let t): time = t
        case .rejected(let reason):
            report.reject(reason, line: line, wholeRow: true)
            return
        }
        let s: Int
        switch readStation(layout) {
        case .entry(let e): s = e
        case .unknown(let name):
            report.reject("unknown station '\(name)'", line: line, wholeRow: true)
            return
        }
        if let long = layout.long {
            if isMissing(long.value) {
                report.valuesMissing += 1
                return
            }
            report.valuesRead += 1
            let nameText = reader.bytes(row, long.parameter)
            let target: ImportLookups.Target
            if let n = lookups.name(nameText) {
                guard lookups.isParameter(name: n) else {
                    report.reject("unknown parameter '\(String(decoding: nameText, as: UTF8.self))'", line: line, wholeRow: false)
                    return
                }
                target = lookups.longTarget(station: s, name: n)
            } else {
                let name = String(decoding: nameText, as: UTF8.self)
                guard let parameter = ParameterCatalogue.standard.named(name) else {
                    report.reject("unknown parameter '\(name)'", line: line, wholeRow: false)
                    return
                }
                target = lookups.target(lookups.stations[s].station, parameter.id, unit: nil)
            }
            let unit = long.unit.flatMap { readUnit($0) }
            if let reading = value(long.value, target, unit: unit, flagIndex: long.flag, time: time, line: line) {
                readings.append(reading)
            }
        } else {
            for (k, v) in layout.values.enumerated() {
                if isMissing(v.index) {
                    report.valuesMissing += 1
                    continue
                }
                report.valuesRead += 1
                let target = lookups.stations[s].wide[k]
                if let reading = value(v.index, target, unit: nil, flagIndex: v.flagIndex, time: time, line: line) {
                    readings.append(reading)
                }
            }
        }
    }

    private func isMissing(_ index: Int) -> Bool {
        for marker in missing where reader.field(row, index, equals: marker) { return true }
        return false
    }

    /// Checks a value and makes its reading, or records why not. The checks go in the order
    /// the importer has always used, so a value wrong in two ways is rejected for the same reason.
    private mutating func value(
        _ index: Int, _ target: ImportLookups.Target, unit: MeasurementUnit?, flagIndex: Int?, time: Int64, line: Int
    ) -> ImportReading? {
        guard let range = target.range, let stored = target.storedUnit, let defaultUnit = target.unit else {
            let key = lookups.series[Int(target.series)]
            report.reject("station '\(key.station)' does not report \(key.parameter)", line: line, wholeRow: false)
            return nil
        }
        guard let raw = reader.double(row, index) else {
            report.reject("\(parameterID(target)): not a number", line: line, wholeRow: false)
            return nil
        }
        var flag = DataFlag.normal
        if let flagIndex {
            let text = reader.bytes(row, flagIndex)
            if !text.isEmpty {
                guard let f = Self.flag(text) else {
                    report.reject(
                        "\(parameterID(target)): unknown data flag '\(String(decoding: text, as: UTF8.self))'", line: line, wholeRow: false)
                    return nil
                }
                flag = f
            }
        }
        let from = unit ?? defaultUnit
        guard let factor = unit == nil ? target.factor : from.factor(to: stored) else {
            report.reject("\(parameterID(target)): unit \(from.symbol) cannot be converted to \(stored.symbol)", line: line, wholeRow: false)
            return nil
        }
        let v = raw * factor
        guard range.contains(v) else {
            report.reject(
                "\(parameterID(target)): outside the instrument range \(Self.format(range.lowerBound))…\(Self.format(range.upperBound)) \(stored.symbol)",
                line: line, wholeRow: false)
            return nil
        }
        return ImportReading(time: time, value: v, series: target.series, flag: flag)
    }

    private func parameterID(_ target: ImportLookups.Target) -> String { lookups.series[Int(target.series)].parameter }

    private mutating func readTime(_ layout: CSVImporter.Layout) -> TimeValue {
        switch layout.time {
        case .column(let i):
            let text = reader.bytes(row, i)
            if let lastTime, text.sameBytes(as: lastTimeText) { return lastTime }
            let value: TimeValue
            do {
                value = .time(try ISO8601Time.parse(utf8: text, in: calendar))
            } catch {
                value = .rejected("bad time: \(error)")
            }
            lastTimeText.removeAll(keepingCapacity: true)
            lastTimeText.append(contentsOf: text)
            lastTime = value
            return value
        case .parts(let y, let mo, let d, let h, let mi, let s):
            guard let year = reader.int(row, y), let month = reader.int(row, mo), let day = reader.int(row, d),
                let hour = h.map({ reader.int(row, $0) }) ?? 0, let minute = mi.map({ reader.int(row, $0) }) ?? 0,
                let second = s.map({ reader.int(row, $0) }) ?? 0
            else { return .rejected("bad time: a date or time column is not a whole number") }
            let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            guard civil.isValid else { return .rejected("bad time: \(civil) is not a calendar date and time") }
            switch calendar.resolve(civil) {
            case .unique(let t), .ambiguous(let t, _): return .time(t)
            case .nonexistent: return .rejected("time does not exist in \(calendar.timeZone.identifier) (clocks skip it)")
            }
        }
    }

    private mutating func readStation(_ layout: CSVImporter.Layout) -> StationValue {
        guard let i = layout.stationIndex else { return fixedStation! }
        let text = reader.bytes(row, i)
        if let lastStation, text.sameBytes(as: lastStationText) { return lastStation }
        let name = String(decoding: text, as: UTF8.self)
        let id = layout.stationMap[name] ?? name
        let value: StationValue = lookups.station(id: id, wide: layout.values).map { .entry($0) } ?? .unknown(id)
        lastStationText.removeAll(keepingCapacity: true)
        lastStationText.append(contentsOf: text)
        lastStation = value
        return value
    }

    /// The unit a row's unit column names; `nil` when it names none (the station's unit applies).
    private mutating func readUnit(_ index: Int) -> MeasurementUnit? {
        let text = reader.bytes(row, index)
        if let lastUnit, text.sameBytes(as: lastUnitText) { return lastUnit }
        let unit = MeasurementUnit(parsing: String(decoding: text, as: UTF8.self))
        lastUnitText.removeAll(keepingCapacity: true)
        lastUnitText.append(contentsOf: text)
        lastUnit = .some(unit)
        return unit
    }

    /// Flags by their one ASCII letter, made by ``DataFlag/init(letter:)`` itself so that both agree.
    private static let flagsByByte: [DataFlag?] = (0..<128).map { DataFlag(letter: String(UnicodeScalar(UInt8($0)))) }

    private static func flag(_ text: UnsafeBufferPointer<UInt8>) -> DataFlag? {
        if text.count == 1, text[0] < 128 { return flagsByByte[Int(text[0])] }
        return DataFlag(letter: String(decoding: text, as: UTF8.self))
    }

    private static func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
