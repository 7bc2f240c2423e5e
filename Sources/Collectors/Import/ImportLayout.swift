import Foundation
import Monitoring

extension CSVImporter {
    /// The mapping resolved against one file's header: column indices instead of names.
    struct Layout {
        struct Value {
            let index: Int
            let parameter: String
            let unit: MeasurementUnit?
            let flagIndex: Int?
        }
        struct Long {
            let parameter: Int
            let value: Int
            let flag: Int?
            let unit: Int?
        }
        enum Time {
            case column(Int)
            case parts(year: Int, month: Int, day: Int, hour: Int?, minute: Int?, second: Int?)
        }

        let time: Time
        let stationIndex: Int?
        let stationFixed: String?
        let stationMap: [String: String]
        let values: [Value]
        let long: Long?

        init(mapping: ImportMapping, header: [String], path: String) throws(CollectorError) {
            var positions: [String: Int] = [:]
            for (i, name) in header.enumerated() where positions[name] == nil { positions[name] = i }
            func column(_ name: String) throws(CollectorError) -> Int {
                guard let i = positions[name] else {
                    throw CollectorError(
                        .badHeader,
                        "\(path):1: the header has no column '\(name)' named by \(mapping.path) (columns: \(header.joined(separator: ", ")))")
                }
                return i
            }
            func optional(_ name: String?) throws(CollectorError) -> Int? {
                guard let name else { return nil }
                return try column(name)
            }
            switch mapping.time {
            case .column(let c): time = .column(try column(c))
            case .parts(let y, let mo, let d, let h, let mi, let s):
                time = .parts(
                    year: try column(y), month: try column(mo), day: try column(d), hour: try optional(h), minute: try optional(mi),
                    second: try optional(s))
            }
            switch mapping.station {
            case .fixed(let id):
                stationIndex = nil
                stationFixed = id
                stationMap = [:]
            case .column(let c, let map):
                stationIndex = try column(c)
                stationFixed = nil
                stationMap = map
            }
            var values: [Value] = []
            for v in mapping.values {
                values.append(Value(index: try column(v.column), parameter: v.parameter, unit: v.unit, flagIndex: try optional(v.flagColumn)))
            }
            self.values = values
            if let l = mapping.long {
                long = Long(parameter: try column(l.parameter), value: try column(l.value), flag: try optional(l.flag), unit: try optional(l.unit))
            } else {
                long = nil
            }
        }

        func station(_ reader: CSVReader, _ row: CSVReader.Row) -> String {
            if let stationFixed { return stationFixed }
            let name = reader.string(row, stationIndex!)
            return stationMap[name] ?? name
        }

        func time(_ reader: CSVReader, _ row: CSVReader.Row, _ calendar: ZoneCalendar) -> Result<Int64, TimeRejection> {
            switch time {
            case .column(let i):
                let text = reader.string(row, i)
                do {
                    return .success(try ISO8601Time.parse(text, in: calendar))
                } catch {
                    return .failure(TimeRejection(reason: "bad time: \(error)"))
                }
            case .parts(let y, let mo, let d, let h, let mi, let s):
                guard let year = reader.int(row, y), let month = reader.int(row, mo), let day = reader.int(row, d),
                    let hour = h.map({ reader.int(row, $0) }) ?? 0, let minute = mi.map({ reader.int(row, $0) }) ?? 0,
                    let second = s.map({ reader.int(row, $0) }) ?? 0
                else { return .failure(TimeRejection(reason: "bad time: a date or time column is not a whole number")) }
                let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
                guard civil.isValid else { return .failure(TimeRejection(reason: "bad time: \(civil) is not a calendar date and time")) }
                switch calendar.resolve(civil) {
                case .unique(let t), .ambiguous(let t, _): return .success(t)
                case .nonexistent:
                    return .failure(TimeRejection(reason: "time does not exist in \(calendar.timeZone.identifier) (clocks skip it)"))
                }
            }
        }
    }

    struct TimeRejection: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}
