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
    }
}
