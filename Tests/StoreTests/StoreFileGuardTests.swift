import EnvmonTesting
import Foundation
import Monitoring
@testable import Store
import Testing

/// The daemon's store file lost from under it (moved, replaced, overwritten) is noticed at the
/// next commit, and that commit is refused (not acknowledged); and the durability setting.
@Suite struct StoreFileGuardTests {
    let dir = TemporaryDirectory()
    let station = TestStations.station("s1", parameters: ["PM2.5"])
    var key: SeriesKey { SeriesKey(station: "s1", parameter: "PM2.5", kind: .hour) }
    let t0: Int64 = 1_704_038_400

    func open(_ synchronous: SQLiteStore.Synchronous = .normal) throws -> SQLiteStore {
        try SQLiteStore(
            path: dir.file("store.sqlite"), stations: TestStations.registry(station), retention: .forever,
            staging: .live, synchronous: synchronous)
    }

    func sample(_ h: Int) -> [Sample] { [Sample(series: key, time: t0 + Int64(h) * 3_600, value: Double(h), flag: .normal)] }

    func expectFileLost(_ store: SQLiteStore, _ text: String) async {
        await #expect {
            _ = try await store.write(sample(9))
        } throws: { error in
            (error as? StoreError)?.code == .fileLost && "\(error)".contains(text)
        }
        #expect(store.fileProblem?.contains(text) == true)
        // And it stays refused.
        await #expect(throws: StoreError.self) { _ = try await store.write(sample(10)) }
    }

    @Test func aGuardedStoreWritesNormallyAndMarksItsFile() async throws {
        let store = try open()
        try store.guardFile()
        for h in 0..<3 { #expect(try await store.write(sample(h)).summary.inserted == 1) }
        try store.checkFile()
        #expect(store.fileProblem == nil)
        try store.close()
    }

    @Test func aMovedFileIsNoticedAtTheNextCommit() async throws {
        let store = try open()
        try store.guardFile()
        _ = try await store.write(sample(0))
        try FileManager.default.moveItem(atPath: dir.file("store.sqlite"), toPath: dir.file("moved.sqlite"))
        await expectFileLost(store, "is gone")
        #expect(throws: StoreError.self) { try store.close() }
    }

    @Test func aFileReplacedByACopyIsNoticed() async throws {
        let store = try open()
        try store.guardFile()
        _ = try await store.write(sample(0))
        let path = dir.file("store.sqlite")
        // A copy renamed over it, as `cp` then `mv` would: the path never goes missing (the
        // background checkpointer checks too, and would rightly call a missing path "gone").
        try FileManager.default.copyItem(atPath: path, toPath: path + ".copy")
        #expect(rename(path + ".copy", path) == 0)
        await expectFileLost(store, "replaced by another file")
    }

    @Test func anotherStoreCopiedOverItInPlaceIsNoticed() async throws {
        // Another store file, byte for byte a valid SQLite file with the same page size.
        let other = try SQLiteStore(path: dir.file("other.sqlite"), stations: TestStations.registry(station), retention: .forever)
        _ = try await other.write(sample(0))
        try other.close()
        let store = try open()
        try store.guardFile()
        _ = try await store.write(sample(0))
        let data = try Data(contentsOf: URL(fileURLWithPath: dir.file("other.sqlite")))
        let handle = try #require(FileHandle(forWritingAtPath: dir.file("store.sqlite")))
        try handle.write(contentsOf: data)
        try handle.close()
        await expectFileLost(store, "overwritten in place by another SQLite file")
    }

    @Test func aTruncatedFileIsNoticed() async throws {
        let store = try open()
        try store.guardFile()
        _ = try await store.write(sample(0))
        #expect(truncate(dir.file("store.sqlite"), 0) == 0)
        await expectFileLost(store, "truncated")
    }

    @Test func anUnguardedStoreIsNotChecked() async throws {
        // CLI commands open the daemon's file beside it: they must not mark it, or the daemon
        // would take the new mark for an overwrite.
        let daemon = try open()
        try daemon.guardFile()
        _ = try await daemon.write(sample(0))
        let cli = try open()
        _ = try await cli.write(sample(1))
        try cli.close()
        #expect(try await daemon.write(sample(2)).summary.inserted == 1)
        try daemon.checkFile()
        try daemon.close()
    }

    @Test func synchronousFullSyncsEveryCommit() async throws {
        for mode in SQLiteStore.Synchronous.allCases {
            let store = try SQLiteStore(
                path: dir.file("\(mode).sqlite"), stations: TestStations.registry(station), synchronous: mode)
            // SQLite's codes: 1 NORMAL, 2 FULL; on the writer connection, which commits.
            let level = try await store.writerPragma("synchronous")
            #expect(level == (mode == .full ? 2 : 1))
            try store.close()
        }
    }
}

/// The writer's state is checked where its invariant is stated: touched from a connection other
/// than the writer, the process stops at once instead of racing.
@Suite struct WriterBoundTests {
    @Test func theWritersStateTouchedFromAReaderStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let path = NSTemporaryDirectory() + "writer-bound-\(getpid()).sqlite"
            let store = try SQLiteStore(path: path, stations: TestStations.registry(TestStations.station("s1", parameters: ["PM2.5"])))
            try await store.touchWriterStateFromAReader()
        }
    }

    @Test func theWritersStateOnTheWriterIsFine() async throws {
        let dir = TemporaryDirectory()
        let store = try SQLiteStore(path: dir.file("s.sqlite"), stations: TestStations.registry(TestStations.station("s1", parameters: ["PM2.5"])))
        #expect(try await store.onWriter { $0.stagedRows } == 0)
        try store.close()
    }
}
