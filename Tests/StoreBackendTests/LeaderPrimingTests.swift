import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// What a new rule leader reads before it evaluates: the store without the readings it will be
/// fed from the commit log (also those committed while it reads), and the purge of the log,
/// which keeps what is not evaluated and the sequence going.
@Suite struct LeaderPrimingTests {
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let pm = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    func batch(_ minutes: Range<Int>, value: Double) -> [Sample] {
        minutes.map { Sample(series: pm, time: t0 + Int64($0) * 60, value: value) }
    }

    @Test func thePrimingViewLeavesOutTheReadingsLoggedAfterTheCursorAndThePurgeKeepsTheSequence() async throws {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(TestStations.registry(station), logsCommits: true)
        let store = try #require(opened.store as? PostgresStore)
        _ = try await store.write(batch(0..<3, value: 1))  // seq 1: evaluated by the last leader
        _ = try await store.write(batch(3..<5, value: 2))  // seq 2
        _ = try await store.write(batch(1..<2, value: 9))  // seq 3: a revision of minute 1
        let view = CommitExcludingView(store, evaluatedSeq: 1)
        let range = t0..<(t0 + 3_600)
        // Minute 1's revision is in seq 3, fed later: left out like the new minutes of seq 2.
        #expect(try await view.samples(of: pm, in: range).map(\.time) == [t0, t0 + 120])
        // Committed after the view was made, before its next read: left out too.
        _ = try await store.write(batch(5..<6, value: 3))  // seq 4
        #expect(try await view.samples(of: pm, in: range).map(\.time) == [t0, t0 + 120])
        #expect(try await store.samples(of: pm, in: range).count == 6)
        // Nothing logged after the cursor: the store as it is.
        #expect(try await CommitExcludingView(store, evaluatedSeq: 4).samples(of: pm, in: range).count == 6)

        // The purge deletes evaluated rows only (before the cursor, the cursor's row kept), so the
        // next commit is numbered after the last.
        #expect(try await store.purgeCommitLog(evaluatedThrough: 3, committedBefore: .max) == 2)
        #expect(try await store.commits(after: 0).map(\.seq) == [3, 4])
        #expect(try await store.purgeCommitLog(evaluatedThrough: 3, committedBefore: .max) == 0)
        _ = try await store.write(batch(6..<7, value: 4))
        #expect(try await store.lastCommitSeq() == 5)
        // Rows committed within the hour stay whatever the cursor.
        #expect(try await store.purgeCommitLog(evaluatedThrough: 5, committedBefore: 0) == 0)
        await opened.close()
    }
}
