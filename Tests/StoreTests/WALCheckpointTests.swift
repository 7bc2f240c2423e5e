import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The background checkpointer really copies the WAL into the database file. (It once did
/// nothing: its connection had never read the file, so it did not know it was in WAL mode, and
/// a daemon's WAL grew by about 80 MB a second under load and never shrank.)
@Suite struct WALCheckpointTests {
    @Test(arguments: [false, true]) func committedPagesReachTheDatabaseFileWhileTheStoreIsOpen(staged: Bool) async throws {
        let dir = TemporaryDirectory()
        let station = TestStations.station("s", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        let path = dir.file("c.sqlite")
        let store = try SQLiteStore(path: path, stations: TestStations.registry(station), staging: staged ? .live : nil)
        func size(_ p: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        for i in 0..<200 {
            let sample = Sample(series: SeriesKey(station: "s", parameter: "COD", kind: .realtime), time: 1_767_225_600 + Int64(i) * 60, value: 1)
            _ = try await store.write([sample])
        }
        // The copy runs on the checkpointer's own thread, soon after each commit.
        for _ in 0..<200 where size(path) <= 4_096 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(size(path) > 4_096, "the database file still holds only its header page: nothing was checkpointed")
        try store.close()
    }
}
