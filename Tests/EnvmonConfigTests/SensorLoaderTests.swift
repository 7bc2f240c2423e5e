import EnvmonConfig
import Foundation
import Monitoring
import Testing

@Suite struct SensorLoaderTests {
    let dir = NSTemporaryDirectory() + "envmon-sensors-\(UUID().uuidString)"

    init() { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    func write(_ name: String, _ text: String) -> String {
        let path = "\(dir)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func errors(_ files: [String]) -> [ConfigError] {
        do {
            _ = try SensorLoader().load(files: files)
            return []
        } catch {
            return error.errors
        }
    }

    @Test func loadsAStationWithUnitsAndLimits() throws {
        let f = write(
            "mill.yaml",
            """
            id: mill
            name: Paper mill outlet
            kind: discharge-outlet
            time_zone: Asia/Shanghai
            interval: 10m
            hj212: {mn: "88888880000001", password: "123456"}
            parameters:
              COD: {limit: {max: 80, basis: hour, source: permit}}
              NH3N: {}
              pH: {limit: {min: 6, max: 9}}
              Q-water: {unit: m3/h}
            """)
        let registry = try SensorLoader().load(files: [f])
        let s = try #require(registry["mill"])
        #expect(s.expectedInterval == 600)
        #expect(s.parameter("NH3-N") != nil)  // alias resolved to the catalogue id
        #expect(s.parameter("COD")?.limits == [Limit(basis: .hour, max: 80, source: "permit")])
        #expect(s.parameter("Q-water")?.reportedUnit == .cubicMetrePerHour)
        #expect(s.parameter("Q-water")?.unit == .litrePerSecond)
        #expect(registry.station(mn: "88888880000001")?.id == "mill")
    }

    @Test func unknownParameterNamesFileLineAndColumn() {
        let f = write(
            "bad.yaml",
            """
            id: x
            name: X
            kind: ambient-air
            parameters:
              PM2.5: {}
              PM25x: {}
              COD: {}
            """)
        let e = errors([f])
        #expect(e.count == 2)
        #expect(e[0].code == .unknownParameter)
        #expect(e[0].description.hasPrefix("\(f):6:3: unknown parameter 'PM25x'"))
        #expect(e[1].description.contains(":7:3: parameter 'COD' is not measured in ambient"))
    }

    @Test func duplicateMNAndIDAcrossFilesAreReported() {
        let a = write("a.yaml", "id: a\nname: A\nkind: stack\nhj212: {mn: \"M1\"}\nparameters: [SO2]\n")
        let b = write("b.yaml", "id: b\nname: B\nkind: stack\nhj212: {mn: \"M1\"}\nparameters: [SO2]\n")
        let c = write("c.yaml", "id: a\nname: C\nkind: stack\nparameters: [NOx]\n")
        let e = errors([a, b, c])
        #expect(e.map(\.code) == [.duplicateMN, .duplicateID])
        #expect(e[0].file == b && e[0].line == 4)
        #expect(e[1].file == c && e[1].line == 1)
    }

    @Test func badTimeZoneKindAndSyntaxAreLocated() {
        let tz = write("tz.yaml", "id: t\nname: T\nkind: stack\ntime_zone: Asia/Beijing\nparameters: [SO2]\n")
        let kind = write("kind.yaml", "id: k\nname: K\nkind: chimney\nparameters: [SO2]\n")
        let syntax = write("syntax.yaml", "id: s\nname: [unclosed\nkind: stack\n")
        let typo = write("typo.yaml", "id: y\nname: Y\nkind: stack\nintervall: 1h\nparameters: [SO2]\n")
        let e = errors([tz, kind, syntax, typo])
        #expect(e.map(\.code) == [.badTimeZone, .unknownKind, .syntax, .unknownField])
        #expect(e[0].line == 4 && e[0].column == 12)
        #expect(e[1].line == 3)
        #expect(e[2].file == syntax && e[2].line != nil)
        #expect(e[3].line == 4 && e[3].message.contains("intervall"))
    }

    @Test func shippedSensorsAndSeedsLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let city = try SensorLoader().load(directory: "\(root)/sensors")
        #expect(city.stations.count == 8)
        #expect(Set(city.stations.map(\.kind)) == Set(StationKind.allCases))
        let beijing = try SensorLoader().load(directory: "\(root)/seeds/sensors")
        #expect(beijing.stations.count == 12)
    }
}
