import EnvmonTesting
import Foundation
import Monitoring
@testable import Store
import Testing

/// A reading that was acknowledged is stored, whatever sensors/ says later: a station or a
/// parameter removed while its readings are staged keeps them (and its series), on reload and
/// after a restart; removing it only stops new readings from being taken.
@Suite struct RemovedStationTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock(1_700_000_000)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    let mill = TestStations.station("paper-mill", kind: .dischargeOutlet, parameters: ["COD", "NH3-N"])
    let plant = TestStations.station("wwtp", kind: .dischargeOutlet, parameters: ["COD", "NH3-N"])
    var millWithoutNH3: Station {
        var s = mill
        s.parameters.removeAll { $0.parameter.id == "NH3-N" }
        return s
    }

    func open(_ stations: StationRegistry) throws -> SQLiteStore {
        let clock = self.clock
        return try SQLiteStore(
            path: dir.file("store.sqlite"), stations: stations, retention: .forever, clock: { clock.now },
            staging: StagingPolicy(maxBatch: 100, foldRows: 1_000, foldSeconds: 60))
    }

    func key(_ station: String, _ parameter: String) -> SeriesKey { SeriesKey(station: station, parameter: parameter, kind: .hour) }

    /// Five hours of both parameters of a station.
    func hours(_ station: String, _ range: Range<Int> = 0..<5) -> [[Sample]] {
        range.map { h in
            [
                Sample(series: key(station, "COD"), time: t0 + Int64(h) * 3_600, value: 40 + Double(h), flag: .normal),
                Sample(series: key(station, "NH3-N"), time: t0 + Int64(h) * 3_600, value: 2 + Double(h), flag: .normal),
            ]
        }
    }

    @Test func aStationRemovedOnReloadKeepsItsStagedReadings() async throws {
        let store = try open(TestStations.registry(mill, plant))
        for batch in hours("paper-mill") { #expect(try await store.write(batch).summary.inserted == 2) }
        // sensors/ reloaded without the mill, then another station sends: its commit folds.
        try await store.updateStations(TestStations.registry(plant))
        for batch in hours("wwtp", 0..<1) { _ = try await store.write(batch) }
        #expect(try await store.sampleCount(of: key("paper-mill", "COD")) == 5)
        #expect(try await store.sampleCount(of: key("paper-mill", "NH3-N")) == 5)
        let stored = try await store.samples(of: key("paper-mill", "COD"), in: t0..<(t0 + 5 * 3_600))
        #expect(stored.map(\.value) == [40, 41, 42, 43, 44])
        // Its hour rollups were made with the stored series' zone and interval.
        let hourly = try await store.aggregate(
            AggregateQuery(series: key("paper-mill", "COD"), range: t0..<(t0 + 5 * 3_600), step: 3_600, function: .avg))
        #expect(hourly.map(\.value) == [40, 41, 42, 43, 44])
        // But new readings of the removed station are refused.
        let late = try await store.write([Sample(series: key("paper-mill", "COD"), time: t0 + 5 * 3_600, value: 1, flag: .normal)])
        #expect(late.outcomes == [.unknownSeries])
        #expect(try await store.sampleCount(of: key("paper-mill", "COD")) == 5)
        try store.close()
    }

    @Test func aRemovedStationStillRefusesNewReadingsAfterItsStagedOnesWereFolded() async throws {
        // The fold gives the removed series a slot; that slot must not admit a new reading.
        let store = try open(TestStations.registry(mill, plant))
        for batch in hours("paper-mill") { _ = try await store.write(batch) }
        try await store.updateStations(TestStations.registry(plant))
        _ = try await store.write(hours("wwtp", 0..<1)[0])  // folds the mill's staged rows
        let late = try await store.write([Sample(series: key("paper-mill", "NH3-N"), time: t0 + 9 * 3_600, value: 1, flag: .normal)])
        #expect(late.outcomes == [.unknownSeries])
        #expect(try await store.sampleCount(of: key("paper-mill", "NH3-N")) == 5)
        try store.close()
    }

    @Test func aParameterRemovedOnReloadKeepsItsStagedReadings() async throws {
        let store = try open(TestStations.registry(mill, plant))
        for batch in hours("paper-mill") { _ = try await store.write(batch) }
        try await store.updateStations(TestStations.registry(millWithoutNH3, plant))
        for batch in hours("paper-mill", 5..<6) { _ = try await store.write(batch) }
        #expect(try await store.sampleCount(of: key("paper-mill", "NH3-N")) == 5)
        #expect(try await store.sampleCount(of: key("paper-mill", "COD")) == 6)
        try store.close()
    }

    @Test func aStationMissingAtRestartKeepsTheReadingsStagedBeforeTheCrash() async throws {
        do {
            let store = try open(TestStations.registry(mill, plant))
            for batch in hours("paper-mill") { _ = try await store.write(batch) }
            // No close: the staged rows are committed but not folded, as after SIGKILL.
        }
        let again = try open(TestStations.registry(millWithoutNH3, plant))
        for batch in hours("wwtp", 0..<1) { _ = try await again.write(batch) }
        #expect(try await again.sampleCount(of: key("paper-mill", "COD")) == 5)
        #expect(try await again.sampleCount(of: key("paper-mill", "NH3-N")) == 5)
        try again.close()

        let third = try open(TestStations.registry(plant))
        #expect(try await third.sampleCount(of: key("paper-mill", "COD")) == 5)
        #expect(try await third.allSeries().contains(key("paper-mill", "NH3-N")))
        try third.close()
    }

    @Test func aRestartWithoutTheStationWhileStagedKeepsEverythingWithoutAnyOtherWrite() async throws {
        do {
            let store = try open(TestStations.registry(mill, plant))
            for batch in hours("paper-mill") { _ = try await store.write(batch) }
        }
        // Opened and closed without the station: close folds what is staged.
        let again = try open(TestStations.registry(plant))
        try again.close()
        let third = try open(TestStations.registry(plant))
        #expect(try await third.sampleCount(of: key("paper-mill", "COD")) == 5)
        #expect(try await third.stagedLogReadings() == 0)
        try third.close()
    }
}
