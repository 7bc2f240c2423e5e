import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// The commit log of several daemons on one database: every fresh reading of every writer is in
/// it once, numbered in commit order without gaps, so replaying it in order ends where the store
/// ended.
@Suite struct CommitLogTests {
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5", "SO2"])
    let pm = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    let so2 = SeriesKey(station: "site", parameter: "SO2", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    @Test(arguments: [Backend.postgres, .postgresArrays])
    func twoWritersCommitsAreLoggedOnceInCommitOrderWithoutGaps(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let a = try await location.open(TestStations.registry(station), logsCommits: true)
        let b = try await location.open(TestStations.registry(station), logsCommits: true)
        let writers = [a.store, b.store]
        // Eight senders over two "daemons", each writing three versions of the same twenty
        // instants of two series (later versions change some values, re-send others unchanged).
        let fresh = try await withThrowingTaskGroup(of: Int.self) { group in
            for sender in 0..<8 {
                let store = writers[sender % 2]
                group.addTask {
                    var fresh = 0
                    for version in 0..<3 {
                        let batch = (0..<20).flatMap { i -> [Sample] in
                            let t = t0 + Int64(i) * 60
                            let v = Double((i % 3 == 0 ? sender * 100 + version : 0) + i)
                            return [Sample(series: pm, time: t, value: v), Sample(series: so2, time: t, value: Double(i))]
                        }
                        fresh += try await store.write(batch).outcomes.filter { $0 == .inserted || $0 == .changed }.count
                    }
                    return fresh
                }
            }
            return try await group.reduce(0, +)
        }
        let log = try #require(a.store as? PostgresStore)
        let batches = try await log.commits(after: 0, limit: 1_000)
        // Numbered 1, 2, 3… and holding exactly the readings the writers were told were fresh;
        // batches that were all re-sends left no row.
        #expect(batches.map(\.seq) == Array(1...Int64(batches.count)))
        #expect(batches.allSatisfy { !$0.samples.isEmpty })
        #expect(batches.flatMap(\.samples).count == fresh)
        #expect(try await log.lastCommitSeq() == Int64(batches.count))
        // Replayed in order, the log ends where the store is.
        var last: [SeriesKey: [Int64: Double]] = [:]
        for sample in batches.flatMap(\.samples) { last[sample.series, default: [:]][sample.time] = sample.value }
        for key in [pm, so2] {
            let stored = try await a.store.samples(of: key, in: t0..<(t0 + 1_200))
            #expect(stored.count == 20)
            #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.time, $0.value) }) == last[key])
        }
        // Paged reads give the same batches.
        let firstPage = try await log.commits(after: 0, limit: 2)
        #expect(firstPage == Array(batches.prefix(2)))
        #expect(try await log.commits(after: Int64(batches.count), limit: 10).isEmpty)
        await b.close()
        await a.close()
    }

    @Test func aStoreThatDoesNotLogCommitsLeavesTheLogEmpty() async throws {
        let opened = try await Backend.postgres.makeLocation().open(TestStations.registry(station))
        #expect(try await opened.store.write([Sample(series: pm, time: t0, value: 1)]).outcomes == [.inserted])
        let store = try #require(opened.store as? PostgresStore)
        #expect(try await store.lastCommitSeq() == 0)
        #expect(try await store.commits(after: 0).isEmpty)
        await opened.close()
    }
}
