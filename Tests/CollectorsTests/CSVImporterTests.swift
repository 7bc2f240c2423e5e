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
            path: dir.write("in.csv", csv), submit: { try await store.write($0).summary })
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
        let first = try await importer.run(path: path, submit: { try await store.write($0).summary })
        let second = try await importer.run(path: path, submit: { try await store.write($0).summary })
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
}
