public import Monitoring
public import Store

/// Moves a deployment from its SQLite store to an empty PostgreSQL one (`envmon migrate`,
/// issue 17 item 3), and verifies what arrived.
///
/// ```swift
/// let report = try await StoreMigration(source: sqlite, target: postgres).run()
/// print(report.isVerified)
/// ```
///
/// Readings go series by series through ``PostgresStore/write(_:)`` (COPY or array inserts, the
/// rollups computed as for live data), in batches of about ``batchSize`` samples; the alert
/// state, its history and episodes, the outbox with its deliveries and leases, silences,
/// acknowledgements and cases follow in one transaction with their ids kept
/// (``PostgresStore/loadAlertState(_:)``). Then every series is read back on both sides and its
/// count and checksum compared, and the alert and case rows are read back and compared whole.
///
/// Not carried over: the revision audit of re-sent samples (`sample_revision`; the SQLite store
/// does not keep when each revision was made in a form this reads), and the retention horizons
/// (the target's policy applies from its first retention pass). Series of stations that are not
/// in the station registry the target was opened with are refused by the target, as any write
/// of them would be: they are listed in ``MigrationReport/skipped`` and make the report unverified.
public struct StoreMigration: Sendable {
    /// Where from (read only).
    public let source: SQLiteStore
    /// Where to: must have no series, readings, alerts or cases yet.
    public let target: PostgresStore
    /// Samples written per batch.
    public var batchSize: Int = 200_000

    /// Creates a migration.
    public init(source: SQLiteStore, target: PostgresStore) {
        self.source = source
        self.target = target
    }

    /// Runs it; `progress` is told after each series (series done, of how many).
    /// - Throws: `conflict` when the target is not empty; the stores' errors otherwise.
    public func run(progress: @Sendable (_ done: Int, _ of: Int) -> Void = { _, _ in }) async throws(StoreError) -> MigrationReport {
        let targetSeries = try await target.allSeries()
        let targetRows = try await target.alertStateRows()
        guard targetSeries.isEmpty, targetRows.counts.values.allSatisfy({ $0 == 0 }) else {
            throw StoreError(
                .conflict,
                "the target database has \(targetSeries.count) series and \(targetRows.counts.values.reduce(0, +)) alert and case rows: "
                    + "migrate only into an empty database")
        }
        var report = MigrationReport()
        let all = try await source.allSeries()
        var sums: [SeriesKey: SeriesChecksum] = [:]
        var batch: [Sample] = []
        var skipped = Set<SeriesKey>()
        func flush() async throws(StoreError) {
            guard !batch.isEmpty else { return }
            let result = try await target.write(batch)
            for (sample, outcome) in zip(batch, result.outcomes) where outcome == .unknownSeries { skipped.insert(sample.series) }
            batch.removeAll(keepingCapacity: true)
        }
        for (n, key) in all.enumerated() {
            let samples = try await source.samples(of: key, in: Int64.min..<Int64.max)
            sums[key] = SeriesChecksum(samples)
            batch += samples.map { Sample(series: key, time: $0.time, value: $0.value, flag: $0.flag) }
            if batch.count >= batchSize { try await flush() }
            progress(n + 1, all.count)
        }
        try await flush()

        let rows = try await source.alertStateRows()
        try await target.loadAlertState(rows)
        try await target.analyze()

        // Verify: every series read back on both sides; the alert and case rows whole.
        for key in all {
            let there = SeriesChecksum(try await target.samples(of: key, in: Int64.min..<Int64.max))
            report.series.append(MigrationReport.SeriesCheck(key: key, source: sums[key] ?? SeriesChecksum([]), target: there))
        }
        report.skipped = all.filter(skipped.contains)
        let arrived = try await target.alertStateRows()
        let counts = arrived.counts
        report.tables = rows.counts.keys.sorted().map { MigrationReport.TableCheck(table: $0, source: rows.counts[$0] ?? 0, target: counts[$0] ?? 0) }
        report.alertRowsMatch = arrived == rows
        return report
    }
}

/// What ``StoreMigration/run(progress:)`` moved, and whether both sides agree.
public struct MigrationReport: Sendable, Hashable {
    /// One series on both sides.
    public struct SeriesCheck: Sendable, Hashable {
        public var key: SeriesKey
        public var source: SeriesChecksum
        public var target: SeriesChecksum
        /// Whether the target holds the same samples.
        public var matches: Bool { source == target }
    }

    /// One table of the alert state and cases on both sides.
    public struct TableCheck: Sendable, Hashable {
        public var table: String
        public var source: Int
        public var target: Int
    }

    /// Every series of the source, in its order.
    public var series: [SeriesCheck] = []
    /// Series the target refused (their station is not in its registry).
    public var skipped: [SeriesKey] = []
    /// Rows per alert and case table.
    public var tables: [TableCheck] = []
    /// Whether the alert and case rows read back from the target equal the source's, ids included.
    public var alertRowsMatch = false

    /// Every series and every alert and case row arrived unchanged.
    public var isVerified: Bool { alertRowsMatch && skipped.isEmpty && series.allSatisfy(\.matches) }
}

/// A series' samples in a number and a digest: 64-bit FNV-1a over each sample's time, value
/// (its bit pattern) and flag, in time order, so that the same samples give the same figures on
/// any store.
public struct SeriesChecksum: Sendable, Hashable, CustomStringConvertible {
    /// How many samples.
    public var count: Int
    /// The digest.
    public var digest: UInt64

    /// The checksum of `samples` (in time order, as stores return them).
    public init(_ samples: [StoredSample]) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ v: UInt64) {
            for shift in stride(from: 0, to: 64, by: 8) {
                h ^= (v >> UInt64(shift)) & 0xff
                h = h &* 0x100_0000_01b3
            }
        }
        for s in samples {
            mix(UInt64(bitPattern: s.time))
            mix(s.value.bitPattern)
            for byte in s.flag.rawValue.utf8 { mix(UInt64(byte)) }
        }
        count = samples.count
        digest = h
    }

    public var description: String {
        let hex = String(digest, radix: 16)
        return "\(count) samples, fnv1a \(String(repeating: "0", count: 16 - hex.count) + hex)"
    }
}
