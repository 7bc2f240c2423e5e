public import Monitoring

/// Everything the daemon, the HTTP API, the dashboard, the reports and the command line need of a
/// store, whichever engine keeps it: the time series (``TimeSeriesStore``), the alert journal
/// (``AlertJournal``), the outbox (``Outbox``), silences and acknowledgements (``AlertControl``),
/// the case register (``caseRegister``) and the batched reads the overviews and trends make.
///
/// ```swift
/// func overview(_ store: any MonitoringStore, _ stations: StationRegistry, now: Int64) async throws -> CityOverview {
///     try await CityOverview.make(stations: stations, store: store, now: now)
/// }
/// ```
///
/// ``SQLiteStore`` (one file, one daemon) and `PostgresStore` (several daemons, one database)
/// conform. What only one engine has — SQLite's WAL checkpoint, file guard, daemon lock, staging
/// and read-only handles — stays off this protocol, used only where the executable wires that
/// store. Committed batches reach the rule engine through ``BatchingWriter``'s
/// ``CommitObserver``, after ``TimeSeriesStore/write(_:)`` returns, so in commit order on either.
public protocol MonitoringStore: TimeSeriesStore, AlertJournal, Outbox, AlertControl {
    /// The store's case register type (through `any MonitoringStore`: `any CaseRegister`).
    associatedtype Cases: CaseRegister

    /// The newest sample of every series the store holds, in one read: what an overview of a
    /// thousand stations reads at once instead of ``TimeSeriesStore/latest(of:)`` per series.
    func latestOfEverySeries() async throws(StoreError) -> [SeriesKey: StoredSample]

    /// Several ``TimeSeriesStore/aggregate(_:)`` queries in one read (one snapshot): each answer
    /// in the order of `queries`. A query the single call refuses (a step of zero, a
    /// flow-weighted mean without flow) throws here too, before anything is read.
    func aggregate(_ queries: [AggregateQuery]) async throws(StoreError) -> [[AggregateRow]]

    /// The stored rollup buckets of a series at `resolution` (3,600: hours; 86,400: local days)
    /// whose start is in `range`, oldest first; buckets without readings are not stored, so not
    /// returned. One read for the least, mean and greatest value of each bucket together.
    func rollupRows(of series: SeriesKey, resolution: Int64, in range: Range<Int64>) async throws(StoreError) -> [RollupRow]

    /// Every series in the store, ordered by station, parameter and kind.
    func allSeries() async throws(StoreError) -> [SeriesKey]

    /// The series the store holds for a station, with the zone, interval and unit they were last
    /// written with: how the readings of a station no longer in sensors/ are read.
    func storedSeries(ofStation station: String) async throws(StoreError) -> [StoredSeries]

    /// The number of raw samples stored for a series.
    func sampleCount(of series: SeriesKey) async throws(StoreError) -> Int

    /// How many notifications are not delivered yet, without reading them.
    func pendingNotificationCount() async throws(StoreError) -> Int

    /// The case register of rectification tasks, on this store's connections.
    var caseRegister: Cases { get }

    /// Replaces the stations whose series may be written (after sensors/ was reloaded).
    func updateStations(_ stations: StationRegistry) async throws(StoreError)

    /// Ends this handle's use of the store: what it buffers is committed and its files or
    /// connections are released as the engine needs. The store must not be used afterwards.
    /// - Throws: ``StoreError`` when what was buffered could not be committed.
    func close() throws(StoreError)
}
