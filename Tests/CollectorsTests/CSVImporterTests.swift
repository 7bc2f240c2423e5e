import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

@Suite struct CSVImporterTests {
    let dir = TemporaryDirectory()
    let stations = TestStations.registry(
        TestStations.station("a", parameters: ["PM2.5", "CO"]),
        TestStations.station("ny", zone: "America/New_York", parameters: ["PM2.5"]))

    let wideMapping = """
        format: csv
        missing: ["NA", ""]
        kind: hour
        time:
          columns: {year: year, month: month, day: day, hour: hour}
          zone: Asia/Shanghai
        station:
          column: station
          map: {Alpha: a}
        values:
          - {column: PM2.5, parameter: PM2.5, unit: µg/m3}
          - {column: CO, parameter: CO, unit: µg/m3}
        """

    func run(_ csv: String, mapping: String? = nil) async throws -> (ImportReport, SQLiteStore) {
        let map = try ImportMapping(path: dir.write("m.yaml", mapping ?? wideMapping))
        let store = try SQLiteStore(path: dir.file("s-\(UUID().uuidString).sqlite"), stations: stations, retention: .forever)
        let report = try await CSVImporter(mapping: map, stations: stations).run(
            path: dir.write("in.csv", csv), submit: { samples, _ in try await store.write(samples).summary })
        return (report, store)
    }

    @Test func importsConvertsUnitsAndRejectsBadInputWithReasonsAndLines() async throws {
        let csv = """
            "No","year","month","day","hour","PM2.5","CO","station"
            1,2017,1,1,0,10,1200,"Alpha"
            2,2017,1,1,1,NA,abc,"Alpha"
            3,2017,1,1,2,5000,900,"Alpha"
            4,2017,1,1,3,12,800,"Nowhere"
            5,2017,1,1,4,12,800
            6,2017,2,30,5,12,800,"Alpha"
            7,2017,1,1,6,-3,700,"Alpha"
            8,2017,1,1,7,20,,"Alpha"
            """
        let (r, store) = try await run(csv)
        #expect(r.rowsRead == 8)
        #expect(r.rowsRejected == 3)
        #expect(r.valuesMissing == 2)
        #expect(r.store.inserted == 5)
        let reasons = Dictionary(uniqueKeysWithValues: r.rejections.map { ($0.reason, $0.lines) })
        #expect(reasons["CO: not a number"] == [3])
        #expect(reasons["PM2.5: outside the instrument range 0…1000 µg/m³"] == [4, 8])
        #expect(reasons["unknown station 'Nowhere'"] == [5])
        #expect(reasons["malformed row: expected 8 fields, found 7"] == [6])
        #expect(reasons["bad time: 2017-02-30T05:00:00 is not a calendar date and time"] == [7])
        // CO arrives in µg/m³ and is stored in the catalogue's mg/m³; local time +08:00.
        let co = try await store.samples(of: SeriesKey(station: "a", parameter: "CO", kind: .hour), in: 0..<Int64.max)
        #expect(co.first == StoredSample(time: 1_483_200_000, value: 1.2, flag: .normal))
    }

    @Test func reimportStoresNothingNew() async throws {
        let csv = "year,month,day,hour,PM2.5,CO,station\n2017,1,1,0,10,1200,Alpha\n2017,1,1,1,11,1300,Alpha\n"
        let map = try ImportMapping(path: dir.write("m.yaml", wideMapping))
        let store = try SQLiteStore(path: dir.file("re.sqlite"), stations: stations, retention: .forever)
        let importer = CSVImporter(mapping: map, stations: stations)
        let path = dir.write("in.csv", csv)
        let first = try await importer.run(path: path, submit: { samples, _ in try await store.write(samples).summary })
        let second = try await importer.run(path: path, submit: { samples, _ in try await store.write(samples).summary })
        #expect(first.store.inserted == 4)
        #expect(second.store.inserted == 0 && second.store.duplicates == 4 && second.store.changed == 0)
    }

    @Test func nonexistentLocalTimesAreRejected() async throws {
        let mapping = """
            kind: realtime
            time: {column: time, zone: America/New_York}
            station: {fixed: ny}
            long: {parameter: parameter, value: value, flag: flag}
            """
        let csv = """
            time,parameter,value,flag
            2024-03-10T01:30,PM2.5,5,N
            2024-03-10T02:30,PM2.5,6,N
            2024-03-10T03:30,PM2.5,7,C
            2024-03-10T04:30,PM2.5,7,Q
            2024-03-10T05:30,COD,7,N
            """
        let (r, store) = try await run(csv, mapping: mapping)
        #expect(r.rejections.map(\.reason) == [
            "bad time: '2024-03-10T02:30' does not exist in America/New_York (the clocks skip it)",
            "PM2.5: unknown data flag 'Q'", "station 'ny' does not report COD",
        ])
        let stored = try await store.samples(of: SeriesKey(station: "ny", parameter: "PM2.5", kind: .realtime), in: 0..<Int64.max)
        #expect(stored.map(\.flag) == [.normal, .calibration])
        #expect(stored.map(\.time) == [1_710_052_200, 1_710_055_800])  // 06:30Z and 07:30Z
    }

    @Test func missingHeaderColumnAndBadMappingAreClearErrors() async throws {
        await #expect(throws: CollectorError.self) {
            _ = try await run("year,month,day,PM2.5,station\n2017,1,1,3,Alpha\n")
        }
        #expect {
            _ = try ImportMapping(path: dir.write("bad.yaml", "time: {column: t}\nstation: {column: s}\nvalues:\n  - {column: X, parameter: PMX}\n"))
        } throws: { error in
            "\(error)".hasSuffix("bad.yaml:4:28: unknown parameter 'PMX'")
        }
    }

    let longMapping = """
        kind: realtime
        time: {column: time, zone: America/New_York}
        station: {column: station, map: {'Alpha "A"': a}}
        long: {parameter: parameter, value: value, flag: flag}
        """

    @Test func rejectedRowsAreReportedWithLineAndReason() async throws {
        // CRLF line ends, a quoted station name with doubled quotes, a line break inside quotes.
        let csv = [
            "time,station,parameter,value,flag",
            "2024-03-10T01:30,ny,PM2.5,5,N",  // 2
            "2024-03-10T02:30,ny,PM2.5,6,N",  // 3: in New York's spring gap
            "2024-03-10T03:30X,ny,PM2.5,7,N",  // 4: malformed at column 17
            "2024-03-10 03:40,\"Alpha \"\"A\"\"\",CO,1.5,N",  // 5: a through the map
            "2024-03-10T03:50,\"no\nwhere\",PM2.5,1,N",  // 6-7
            "2024-03-10T04:00,ny,PM2.5,abc,N",  // 8
            "2024-03-10T04:10,ny,PMX,1,N",  // 9
            "2024-03-10T04:20,ny,PM2.5,1,Q",  // 10
            "2024-03-10T04:30,ny,PM2.5",  // 11
            "2024-03-10T04:40,ny,PM2.5,,N",  // 12: missing
            "2024-03-10T04:50Z,ny,PM2.5,9,N",  // 13
        ].joined(separator: "\r\n")
        let (r, store) = try await run(csv, mapping: longMapping)
        #expect(r.rowsRead == 11)
        #expect(r.valuesMissing == 1)
        let reasons = r.rejections.map { "\($0.reason) @\($0.lines)" }
        #expect(reasons == [
            "bad time: '2024-03-10T02:30' does not exist in America/New_York (the clocks skip it) @[3]",
            "bad time: '2024-03-10T03:30X' is not an ISO 8601 time (e.g. 2014-01-01T05:00:00+08:00): at column 17, expected the end, 'Z' or an offset such as +08:00 @[4]",
            "unknown station 'no\nwhere' @[6]",
            "PM2.5: not a number @[8]",
            "unknown parameter 'PMX' @[9]",
            "PM2.5: unknown data flag 'Q' @[10]",
            "malformed row: expected 5 fields, found 3 @[11]",
        ])
        #expect(r.rowsRejected == 4 && r.valuesRejected == 3)
        let ny = try await store.samples(of: SeriesKey(station: "ny", parameter: "PM2.5", kind: .realtime), in: 0..<Int64.max)
        #expect(ny.map(\.time) == [1_710_046_200, 1_710_052_200])  // 04:50Z, 06:30Z
        let co = try await store.samples(of: SeriesKey(station: "a", parameter: "CO", kind: .realtime), in: 0..<Int64.max)
        #expect(co.map(\.value) == [1.5])
    }

    @Test func aUnitColumnConvertsEachRowsValue() async throws {
        let mapping = """
            time: {column: time, zone: Asia/Shanghai}
            station: {fixed: a}
            long: {parameter: parameter, value: value, unit: unit}
            """
        let csv = """
            time,parameter,value,unit
            2024-01-01T00:00,CO,1200,µg/m3
            2024-01-01T00:01,CO,1.5,mg/m3
            2024-01-01T00:02,CO,2.5,furlongs
            2024-01-01T00:03,CO,3,m/s
            2024-01-01T00:04,CO,4,µg/m3
            """
        let (r, store) = try await run(csv, mapping: mapping)
        // An unknown unit is no unit: the station's own applies.
        #expect(r.rejections.map { "\($0.reason) @\($0.lines)" } == ["CO: unit m/s cannot be converted to mg/m³ @[5]"])
        let co = try await store.samples(of: SeriesKey(station: "a", parameter: "CO", kind: .realtime), in: 0..<Int64.max)
        #expect(co.map(\.value) == [1.2, 1.5, 2.5, 0.004])
    }

    /// Records what the importer hands over: the size of each chunk and whether it was the last.
    final class Handovers: Sendable {
        let calls = Locked<[String]>([])
        func submit(_ samples: [Sample], _ isLast: Bool) -> WriteSummary {
            calls.withLock { $0.append("\(samples.count)\(isLast ? " last" : "")") }
            var summary = WriteSummary()
            summary.inserted = samples.count
            return summary
        }
    }

    @Test(arguments: [
        (7, 0, ["3", "3", "1 last"]),
        (6, 0, ["3", "3 last"]),
        (6, 2, ["3", "3 last"]),  // rows after the last full chunk, all rejected
        (2, 0, ["2 last"]),
        (0, 3, []),
    ] as [(Int, Int, [String])])
    func theLastChunkIsMarkedEvenWhenTheRowsAfterItAreRejected(good: Int, bad: Int, expected: [String]) async throws {
        var csv = "time,station,parameter,value,flag\n"
        for i in 0..<good { csv += "2024-01-01T00:\(10 + i),ny,PM2.5,\(i),N\n" }
        for _ in 0..<bad { csv += "2024-01-01T00:59,nowhere,PM2.5,1,N\n" }
        var importer = CSVImporter(mapping: try ImportMapping(path: dir.write("m.yaml", longMapping)), stations: stations)
        importer.chunkSize = 3
        let handovers = Handovers()
        let report = try await importer.run(path: dir.write("in.csv", csv), submit: { handovers.submit($0, $1) })
        #expect(handovers.calls.withLock { $0 } == expected)
        #expect(report.store.inserted == good && report.rowsRejected == bad)
    }

    /// The import returns once its last batch is committed, without the writer's `maxDelay`:
    /// the clock is never advanced, so a batch left waiting for it would never be committed
    /// (and the time limit would fail the test).
    @Test(.timeLimit(.minutes(1))) func anImportThroughTheWriterEndsWithoutWaitingForItsDelay() async throws {
        let clock = TestClock()
        let store = try SQLiteStore(path: dir.file("w.sqlite"), stations: stations, retention: .forever)
        let writer = BatchingWriter(store: store, maxBatch: 3, maxDelay: .seconds(3_600), clock: clock)
        var importer = CSVImporter(mapping: try ImportMapping(path: dir.write("m.yaml", longMapping)), stations: stations)
        importer.chunkSize = 3
        for rows in [1, 7] {
            var csv = "time,station,parameter,value,flag\n"
            for i in 0..<rows { csv += "2024-01-0\(rows)T00:\(10 + i),ny,PM2.5,\(i),N\n" }
            let report = try await importer.run(
                path: dir.write("in\(rows).csv", csv), submit: { try await writer.submit($0, commitAtOnce: $1) })
            #expect(report.store.inserted == rows)
        }
        #expect(clock.now.offset == .zero)
        #expect(try await store.sampleCount(of: SeriesKey(station: "ny", parameter: "PM2.5", kind: .realtime)) == 8)
        await writer.close()
    }
}
