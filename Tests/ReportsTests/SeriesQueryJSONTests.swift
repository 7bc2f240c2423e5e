import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// The query's JSON is written directly, in the very form `JSONSerialization` (pretty, keys
/// sorted) printed it before: `envmon query --format json` did not change, and the API answers
/// the same bytes.
@Suite struct SeriesQueryJSONTests {
    let station = TestStations.station("air-1", kind: .ambientAir, interval: 60, parameters: ["PM2.5"])
    let t0: Int64 = 1_772_294_400

    func reference(_ body: [String: Any], _ result: SeriesQueryResult) throws -> String {
        let calendar = ZoneCalendar(result.station.timeZone)
        var object = body
        object["station"] = result.station.id
        object["parameter"] = result.parameter.parameter.id
        object["unit"] = result.parameter.unit.symbol
        object["kind"] = result.key.kind.rawValue
        object["from"] = calendar.iso8601(result.range.lowerBound)
        object["to"] = calendar.iso8601(result.range.upperBound)
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static let values: [Double] = [0, 29.5, 0.1, 1e-7, 123_456.789, -3, 1e21, 59, 0.30000000000000004, 75.25, 2.5e-5, 1e14, 999_999_999_999_999, 1e15, 1e16, -0.0, -1_234_567, 4_503_599_627_370_496.5]

    @Test func aggregatesAsJSONSerializationPrintedThem() throws {
        let calendar = ZoneCalendar(station.timeZone)
        var rows = Self.values.enumerated().map { i, v in
            AggregateRow(
                start: t0 + Int64(i) * 3_600, end: t0 + Int64(i + 1) * 3_600, value: v, validCount: 60 - i, count: 60, expectedCount: 60,
                flags: DataFlagSet([.normal]), partial: i == 0)
        }
        rows.append(AggregateRow(start: t0 + 99 * 3_600, end: t0 + 100 * 3_600, value: nil, validCount: 0, count: 3, expectedCount: 60, flags: DataFlagSet([.maintenance, .normal])))
        let result = SeriesQueryResult(
            station: station, parameter: station.parameters[0], key: SeriesKey(station: "air-1", parameter: "PM2.5", kind: .minute),
            range: t0..<(t0 + 100 * 3_600), rows: .aggregates(rows, step: "1h", aggregation: .avg))
        let items = rows.map { r -> [String: Any] in
            [
                "time": calendar.iso8601(r.start), "end": calendar.iso8601(r.end), "value": r.value.map { $0 as Any } ?? NSNull(),
                "count": r.validCount, "readings": r.count, "expected": r.expectedCount, "flags": r.flags.description, "partial": r.partial,
            ]
        }
        let expected = try reference(["step": "1h", "agg": "avg", "rows": items], result)
        #expect(SeriesQueryOutput.render(result, format: .json) == expected)
    }

    @Test func rawReadingsAndNoneAsJSONSerializationPrintedThem() throws {
        let calendar = ZoneCalendar(station.timeZone)
        let samples = Self.values.enumerated().map { i, v in StoredSample(time: t0 + Int64(i) * 60, value: v, flag: i == 3 ? .maintenance : .normal) }
        for rows in [samples, []] {
            let result = SeriesQueryResult(
                station: station, parameter: station.parameters[0], key: SeriesKey(station: "air-1", parameter: "PM2.5", kind: .minute),
                range: t0..<(t0 + 3_600), rows: .raw(rows))
            let items = rows.map { ["time": calendar.iso8601($0.time), "value": $0.value, "flag": $0.flag.rawValue] as [String: Any] }
            #expect(SeriesQueryOutput.render(result, format: .json) == (try reference(["rows": items], result)), "\(rows.count) rows")
        }
    }
}

/// Instants written at a known fixed offset read as the calendar writes them.
@Suite struct FixedOffsetTests {
    @Test func aZoneWithoutTransitionsHasOneOffsetAndWritesAsTheCalendar() throws {
        let shanghai = ZoneCalendar(try #require(TimeZone(identifier: "Asia/Shanghai")))
        let year: Range<Int64> = 1_767_196_800..<1_798_732_800
        let offset = try #require(shanghai.fixedOffset(over: year))
        #expect(offset == 8 * 3_600)
        for t in stride(from: year.lowerBound, to: year.upperBound, by: 3_600 * 97 + 13) {
            #expect(shanghai.iso8601(t, offset: offset) == shanghai.iso8601(t))
        }
    }

    @Test func aRangeAcrossADSTTransitionHasNone() throws {
        let berlin = ZoneCalendar(try #require(TimeZone(identifier: "Europe/Berlin")))
        // 2026-03-29 01:00 UTC: Berlin moves from +01:00 to +02:00.
        let transition: Int64 = 1_774_746_000
        #expect(berlin.fixedOffset(over: (transition - 86_400)..<(transition + 86_400)) == nil)
        #expect(berlin.fixedOffset(over: (transition - 86_400)..<transition) == 3_600)
        #expect(berlin.fixedOffset(over: transition..<(transition + 86_400)) == 7_200)
        let utc = ZoneCalendar(try #require(TimeZone(identifier: "UTC")))
        #expect(utc.iso8601(transition, offset: 0) == utc.iso8601(transition))
    }
}
