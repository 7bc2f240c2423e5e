import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// A read-only handle (what `envmon query` and the reports open) reads without writing: the
/// file and its WAL are left as they were, and whatever it cannot serve sends the caller to the
/// ordinary open.
@Suite struct ReadOnlyStoreTests {
    let dir = TemporaryDirectory()
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    let t0: Int64 = 1_704_038_400

    func written(staging: StagingPolicy? = nil, close: Bool = true) async throws -> String {
        let path = dir.file("ro.sqlite")
        let store = try SQLiteStore(path: path, stations: TestStations.registry(station), staging: staging)
        _ = try await store.write((0..<120).map { Sample(series: key, time: t0 + Int64($0) * 60, value: Double($0)) })
        if close { try store.close() }
        return path
    }

    /// Size and modification time of the file and its WAL.
    func fingerprint(_ path: String) throws -> [String] {
        try ["", "-wal"].map { suffix in
            let a = try FileManager.default.attributesOfItem(atPath: path + suffix)
            return "\(a[.size] ?? "?") \(a[.modificationDate] ?? "?")"
        }
    }

    @Test func readsWithoutWritingTheFileOrItsLog() async throws {
        let path = try await written()
        // The ordinary close keeps the -wal and -shm files that a read-only handle needs.
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(FileManager.default.fileExists(atPath: path + "-shm"))
        let before = try fingerprint(path)
        do {
            let reader = try SQLiteStore(readingAt: path, stations: TestStations.registry(station))
            #expect(reader.readOnly)
            #expect(try await reader.samples(of: key, in: t0..<(t0 + 600)).map(\.value) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            #expect(try await reader.span(of: key) == t0...(t0 + 119 * 60))
            let hours = try await reader.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 7_200), step: 3_600, function: .count))
            #expect(hours.map(\.validCount) == [60, 60])
            // Writing through it is refused, not done.
            await #expect(throws: StoreError.self) { _ = try await reader.write([Sample(series: key, time: t0 + 7_200, value: 1)]) }
            try reader.close()
        }
        #expect(try fingerprint(path) == before)
    }

    @Test func stagedSamplesSendTheReaderToTheOrdinaryOpen() async throws {
        // Staged and not folded (no close): a read must fold them, which a read-only handle cannot.
        let path = try await written(staging: .live, close: false)
        #expect(throws: StoreError.self) { _ = try SQLiteStore(readingAt: path, stations: TestStations.registry(self.station)) }
        let store = try SQLiteStore.forReading(path: path, stations: TestStations.registry(station))
        #expect(!store.readOnly)
        #expect(try await store.samples(of: key, in: t0..<(t0 + 7_200)).count == 120)
    }

    @Test func aStoreWithoutItsLogFilesIsOpenedTheOrdinaryWay() async throws {
        let path = try await written()
        for suffix in ["-wal", "-shm"] { try FileManager.default.removeItem(atPath: path + suffix) }
        #expect(throws: StoreError.self) { _ = try SQLiteStore(readingAt: path, stations: TestStations.registry(self.station)) }
        let store = try SQLiteStore.forReading(path: path, stations: TestStations.registry(station))
        #expect(!store.readOnly)
        #expect(try await store.samples(of: key, in: t0..<(t0 + 7_200)).count == 120)
    }
}
