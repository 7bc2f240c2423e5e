import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

@Suite struct BatchingWriterTests {
    let dir = TemporaryDirectory()
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)

    func store() throws -> SQLiteStore {
        try SQLiteStore(
            path: dir.file("w.sqlite"), stations: TestStations.registry(TestStations.station("site", parameters: ["PM2.5"])),
            retention: .forever)
    }

    @Test func fullBatchCommitsWithoutWaitingForTheTimer() async throws {
        let s = try store()
        // A delay no test would wait for: only the size trigger can commit.
        let writer = BatchingWriter(store: s, maxBatch: 10, maxDelay: .seconds(3_600), clock: ContinuousClock())
        let summary = try await writer.submit((0..<10).map { Sample(series: key, time: Int64($0), value: 1) })
        #expect(summary.inserted == 10)
        #expect(try await s.sampleCount(of: key) == 10)
    }

    @Test func concurrentSendersShareBatchesAndEachGetsItsOwnCounts() async throws {
        let s = try store()
        let writer = BatchingWriter(store: s, maxBatch: 1_000, maxDelay: .milliseconds(20), clock: ContinuousClock())
        let summaries = try await withThrowingTaskGroup(of: WriteSummary.self) { group in
            for sender in 0..<20 {
                group.addTask {
                    try await writer.submit((0..<5).map { Sample(series: key, time: Int64(sender * 5 + $0), value: 1) })
                }
            }
            // One sender re-sends what another sent: duplicates, counted to it alone.
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(summaries.allSatisfy { $0.inserted == 5 })
        let resend = try await writer.submit((0..<5).map { Sample(series: key, time: Int64($0), value: 1) })
        #expect(resend.duplicates == 5)
        #expect(await writer.batches < 21)
        await writer.close()
        #expect(try await s.sampleCount(of: key) == 100)
        await #expect(throws: StoreError.self) { try await writer.submit([Sample(series: key, time: 999, value: 1)]) }
    }
}
