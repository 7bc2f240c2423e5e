import EnvmonTesting
import Foundation
import Monitoring
@testable import Store
import Testing

/// The staged log keeps a commit's readings as one block: every reading comes back as it was
/// staged, a file with rows an older envmon left in `staged` folds them before the blocks, and a
/// damaged block stops recovery with its `seq` instead of folding part of the log.
@Suite struct StagedBlockTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock(1_700_000_000)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400
    let key = SeriesKey(station: "s0", parameter: "PM2.5", kind: .minute)

    func open() throws -> SQLiteStore {
        let clock = self.clock
        return try SQLiteStore(
            path: dir.file("store.sqlite"), stations: StationRegistry([TestStations.station("s0", parameters: ["PM2.5"])]),
            retention: .forever, clock: { clock.now }, staging: StagingPolicy(maxBatch: 100, foldRows: 1_000, foldSeconds: 3_600))
    }

    @Test func aBlockGivesBackEveryReadingAsItWasStaged() throws {
        let rows: [(series: Int64, time: Int64, value: Double, flag: DataFlag)] = DataFlag.allCases.enumerated().map { i, flag in
            (series: Int64(i) * 1_000_003 - 7, time: t0 + Int64(i) * 60 - 1_000_000_000, value: [-0.0, 1e300, -3.25, 0.1][i % 4] * Double(i + 1), flag: flag)
        }
        let block = StagedBlock(rows)
        #expect(block.count == rows.count)
        #expect(block.bytes.count == 1 + rows.count * StagedBlock.recordBytes)
        var back: [(series: Int64, time: Int64, value: Double, flag: DataFlag)] = []
        try block.bytes.withUnsafeBytes { raw in
            try StagedBlock.decode(raw, seq: 1) { back.append((series: $0, time: $1, value: $2, flag: $3)) }
        }
        #expect(back.count == rows.count)
        for (a, b) in zip(rows, back) {
            #expect(a.series == b.series && a.time == b.time && a.flag == b.flag)
            #expect(a.value.bitPattern == b.value.bitPattern)
        }
    }

    @Test func aLiveCommitStagesOneBlockAndACrashFoldsIt() async throws {
        do {
            let store = try open()
            _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
            _ = try await store.write([Sample(series: key, time: t0 + 60, value: 2, flag: .normal)])
            _ = try await store.write([Sample(series: key, time: t0 + 120, value: 3, flag: .maintenance)])
            #expect(try await store.stagedTableRows() == 3)
            // No close: as after a crash, the readings are in the log only.
        }
        let again = try open()
        let samples = try await again.samples(of: key, in: t0..<(t0 + 180))
        #expect(samples.map(\.value) == [1, 2, 3])
        #expect(samples.map(\.flag) == [.normal, .normal, .maintenance])
        #expect(try await again.stagedTableRows() == 0)
        try again.close()
    }

    @Test func rowsAnOlderEnvmonStagedFoldBeforeTheBlocks() async throws {
        let store = try open()
        _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
        let id = try #require(try await store.seriesIDForTests(key))
        // The older row says 5 at t0 + 60; the block, staged after it, corrects it to 6 and
        // adds t0 + 120. Staging order decides: the block's version wins.
        try await store.layOutStagedLogForTests(
            legacy: [(series: id, time: t0 + 60, value: 5, flag: .normal)],
            blocks: [StagedBlock([(series: id, time: t0 + 60, value: 6, flag: .calibration), (series: id, time: t0 + 120, value: 7, flag: .normal)]).bytes])
        // The first write's block, the older row and the laid-out block's two readings.
        #expect(try await store.stagedTableRows() == 4)
        let samples = try await store.samples(of: key, in: t0..<(t0 + 180))
        #expect(samples.map(\.value) == [1, 6, 7])
        #expect(samples[1].flag == .calibration)
        #expect(try await store.stagedTableRows() == 0)
        // Live staging goes on after the recovery.
        _ = try await store.write([Sample(series: key, time: t0 + 180, value: 8, flag: .normal)])
        #expect(try await store.samples(of: key, in: t0..<(t0 + 240)).map(\.value) == [1, 6, 7, 8])
        try store.close()
    }

    @Test func aDamagedBlockStopsRecoveryWithItsSeqAndKeepsTheLog() async throws {
        let store = try open()
        _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
        let id = try #require(try await store.seriesIDForTests(key))
        var cut = StagedBlock([(series: id, time: t0 + 60, value: 2, flag: .normal)]).bytes
        cut.removeLast(3)
        try await store.layOutStagedLogForTests(legacy: [], blocks: [cut])
        await #expect {
            _ = try await store.samples(of: key, in: t0..<(t0 + 120))
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return "\(error)".contains("staged block") && "\(error)".contains("the staged rows are kept")
        }
        // Nothing was folded or deleted: the block is still there for whoever repairs the file,
        // and every read that needs it still says so.
        #expect(try await store.stagedTableRows() == 2)
        await #expect(throws: StoreError.self) { _ = try await store.samples(of: key, in: t0..<(t0 + 120)) }
    }
}
