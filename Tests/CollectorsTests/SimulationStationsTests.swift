import Collectors
import EnvmonConfig
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// Made-up stations, their YAML, and the latency summary of the simulator.
@Suite struct SimulationStationsTests {
    let dir = TemporaryDirectory("envmon-sim")

    @Test func syntheticStationsAreDeterministicAndRoundTripThroughTheSensorLoader() throws {
        let stations = SyntheticStations.stations(9)
        #expect(stations.map(\.id).prefix(3) == ["sim-0001", "sim-0002", "sim-0003"])
        #expect(stations.map(\.kind).prefix(4) == [.ambientAir, .dischargeOutlet, .stack, .surfaceWater])
        #expect(stations[0].mn == "SIM000000000000000000001" && stations[0].mn?.count == 24)
        #expect(stations == SyntheticStations.stations(9), "the same ids, MNs and passwords every time")
        #expect(Set(stations.compactMap(\.mn)).count == 9 && Set(stations.compactMap(\.password)).count == 9)
        #expect(stations.allSatisfy { $0.expectedInterval == 60 && $0.timeZone.identifier == "Asia/Shanghai" })
        #expect(SyntheticStations.stations(3, mix: .ambientAir).allSatisfy { $0.kind == .ambientAir })

        let files = stations.map { dir.write("\($0.id).yaml", StationYAML.text($0, comment: "made up\nfor a test")) }
        let loaded = try SensorLoader().load(files: files)
        #expect(loaded.stations == stations)
        for s in stations { #expect(try StationSimulator(s, seed: 1).model.mn == s.mn) }
    }

    @Test func syntheticStationsSpreadOverACityOfAbout30Kilometres() throws {
        let places = SyntheticStations.stations(1_000).compactMap(\.location)
        #expect(places.count == 1_000)
        #expect(Set(places).count == 1_000, "no two stations on one spot")
        let lats = places.map(\.latitude)
        let lons = places.map(\.longitude)
        #expect(lats.min()! >= 36.545 && lats.max()! <= 36.815)
        #expect(lons.min()! >= 116.85 && lons.max()! <= 117.19)
        // Spread over the box, not bunched: each quarter of it holds a fair share.
        let ne = places.filter { $0.latitude > 36.68 && $0.longitude > 117.02 }.count
        #expect((200...300).contains(ne), "\(ne) of 1,000 in the north-east quarter")
        #expect(SyntheticStations.location(7) == SyntheticStations.location(7))
    }

    @Test func theRealSensorsRoundTripThroughStationYAML() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let original = try SensorLoader().load(directory: root + "/sensors")
        #expect(original.stations.count == 8)
        let files = original.stations.map { dir.write("\($0.id).yaml", StationYAML.text($0)) }
        #expect(try SensorLoader().load(files: files).stations == original.stations)
    }

    @Test func latencyPercentilesAreNearestRank() {
        let summary = LatencySummary((1...100).map { Int64($0) }.shuffled())
        #expect(summary.count == 100 && summary.p50 == 50 && summary.p90 == 90 && summary.p99 == 99 && summary.max == 100)
        let one = LatencySummary([7])
        #expect(one.p50 == 7 && one.p99 == 7)
        #expect(LatencySummary([]).p50 == nil)
    }
}
