import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The writer's fast paths: many series interleaved in one batch, rows going in a chunk at a time
/// above each series' high-water mark, and the fallback when that mark is wrong.
@Suite struct BatchWriteTests {
    let dir = TemporaryDirectory()
    let parameters = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    var stations: StationRegistry {
        StationRegistry((0..<7).map { TestStations.station("s\($0)", parameters: parameters) })
    }
    var keys: [SeriesKey] {
        stations.stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
    }

    func open() throws -> SQLiteStore { try SQLiteStore(path: dir.file("store.sqlite"), stations: stations, retention: .forever) }

    /// `minutes` of one-minute data of every series, interleaved as a live feed sends it.
    func feed(minutes: Range<Int>) -> [Sample] {
        minutes.flatMap { m in
            keys.enumerated().map { i, key in
                Sample(
                    series: key, time: t0 + Int64(m) * 60, value: Double((i * 31 + m * 17) % 200) / 4,
                    flag: m % 97 == 5 ? .calibration : .normal)
            }
        }
    }

    @Test func interleavedBatchesStoreEverySampleOnceWithTheirRollups() async throws {
        let store = try open()
        // 42 series × 150 minutes in three batches of 50 minutes: each batch fills several
        // 256-row chunks and leaves a partial one.
        var inserted = 0
        for part in 0..<3 {
            let result = try await store.write(feed(minutes: (part * 50)..<(part * 50 + 50)))
            #expect(result.outcomes.allSatisfy { $0 == .inserted })
            inserted += result.summary.inserted
        }
        #expect(inserted == 42 * 150)
        for key in keys { #expect(try await store.sampleCount(of: key) == 150) }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 3)

        // The whole feed again, shuffled, with a batch-internal duplicate and one changed value.
        var again = feed(minutes: 0..<150).shuffled()
        let changed = again[7]
        again[7] = Sample(series: changed.series, time: changed.time, value: changed.value + 1, flag: changed.flag)
        again.append(again[0])
        let result = try await store.write(again)
        #expect(result.summary.inserted == 0)
        #expect(result.summary.changed == 1)
        #expect(result.summary.duplicates == again.count - 1)
        #expect(result.outcomes[7] == .changed)
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 3)
        try store.close()
    }

    @Test func aStaleHighWaterMarkFallsBackToRowByRowInserts() async throws {
        // Two writers on one file (an `envmon import` while `envmon serve` runs): the first
        // remembers its series' newest sample, then the second stores newer ones behind its back.
        let daemon = try open()
        _ = try await daemon.write(feed(minutes: 0..<60))
        let importer = try open()
        _ = try await importer.write(feed(minutes: 60..<120))
        try importer.close()

        // A chunked insert that assumes nothing is stored above the mark meets its unique
        // constraint; the batch goes in row by row and every outcome is right.
        let result = try await daemon.write(feed(minutes: 60..<180))
        #expect(result.summary.inserted == 42 * 60)
        #expect(result.summary.duplicates == 42 * 60)
        for key in keys { #expect(try await daemon.sampleCount(of: key) == 180) }
        try await expectRollupsMatchRaw(daemon, keys: keys, from: t0, hours: 3)
        try daemon.close()
    }
}
