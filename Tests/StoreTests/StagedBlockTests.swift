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

    /// The stored bytes, pinned: a file written by this envmon must stay readable by the next.
    @Test func aBlocksBytesAreItsFormatByteAndLittleEndianRecords() {
        let block = StagedBlock([(series: 3, time: 0x0102_0304_0506_0708, value: 1.5, flag: .maintenance)])
        #expect(block.bytes == [
            1,  // format
            3, 0, 0, 0, 0, 0, 0, 0,  // series 3
            0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,  // time
            0, 0, 0, 0, 0, 0, 0xF8, 0x3F,  // 1.5 = 0x3FF8000000000000
            UInt8(ascii: "M"),
        ])
    }

    @Test func aLiveCommitStagesOneBlockAndACrashFoldsIt() async throws {
        do {
            let store = try open()
            _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
            _ = try await store.write([Sample(series: key, time: t0 + 60, value: 2, flag: .normal)])
            _ = try await store.write([Sample(series: key, time: t0 + 120, value: 3, flag: .maintenance)])
            #expect(try await store.stagedLogReadings() == 3)
            #expect(try await store.stagedBlocksForTests() == 3)  // one a commit
            // No close: as after a crash, the readings are in the log only.
        }
        let again = try open()
        let samples = try await again.samples(of: key, in: t0..<(t0 + 180))
        #expect(samples.map(\.value) == [1, 2, 3])
        #expect(samples.map(\.flag) == [.normal, .normal, .maintenance])
        #expect(try await again.stagedLogReadings() == 0)
        try again.close()
    }

    @Test func rowsAnOlderEnvmonStagedFoldBeforeTheBlocks() async throws {
        let store = try open()
        _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
        let id = try #require(try await store.seriesIDForTests(key))
        // The older rows say 5 at t0 + 60 and 9 at t0 + 240; the block, staged after them,
        // corrects the first to 6 and adds t0 + 120. Staging order decides: the block's version
        // wins, and the older row no block touches is folded as it is.
        try await store.layOutStagedLogForTests(
            legacy: [(series: id, time: t0 + 60, value: 5, flag: .normal), (series: id, time: t0 + 240, value: 9, flag: .normal)],
            blocks: [StagedBlock([(series: id, time: t0 + 60, value: 6, flag: .calibration), (series: id, time: t0 + 120, value: 7, flag: .normal)]).bytes])
        // The first write's block, the two older rows and the laid-out block's two readings.
        #expect(try await store.stagedLogReadings() == 5)
        let samples = try await store.samples(of: key, in: t0..<(t0 + 300))
        #expect(samples.map(\.value) == [1, 6, 7, 9])
        #expect(samples[1].flag == .calibration)
        #expect(try await store.stagedLogReadings() == 0)
        // Live staging goes on after the recovery.
        _ = try await store.write([Sample(series: key, time: t0 + 300, value: 8, flag: .normal)])
        #expect(try await store.samples(of: key, in: t0..<(t0 + 360)).map(\.value) == [1, 6, 7, 9, 8])
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
            // Block 1 is the first write's; the cut one is block 2.
            return "\(error)".contains("staged block 2 ") && "\(error)".contains("the staged rows are kept")
        }
        // Nothing was folded or deleted: the block is still there for whoever repairs the file,
        // and every read that needs it still says so.
        #expect(try await store.stagedLogReadings() == 2)
        await #expect(throws: StoreError.self) { _ = try await store.samples(of: key, in: t0..<(t0 + 120)) }
    }

    /// A file a newer envmon migrated may keep readings where this one does not look: it is
    /// refused at open, saying so, instead of written.
    @Test func aStoreANewerEnvmonMigratedIsRefused() async throws {
        let store = try open()
        _ = try await store.write([Sample(series: key, time: t0, value: 1, flag: .normal)])
        try await store.recordUnknownMigrationForTests("v99-from-the-future")
        try store.close()
        #expect {
            _ = try open()
        } throws: { error in
            "\(error)".contains("written by a newer envmon")
        }
    }
}
