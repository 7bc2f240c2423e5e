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

    @Test(.timeLimit(.minutes(1))) func aBatchDueDuringACommitGoesRightAfterIt() async throws {
        let clock = TestClock()
        let gated = GatedStore(try store())
        let writer = BatchingWriter(store: gated, maxBatch: 1_000, maxDelay: .seconds(10), clock: clock)

        // A is due after 10 s; its commit then hangs on the gate.
        let a = Task { try await writer.submit([Sample(series: key, time: 1, value: 1)]) }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(10))
        while await gated.writesStarted < 1 { await Task.yield() }

        // B arrives during A's commit and becomes due (10 s more) before the commit ends.
        let b = Task { try await writer.submit([Sample(series: key, time: 2, value: 2)]) }
        while await writer.pendingCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(10))
        await gated.open()

        // B goes as soon as A is done, with no further time on the clock.
        #expect(try await a.value.inserted == 1)
        #expect(try await b.value.inserted == 1)
        #expect(await writer.batches == 2)
    }

    // The clock never moves in these two: a batch that waited for `maxDelay` would never be
    // committed, and the time limit would fail the test instead of hanging the suite.
    @Test(.timeLimit(.minutes(1))) func aBatchAskedToGoAtOnceDoesNotWaitForTheDelay() async throws {
        let clock = TestClock()
        let s = try store()
        let writer = BatchingWriter(store: s, maxBatch: 1_000, maxDelay: .seconds(3_600), clock: clock)
        // Samples waiting for their delay go with the batch asked to go at once.
        let early = Task { try await writer.submit([Sample(series: key, time: 1, value: 1)]) }
        while await writer.pendingCount == 0 { await Task.yield() }
        let last = try await writer.submit([Sample(series: key, time: 2, value: 2)], commitAtOnce: true)
        #expect(last.inserted == 1)
        #expect(try await early.value.inserted == 1)
        #expect(await writer.batches == 1)
        #expect(clock.now.offset == .zero)
        #expect(try await s.sampleCount(of: key) == 2)
    }

    @Test(.timeLimit(.minutes(1))) func aBatchAskedToGoAtOnceDuringACommitGoesRightAfterIt() async throws {
        let clock = TestClock()
        let gated = GatedStore(try store())
        let writer = BatchingWriter(store: gated, maxBatch: 1_000, maxDelay: .seconds(3_600), clock: clock)
        let a = Task { try await writer.submit([Sample(series: key, time: 1, value: 1)], commitAtOnce: true) }
        while await gated.writesStarted < 1 { await Task.yield() }
        // B arrives while A's commit hangs on the gate, and must not wait for a timer after it.
        let b = Task { try await writer.submit([Sample(series: key, time: 2, value: 2)], commitAtOnce: true) }
        while await writer.pendingCount == 0 { await Task.yield() }
        await gated.open()
        #expect(try await a.value.inserted == 1)
        #expect(try await b.value.inserted == 1)
        #expect(await writer.batches == 2)
        // Neither batch ever waited on a timer.
        #expect(clock.sleeperCount == 0)
    }

    @Test(.timeLimit(.minutes(1))) func housekeepingFollowsACommitOnlyWhenNoBatchIsNearlyDue() async throws {
        let clock = TestClock()
        let gated = GatedStore(try store())
        await gated.open()
        let writer = BatchingWriter(store: gated, maxBatch: 1_000, maxDelay: .seconds(10), clock: clock)

        // One sample, with nothing else waiting, committed when its batch falls due.
        func submitAlone(_ time: Int64) async throws -> WriteSummary {
            let task = Task { try await writer.submit([Sample(series: key, time: time, value: Double(time))]) }
            while clock.sleeperCount == 0 { await Task.yield() }
            clock.advance(by: .seconds(10))
            return try await task.value
        }

        // Nothing waits behind A: the store's housekeeping follows its commit.
        #expect(try await submitAlone(1).inserted == 1)
        while await gated.maintained < 1 { await Task.yield() }

        // B arrives during C's commit and is past half its delay when that commit ends: no
        // housekeeping between them; after B, with nothing waiting, there is.
        await gated.close()
        let c = Task { try await writer.submit([Sample(series: key, time: 2, value: 2)]) }
        while clock.sleeperCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(10))
        while await gated.writesStarted < 2 { await Task.yield() }
        let b = Task { try await writer.submit([Sample(series: key, time: 3, value: 3)]) }
        while await writer.pendingCount == 0 { await Task.yield() }
        clock.advance(by: .seconds(6))
        await gated.open()
        #expect(try await c.value.inserted == 1)
        while clock.sleeperCount == 0 { await Task.yield() }  // B's timer: 4 s to go
        #expect(await gated.maintained == 1)
        clock.advance(by: .seconds(4))
        #expect(try await b.value.inserted == 1)
        while await gated.maintained < 2 { await Task.yield() }

        // Failed housekeeping is counted, and the writer goes on.
        await gated.failMaintenance(true)
        #expect(try await submitAlone(4).inserted == 1)
        while await writer.maintenanceFailures < 1 { await Task.yield() }
        await gated.failMaintenance(false)
        #expect(try await submitAlone(5).inserted == 1)
        #expect(await writer.batches == 5)
        #expect(try await gated.store.sampleCount(of: key) == 5)
    }
}

/// A test double around a real store: writes wait while the gate is closed (it starts closed),
/// as a slow commit would; maintenance is counted and can be made to fail. Reads go straight
/// to the store.
actor GatedStore: TimeSeriesStore {
    let store: SQLiteStore
    private(set) var writesStarted = 0
    private(set) var maintained = 0
    private var failMaintenance = false
    private var gate: CheckedContinuation<Void, Never>?
    private var isOpen = false

    init(_ store: SQLiteStore) { self.store = store }

    func open() {
        isOpen = true
        gate?.resume()
        gate = nil
    }

    func close() { isOpen = false }

    func failMaintenance(_ fail: Bool) { failMaintenance = fail }

    func maintain() async throws(StoreError) {
        maintained += 1
        if failMaintenance { throw StoreError(.write, "the test makes maintenance fail") }
        try await store.maintain()
    }

    func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult {
        writesStarted += 1
        if !isOpen { await withCheckedContinuation { gate = $0 } }
        return try await store.write(samples)
    }

    func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample] {
        try await store.samples(of: series, in: range)
    }
    func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow] { try await store.aggregate(query) }
    func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample] { try await store.latest(of: series) }
    func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>? { try await store.span(of: series) }
    func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport { try await store.applyRetention(now: now) }
}
