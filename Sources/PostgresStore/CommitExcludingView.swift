public import Monitoring
public import Store
import PostgresNIO
import Synchronization

/// The store as a new rule leader primes its engine from: without the readings the commit log
/// holds after the last evaluated batch, which the leader feeds to the engine itself afterwards
/// (a reading both replayed and fed would count twice in its hour).
///
/// Each raw read excludes every reading logged after `evaluatedSeq` up to a log read made
/// *after* the store read, so a reading committed meanwhile (visible to the store read) is
/// excluded too. Only ``samples(of:in:)`` is filtered: the last-heard times of
/// ``latest(of:)`` and the rollups of reduction targets are not counts the feed repeats.
public final class CommitExcludingView: TimeSeriesStore {
    private let base: PostgresStore
    private let state: Mutex<(cursor: Int64, excluded: Set<Key>)>

    private struct Key: Hashable {
        var series: SeriesKey
        var time: Int64
    }

    /// A view of `base` without the readings logged after `evaluatedSeq`.
    public init(_ base: PostgresStore, evaluatedSeq: Int64) {
        self.base = base
        state = Mutex((evaluatedSeq, []))
    }

    /// Reads the log rows committed since the last look into the excluded set.
    private func refresh() async throws(StoreError) {
        while true {
            let cursor = state.withLock { $0.cursor }
            let batches = try await base.commits(after: cursor, limit: 1_000)
            guard let last = batches.last else { return }
            state.withLock { s in
                for b in batches { for x in b.samples { s.excluded.insert(Key(series: x.series, time: x.time)) } }
                s.cursor = max(s.cursor, last.seq)
            }
            if batches.count < 1_000 { return }
        }
    }

    public func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample] {
        let stored = try await base.samples(of: series, in: range)
        try await refresh()
        let excluded = state.withLock { $0.excluded }
        guard !excluded.isEmpty else { return stored }
        return stored.filter { !excluded.contains(Key(series: series, time: $0.time)) }
    }

    public func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult { try await base.write(samples) }
    public func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow] { try await base.aggregate(query) }
    public func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample] { try await base.latest(of: series) }
    public func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>? { try await base.span(of: series) }
    public func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport { try await base.applyRetention(now: now) }
}

extension PostgresStore {
    /// Deletes the commit-log rows the leader has evaluated (through `evaluatedSeq`) committed
    /// before `before`; returns how many.
    public func purgeCommitLog(evaluatedThrough evaluatedSeq: Int64, committedBefore before: Int64) async throws(StoreError) -> Int {
        do {
            var n = 0
            let rows = try await client.query(
                "WITH d AS (DELETE FROM commit_log WHERE seq < \(evaluatedSeq) AND committed_at < \(before) RETURNING 1) SELECT count(*)::bigint FROM d",
                logger: logger)
            for try await c in rows.decode(Int64.self) { n = Int(c) }
            return n
        } catch {
            throw Self.error(.write, "cannot purge the commit log", error)
        }
    }
}
