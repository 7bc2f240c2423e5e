public import Foundation
public import Monitoring
public import Store

/// How a query prints: a table for people, CSV for spreadsheets, JSON for programs.
public enum QueryFormat: String, Sendable, CaseIterable { case table, csv, json }

/// Renders a ``SeriesQueryResult`` as a table, CSV or JSON: `envmon query` prints it, the API
/// answers with it.
///
/// CSV columns: `time,value,count,partial` for aggregates (time = bucket start with the station's
/// UTC offset), `time,value,flag` for raw readings. JSON: `{"station", "parameter", "unit", "kind",
/// "from", "to", "rows": [...]}` (aggregates add `"step"` and `"agg"`; each row `time`, `end`,
/// `value`, `count` (valid), `readings`, `expected`, `flags`, `partial`).
public struct SeriesQueryOutput {
    let station: Station
    let parameter: StationParameter
    let key: SeriesKey
    let calendar: ZoneCalendar
    let format: QueryFormat
    /// Whether the table ends with a sparkline (on a terminal).
    let sparkline: Bool
    /// The range read, echoed in the header in the station's local time (as the rows print).
    var range: Range<Int64>?

    /// An output of `result` in `format`; `sparkline`: a table ends with a one-line chart.
    public init(_ result: SeriesQueryResult, format: QueryFormat, sparkline: Bool = false) {
        station = result.station
        parameter = result.parameter
        key = result.key
        calendar = ZoneCalendar(result.station.timeZone)
        self.format = format
        self.sparkline = sparkline
        range = result.range
    }

    /// Writes the instants of `span` (every instant the rows print): at the zone's one offset
    /// when it has one over the span (a year of rows, no zone lookups), else through the calendar.
    private func timeWriter(_ span: Range<Int64>) -> (Int64) -> String {
        if let offset = calendar.fixedOffset(over: span.lowerBound..<max(span.upperBound, span.lowerBound + 1)) {
            let calendar = self.calendar
            return { calendar.iso8601($0, offset: offset) }
        }
        return calendar.iso8601
    }

    /// From the first row's start to the last row's end.
    private func span(_ rows: [AggregateRow]) -> Range<Int64> {
        (rows.first?.start ?? 0)..<max((rows.first?.start ?? 0) + 1, rows.last?.end ?? 0)
    }

    /// The text of `result`.
    public static func render(_ result: SeriesQueryResult, format: QueryFormat, sparkline: Bool = false) -> String {
        let output = SeriesQueryOutput(result, format: format, sparkline: sparkline)
        switch result.rows {
        case .raw(let rows): return output.raw(rows)
        case .aggregates(let rows, let step, let agg): return output.aggregates(rows, step: step, agg: agg)
        }
    }

    /// The UTF-8 bytes of `result` in `format`: the API sends them as they are (a year's trend
    /// by hour is 440 KB of CSV, and each copy of that size is fresh pages to fault in).
    public static func renderUTF8(_ result: SeriesQueryResult, format: QueryFormat) -> [UInt8] {
        if format == .csv, case .aggregates(let rows, _, _) = result.rows {
            return SeriesQueryOutput(result, format: format).aggregatesCSV(rows)
        }
        return Array(render(result, format: format).utf8)
    }

    /// CSV of aggregate rows, as bytes, each field written in place: a year of hours is 8,760
    /// rows, and a string per time and value, appended to a string, was a third of an API request.
    func aggregatesCSV(_ rows: [AggregateRow]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 56 + 32)
        out.append(contentsOf: "time,value,count,partial\n".utf8)
        let all = span(rows)
        let offset = calendar.fixedOffset(over: all.lowerBound..<max(all.upperBound, all.lowerBound + 1))
        for r in rows {
            if let offset {
                calendar.appendISO8601(r.start, offset: offset, to: &out)
            } else {
                out.append(contentsOf: calendar.iso8601(r.start).utf8)
            }
            out.append(UInt8(ascii: ","))
            if let v = r.value { FixedPoint.appendPlain(v, to: &out) }
            out.append(UInt8(ascii: ","))
            FixedPoint.appendPlain(Double(r.validCount), to: &out)
            out.append(contentsOf: r.partial ? Self.partialTrue : Self.partialFalse)
        }
        return out
    }

    func aggregates(_ rows: [AggregateRow], step: String, agg: Aggregation) -> String {
        switch format {
        case .csv:
            return String(decoding: aggregatesCSV(rows), as: UTF8.self)
        case .json:
            let time = timeWriter(span(rows))
            return json(rows.count * 260, extra: [("agg", .string(agg.rawValue))], after: [("step", .string(step))], rows: rows.count) { w, i in
                // Written member by member, the keys as literals: a year of hours is 8,760 of these.
                let r = rows[i]
                w.raw("    {\n      \"count\" : ")
                w.raw(String(r.validCount))
                w.raw(",\n      \"end\" : \"")
                w.raw(time(r.end))
                w.raw("\",\n      \"expected\" : ")
                w.raw(String(r.expectedCount))
                w.raw(",\n      \"flags\" : ")
                w.value(.string(r.flags.description))
                w.raw(r.partial ? ",\n      \"partial\" : true,\n      \"readings\" : " : ",\n      \"partial\" : false,\n      \"readings\" : ")
                w.raw(String(r.count))
                w.raw(",\n      \"time\" : \"")
                w.raw(time(r.start))
                w.raw("\",\n      \"value\" : ")
                w.value(r.value.map { .double($0) } ?? .null)
                w.raw("\n    }")
            }
        case .table:
            // Into one string, a row at a time: a year of hours is 8,760 rows, and a string per
            // column, padded and joined, cost more than reading them.
            var out = header("\(agg.rawValue) per \(step)") + "\n" + pad("time", 26) + pad("value", 14) + pad("valid/expected", 16) + "flags\n"
            out.reserveCapacity(out.utf8.count + rows.count * 72 + 200)
            var flags = FlagTexts()
            for r in rows {
                SeriesQueryOutput.append(calendar.iso8601(r.start), paddedTo: 26, to: &out)
                SeriesQueryOutput.append(r.value.map(SeriesQueryOutput.display) ?? "—", paddedTo: 14, to: &out)
                SeriesQueryOutput.append("\(r.validCount)/\(r.expectedCount)", paddedTo: 16, to: &out)
                out += flags[r.flags]
                out += r.partial ? "  partial\n" : "\n"
            }
            if rows.isEmpty { out += "(no data in this range)\n" }
            if rows.contains(where: \.partial) {
                out += "partial: --from or --to cuts the bucket; its value and counts cover only the part inside the range\n"
            }
            if sparkline, !rows.isEmpty { out += Sparkline.render(rows.map(\.value), width: 72) + "\n" }
            return out
        }
    }

    func raw(_ rows: [StoredSample]) -> String {
        switch format {
        case .csv:
            var out = "time,value,flag\n"
            out.reserveCapacity(rows.count * 40 + 16)
            let time = timeWriter((rows.first?.time ?? 0)..<((rows.last?.time ?? 0) + 1))
            for r in rows {
                out += time(r.time)
                out += ","
                out += SeriesQueryOutput.number(r.value)
                out += ","
                out += r.flag.rawValue
                out += "\n"
            }
            return out
        case .json:
            let time = timeWriter((rows.first?.time ?? 0)..<((rows.last?.time ?? 0) + 1))
            return json(rows.count * 110, extra: [], after: [], rows: rows.count) { w, i in
                let r = rows[i]
                w.raw("    {\n      \"flag\" : ")
                w.value(.string(r.flag.rawValue))
                w.raw(",\n      \"time\" : \"")
                w.raw(time(r.time))
                w.raw("\",\n      \"value\" : ")
                w.value(.double(r.value))
                w.raw("\n    }")
            }
        case .table:
            var lines = [header("readings")]
            lines.append(pad("time", 26) + pad("value", 14) + "flag")
            // One string for the rows, as for aggregates.
            var body = ""
            body.reserveCapacity(rows.count * 48)
            for r in rows {
                SeriesQueryOutput.append(calendar.iso8601(r.time), paddedTo: 26, to: &body)
                SeriesQueryOutput.append(SeriesQueryOutput.display(r.value), paddedTo: 14, to: &body)
                body += r.flag.rawValue
                body += "\n"
            }
            if !body.isEmpty { lines.append(String(body.dropLast())) }
            if rows.isEmpty { lines.append("(no data in this range)") }
            if sparkline, !rows.isEmpty {
                lines.append(Sparkline.render(rows.map { $0.flag.isValid ? $0.value : nil }, width: 72))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    private func header(_ what: String) -> String {
        "\(station.name) (\(station.id)) · \(parameter.parameter.id) \(parameter.parameter.nameZH) [\(parameter.unit.symbol)] · \(key.kind.rawValue) series · \(what) · \(station.timeZone.identifier)"
            + (range.map { " · \(calendar.iso8601($0.lowerBound)) … \(calendar.iso8601($0.upperBound))" } ?? "")
    }

    /// `{"agg"?, "from", "kind", "parameter", "rows": [...], "station", "step"?, "to", "unit"}`,
    /// pretty, keys sorted (as `JSONSerialization` printed it): `extra` are the members sorted
    /// before `from`, `after` those between `station` and `to`.
    private func json(
        _ capacity: Int, extra: [(String, PrettyJSONWriter.Value)], after: [(String, PrettyJSONWriter.Value)], rows: Int,
        row: (inout PrettyJSONWriter, Int) -> Void
    ) -> String {
        var w = PrettyJSONWriter(capacity: capacity + 400)
        w.raw("{\n")
        func member(_ key: String, _ value: PrettyJSONWriter.Value) {
            w.key(key, level: 1)
            w.value(value)
            w.raw(",\n")
        }
        for (k, v) in extra { member(k, v) }
        if let range { member("from", .string(calendar.iso8601(range.lowerBound))) }
        member("kind", .string(key.kind.rawValue))
        member("parameter", .string(parameter.parameter.id))
        w.key("rows", level: 1)
        if rows == 0 {
            w.raw("[\n\n  ],\n")
        } else {
            w.raw("[\n")
            for i in 0..<rows {
                row(&w, i)
                w.raw(i == rows - 1 ? "\n" : ",\n")
            }
            w.raw("  ],\n")
        }
        member("station", .string(station.id))
        for (k, v) in after { member(k, v) }
        if let range { member("to", .string(calendar.iso8601(range.upperBound))) }
        w.key("unit", level: 1)
        w.value(.string(parameter.unit.symbol))
        w.raw("\n}\n")
        return w.text
    }

    private static let partialTrue = Array(",true\n".utf8)
    private static let partialFalse = Array(",false\n".utf8)

    /// Full precision, shortest form that reads back to the same Double.
    public static func number(_ v: Double) -> String { FixedPoint.plain(v) }

    /// Rounded for reading: 1, 2 or 3 decimals by magnitude, as `%.1f`, `%.2f`, `%.3f` print them
    /// (``FixedPoint``: a table prints one a row, and `String(format:)` cost a microsecond each).
    public static func display(_ v: Double) -> String {
        FixedPoint.format(v, digits: abs(v) >= 100 ? 1 : abs(v) >= 1 ? 2 : 3)
    }

    /// Appends `s` and spaces up to `width` columns, at least one (as ``pad(_:_:)``). Columns are
    /// counted in scalars: what is padded here is ASCII but for the dash of a missing value.
    private static func append(_ s: String, paddedTo width: Int, to out: inout String) {
        out += s
        var columns = 0
        for byte in s.utf8 where byte & 0xC0 != 0x80 { columns += 1 }  // the first byte of each scalar
        let spaces = max(1, width - columns)
        out += spaces < blanks.count ? blanks[spaces] : String(repeating: " ", count: spaces)
    }

    /// Runs of 0…31 spaces.
    private static let blanks = (0..<32).map { String(repeating: " ", count: $0) }

    /// The text of each set of flags, made once: a table prints one a row.
    private struct FlagTexts {
        private var texts = [String?](repeating: nil, count: 256)

        subscript(flags: DataFlagSet) -> String {
            mutating get {
                if let text = texts[Int(flags.rawValue)] { return text }
                let text = flags.description
                texts[Int(flags.rawValue)] = text
                return text
            }
        }
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}
