import EnvmonTesting
import Foundation
import Monitoring
import Store
import Synchronization
import Testing

/// The commit path the rule engine hangs on, on each backend: ``BatchingWriter`` tells its
/// ``CommitObserver`` of every batch the store committed, in commit order, before the senders
/// are answered, and the batch is readable by another handle on the same store by then.
@Suite struct CommitObserverSuite {
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    /// Records what it is told, as the rule service's queue would receive it.
    final class Recorder: CommitObserver {
        let batches = Mutex<[(samples: [Sample], outcomes: [SampleOutcome])]>([])

        func didCommit(_ samples: [Sample], outcomes: [SampleOutcome]) {
            batches.withLock { $0.append((samples, outcomes)) }
        }

        var seen: [(samples: [Sample], outcomes: [SampleOutcome])] { batches.withLock { $0 } }
    }

    /// The real store, with a log of each batch whose write returned (was committed) and each
    /// batch the observer was told of, in the order they happened.
    final class CommitLog: TimeSeriesStore, CommitObserver {
        enum Event: Equatable { case committed([Sample]), observed([Sample]) }
        let inner: any TimeSeriesStore
        let events = Mutex<[Event]>([])

        init(_ inner: any TimeSeriesStore) { self.inner = inner }

        func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult {
            let result = try await inner.write(samples)
            events.withLock { $0.append(.committed(samples)) }
            return result
        }

        func didCommit(_ samples: [Sample], outcomes: [SampleOutcome]) { events.withLock { $0.append(.observed(samples)) } }

        func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample] { try await inner.samples(of: series, in: range) }
        func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow] { try await inner.aggregate(query) }
        func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample] { try await inner.latest(of: series) }
        func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>? { try await inner.span(of: series) }
        func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport { try await inner.applyRetention(now: now) }
    }

    @Test(arguments: Backend.allCases)
    func eachBatchIsObservedAfterItsCommitAndBeforeTheNextOne(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let log = CommitLog(opened.store)
        let writer = BatchingWriter(store: log, maxBatch: 5, maxDelay: .milliseconds(1), clock: ContinuousClock(), observer: log)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<6 {
                group.addTask {
                    for i in 0..<4 {
                        _ = try await writer.submitOutcomes([Sample(series: key, time: t0 + Int64(sender * 4 + i) * 60, value: Double(i))])
                    }
                }
            }
            try await group.waitForAll()
        }
        await writer.close()
        let events = log.events.withLock { $0 }
        // Committed, observed, committed, observed…: every batch told once, right after its own
        // commit and before the next batch's.
        #expect(events.count % 2 == 0 && events.count >= 10)
        for pair in stride(from: 0, to: events.count - 1, by: 2) {
            guard case .committed(let batch) = events[pair] else {
                Issue.record("event \(pair) is not a commit: \(events[pair])")
                break
            }
            #expect(events[pair + 1] == .observed(batch))
        }
        #expect(try await opened.store.sampleCount(of: key) == 24)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func eachCommittedBatchIsObservedWithItsOutcomesBeforeItsSendersAreAnswered(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let opened = try await location.open(TestStations.registry(station))
        let reader = try await location.open(TestStations.registry(station))
        let recorder = Recorder()
        let writer = BatchingWriter(store: opened.store, clock: ContinuousClock(), observer: recorder)
        let first = [Sample(series: key, time: t0, value: 1), Sample(series: key, time: t0 + 60, value: 2)]
        let outcomes = try await writer.submitOutcomes(first, commitAtOnce: true)
        #expect(Array(outcomes) == [.inserted, .inserted])
        // Answered: the observer has been told, and another handle reads the batch.
        #expect(recorder.seen.count == 1)
        #expect(recorder.seen.first?.samples == first)
        #expect(recorder.seen.first?.outcomes == [.inserted, .inserted])
        #expect(try await reader.store.samples(of: key, in: t0..<(t0 + 120)).map(\.value) == [1, 2])
        // A re-send: the unchanged reading is a duplicate, the changed one a change.
        let second = [Sample(series: key, time: t0, value: 1), Sample(series: key, time: t0 + 60, value: 3), Sample(series: key, time: t0 + 120, value: 4)]
        _ = try await writer.submitOutcomes(second, commitAtOnce: true)
        #expect(recorder.seen.count == 2)
        #expect(recorder.seen.last?.samples == second)
        #expect(recorder.seen.last?.outcomes == [.duplicate, .changed, .inserted])
        #expect(try await reader.store.samples(of: key, in: t0..<(t0 + 180)).map(\.value) == [1, 3, 4])
        await writer.close()
        await reader.close()
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func concurrentSendersAreObservedInCommitOrder(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let recorder = Recorder()
        let writer = BatchingWriter(store: opened.store, maxBatch: 7, maxDelay: .milliseconds(1), clock: ContinuousClock(), observer: recorder)
        // Eight senders each send three versions of the same twelve instants, one after another.
        let senders = 8
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sender in 0..<senders {
                group.addTask {
                    for version in 0..<3 {
                        let batch = (0..<12).map { i in
                            Sample(series: key, time: t0 + Int64(i) * 60, value: Double(sender * 100 + version * 10 + i))
                        }
                        _ = try await writer.submitOutcomes(batch)
                    }
                }
            }
            try await group.waitForAll()
        }
        await writer.close()
        let seen = recorder.seen
        #expect(seen.flatMap(\.samples).count == senders * 3 * 12)
        // What the observer saw last of each instant (the last sample in commit order that was
        // new or changed, or an unchanged re-send of it) is what the store holds.
        var last: [Int64: Double] = [:]
        for batch in seen {
            for (sample, outcome) in zip(batch.samples, batch.outcomes) where outcome != .unknownSeries { last[sample.time] = sample.value }
        }
        let stored = try await opened.store.samples(of: key, in: t0..<(t0 + 720))
        #expect(stored.count == 12)
        #expect(Dictionary(uniqueKeysWithValues: stored.map { ($0.time, $0.value) }) == last)
        // The first observation of each instant is its insertion; none is inserted twice.
        #expect(seen.flatMap(\.outcomes).filter { $0 == .inserted }.count == 12)
        await opened.close()
    }
}
