import Foundation
import Monitoring
import Store

/// Renders query results as a table, CSV or JSON.
struct QueryOutput {
    let station: Station
    let parameter: StationParameter
    let key: SeriesKey
    let calendar: ZoneCalendar
    let format: QueryFormat

    func aggregates(_ rows: [AggregateRow], step: String, agg: Aggregation) -> String {
        switch format {
        case .csv:
            var out = "time,value,count,partial\n"
            for r in rows {
                out += "\(calendar.iso8601(r.start)),\(r.value.map(QueryOutput.number) ?? ""),\(r.validCount),\(r.partial)\n"
            }
            return out
        case .json:
            let items = rows.map { r -> [String: Any] in
                [
                    "time": calendar.iso8601(r.start), "end": calendar.iso8601(r.end), "value": r.value.map { $0 as Any } ?? NSNull(),
                    "count": r.validCount, "readings": r.count, "expected": r.expectedCount, "flags": r.flags.description,
                    "partial": r.partial,
                ]
            }
            return json(["step": step, "agg": agg.rawValue, "rows": items])
        case .table:
            var lines = [header("\(agg.rawValue) per \(step)")]
            lines.append(pad("time", 26) + pad("value", 14) + pad("valid/expected", 16) + "flags")
            for r in rows {
                lines.append(
                    pad(calendar.iso8601(r.start), 26) + pad(r.value.map(QueryOutput.display) ?? "—", 14)
                        + pad("\(r.validCount)/\(r.expectedCount)", 16) + r.flags.description + (r.partial ? "  partial" : ""))
            }
            if rows.isEmpty { lines.append("(no data in this range)") }
            if rows.contains(where: \.partial) {
                lines.append("partial: --from or --to cuts the bucket; its value and counts cover only the part inside the range")
            }
            if isTerminal(1), !rows.isEmpty { lines.append(Sparkline.render(rows.map(\.value), width: 72)) }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    func raw(_ rows: [StoredSample]) -> String {
        switch format {
        case .csv:
            var out = "time,value,flag\n"
            for r in rows { out += "\(calendar.iso8601(r.time)),\(QueryOutput.number(r.value)),\(r.flag.rawValue)\n" }
            return out
        case .json:
            let items = rows.map { ["time": calendar.iso8601($0.time), "value": $0.value, "flag": $0.flag.rawValue] as [String: Any] }
            return json(["rows": items])
        case .table:
            var lines = [header("readings")]
            lines.append(pad("time", 26) + pad("value", 14) + "flag")
            for r in rows { lines.append(pad(calendar.iso8601(r.time), 26) + pad(QueryOutput.display(r.value), 14) + r.flag.rawValue) }
            if rows.isEmpty { lines.append("(no data in this range)") }
            if isTerminal(1), !rows.isEmpty {
                lines.append(Sparkline.render(rows.map { $0.flag.isValid ? $0.value : nil }, width: 72))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private func header(_ what: String) -> String {
        "\(station.name) (\(station.id)) · \(parameter.parameter.id) \(parameter.parameter.nameZH) [\(parameter.unit.symbol)] · \(key.kind.rawValue) series · \(what) · \(station.timeZone.identifier)"
    }

    private func json(_ body: [String: Any]) -> String {
        var object = body
        object["station"] = station.id
        object["parameter"] = parameter.parameter.id
        object["unit"] = parameter.unit.symbol
        object["kind"] = key.kind.rawValue
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Full precision, shortest form that reads back to the same Double.
    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    /// Rounded for reading. Through C's `vsnprintf`, which Foundation's `String(format:)` ends in
    /// too, without making a CFString of the format on every call: a table prints one a row, and
    /// that cost about a microsecond each (9 ms for a year of hours).
    static func display(_ v: Double) -> String {
        let format = abs(v) >= 100 ? "%.1f" : abs(v) >= 1 ? "%.2f" : "%.3f"
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = withVaList([v]) { vsnprintf(buffer.baseAddress!, 64, format, $0) }
            guard n >= 0, n < 64 else { return String(format: format, v) }
            return String(cString: buffer.baseAddress!)
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
