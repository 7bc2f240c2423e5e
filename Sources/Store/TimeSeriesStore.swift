public import Monitoring

/// The seam between envmon and where its time series live.
///
/// The embedded implementation is ``SQLiteStore``; a PostgreSQL one follows for larger
/// deployments. Every implementation stores UTC, keeps one sample per (series, time) — a re-sent
/// sample is an upsert — and keeps hour and day rollups that tell "compliant" from "no data".
public protocol TimeSeriesStore: Sendable {
    /// Stores samples in one transaction: after this returns, all of them are durable, and if it
    /// throws, none of them are.
    /// - Returns: what became of each sample, in the order given.
    /// - Throws: ``StoreError`` when the batch could not be committed.
    func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult

    /// The raw samples of a series with times in `range`, oldest first.
    func samples(of series: SeriesKey, in range: Range<Int64>) async throws(StoreError) -> [StoredSample]

    /// The aggregates of a series by fixed steps; buckets without any reading are left out.
    func aggregate(_ query: AggregateQuery) async throws(StoreError) -> [AggregateRow]

    /// The newest sample of each series that has one.
    func latest(of series: [SeriesKey]) async throws(StoreError) -> [SeriesKey: StoredSample]

    /// The times of the oldest and newest sample of a series, or `nil` when it has none.
    func span(of series: SeriesKey) async throws(StoreError) -> ClosedRange<Int64>?

    /// The time of the oldest sample of a series, or `nil` when it has none: the lower end of
    /// ``span(of:)``, for a caller that knows where its range ends.
    func oldestTime(of series: SeriesKey) async throws(StoreError) -> Int64?

    /// The time of the newest sample of a series, or `nil` when it has none: the upper end of
    /// ``span(of:)``, for a caller that knows where its range starts.
    func newestTime(of series: SeriesKey) async throws(StoreError) -> Int64?

    /// Deletes what the retention policy says is too old at `now`.
    func applyRetention(now: Int64) async throws(StoreError) -> RetentionReport

    /// Housekeeping that would otherwise lengthen a commit, and so the wait of every sample in
    /// it: ``BatchingWriter`` calls it after a commit, once its senders are answered, when the
    /// next batch is not due yet. A few milliseconds at most; it may do nothing.
    /// - Throws: ``StoreError`` when the work failed; nothing committed is lost, and the next
    ///   write does it instead.
    func maintain() async throws(StoreError)
}

extension TimeSeriesStore {
    /// Nothing to do between batches.
    public func maintain() async throws(StoreError) {}

    /// The lower end of ``span(of:)``.
    public func oldestTime(of series: SeriesKey) async throws(StoreError) -> Int64? { try await span(of: series)?.lowerBound }

    /// The upper end of ``span(of:)``.
    public func newestTime(of series: SeriesKey) async throws(StoreError) -> Int64? { try await span(of: series)?.upperBound }
}
