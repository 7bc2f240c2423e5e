public import Monitoring
public import Foundation

/// A stored reading of one series.
public struct StoredSample: Sendable, Hashable, Codable {
    /// Seconds since the epoch, UTC.
    public var time: Int64
    /// The value in the catalogue unit.
    public var value: Double
    /// The sender's data flag.
    public var flag: DataFlag

    /// Creates a stored sample.
    public init(time: Int64, value: Double, flag: DataFlag) {
        self.time = time
        self.value = value
        self.flag = flag
    }
}

/// How the values of a bucket are combined. Only valid (flag `N`) readings take part.
public enum Aggregation: String, Sendable, Hashable, Codable, CaseIterable {
    case avg, min, max, sum, count
    /// Σ(value × flow) / Σ flow, pairing each reading with the flow series' reading at the same time.
    case flowWeighted = "flow-weighted"
}

/// A request for the aggregates of one series by fixed steps.
public struct AggregateQuery: Sendable, Hashable {
    /// The series.
    public var series: SeriesKey
    /// Every bucket that overlaps this range and holds a reading in it is returned, over its
    /// readings inside the range: a bucket the range cuts (the first or the last, when the range
    /// starts or ends inside it) is kept, over the part the range covers, and marked
    /// ``AggregateRow/partial``.
    public var range: Range<Int64>
    /// The bucket length in seconds. Multiples of a day follow the station's local midnight;
    /// shorter steps are aligned to the station's local clock.
    public var step: Int64
    /// How values are combined.
    public var function: Aggregation
    /// The flow series for ``Aggregation/flowWeighted``.
    public var flow: SeriesKey?

    /// Creates a query.
    public init(series: SeriesKey, range: Range<Int64>, step: Int64, function: Aggregation, flow: SeriesKey? = nil) {
        self.series = series
        self.range = range
        self.step = step
        self.function = function
        self.flow = flow
    }
}

/// One bucket of an aggregate query.
public struct AggregateRow: Sendable, Hashable, Codable {
    /// The bucket's first instant, UTC seconds.
    public var start: Int64
    /// The bucket's end (exclusive), UTC seconds.
    public var end: Int64
    /// The aggregate of the valid readings; `nil` when the bucket has readings but none valid.
    public var value: Double?
    /// Valid readings in the bucket.
    public var validCount: Int
    /// All readings in the bucket, flagged ones included.
    public var count: Int
    /// Readings the station should have sent in the bucket, from its reporting interval.
    public var expectedCount: Int
    /// The flags that occurred among the bucket's readings.
    public var flags: DataFlagSet
    /// Whether the query's range cuts the bucket (starts after ``start`` or ends before ``end``):
    /// the row then covers only the part inside the range, and ``expectedCount`` counts the
    /// readings expected in that part.
    public var partial: Bool

    /// Creates a row.
    public init(
        start: Int64, end: Int64, value: Double?, validCount: Int, count: Int, expectedCount: Int, flags: DataFlagSet, partial: Bool = false
    ) {
        self.start = start
        self.end = end
        self.value = value
        self.validCount = validCount
        self.count = count
        self.expectedCount = expectedCount
        self.flags = flags
        self.partial = partial
    }
}

/// What became of each sample handed to the store.
public enum SampleOutcome: UInt8, Sendable, Hashable, Codable, CaseIterable {
    /// Stored for the first time.
    case inserted
    /// Already stored with the same value and flag: nothing changed.
    case duplicate
    /// Already stored with another value or flag: replaced, the old one kept in the audit table.
    case changed
    /// The station is not known, or does not report this parameter.
    case unknownSeries
    /// Older than the retention horizon of its kind: it would be deleted at once.
    case beyondRetention
}

/// The outcome of a write, by count.
public struct WriteSummary: Sendable, Hashable, Codable {
    /// Samples stored for the first time.
    public var inserted = 0
    /// Re-sent samples that changed nothing.
    public var duplicates = 0
    /// Re-sent samples with a new value or flag (last write wins; the change is audited).
    public var changed = 0
    /// Samples not stored because their series is unknown.
    public var unknownSeries = 0
    /// Samples not stored because they are older than their kind's retention.
    public var beyondRetention = 0
    /// Rollup buckets recomputed because data landed in them after later data (late data) or changed.
    public var recomputedBuckets = 0

    /// An empty summary.
    public init() {}

    /// Counts one outcome.
    public mutating func add(_ outcome: SampleOutcome) {
        switch outcome {
        case .inserted: inserted += 1
        case .duplicate: duplicates += 1
        case .changed: changed += 1
        case .unknownSeries: unknownSeries += 1
        case .beyondRetention: beyondRetention += 1
        }
    }

    /// Samples that are in the store after the write (new, unchanged or replaced).
    public var stored: Int { inserted + duplicates + changed }

    /// Adds another summary's counts to this one.
    public mutating func merge(_ other: WriteSummary) {
        inserted += other.inserted
        duplicates += other.duplicates
        changed += other.changed
        unknownSeries += other.unknownSeries
        beyondRetention += other.beyondRetention
        recomputedBuckets += other.recomputedBuckets
    }
}

/// The per-sample outcomes of one committed write, in the order the samples were given.
public struct WriteResult: Sendable {
    /// One outcome per sample given.
    public var outcomes: [SampleOutcome]
    /// The counts.
    public var summary: WriteSummary

    /// Creates a result.
    public init(outcomes: [SampleOutcome], summary: WriteSummary) {
        self.outcomes = outcomes
        self.summary = summary
    }
}

/// How long raw samples of each kind are kept. Rollups are kept longer, by their own horizons.
public struct RetentionPolicy: Sendable, Hashable {
    /// Seconds to keep raw samples, per kind; a kind without an entry is kept forever.
    public var raw: [SeriesKind: Int64]
    /// Seconds to keep hour rollups; `nil` keeps them forever.
    public var hourRollups: Int64?
    /// Seconds to keep day rollups; `nil` keeps them forever.
    public var dayRollups: Int64?

    /// Creates a policy.
    public init(raw: [SeriesKind: Int64], hourRollups: Int64? = nil, dayRollups: Int64? = nil) {
        self.raw = raw
        self.hourRollups = hourRollups
        self.dayRollups = dayRollups
    }

    /// Real-time values 1 year, minute values 2 years, hour and day values and all rollups forever:
    /// the HJ 212 logger's own retention is shorter, and compliance reports look back years.
    public static let standard = RetentionPolicy(
        raw: [.realtime: 366 * 86_400, .minute: 2 * 366 * 86_400], hourRollups: nil, dayRollups: nil)

    /// Keep everything.
    public static let forever = RetentionPolicy(raw: [:])
}

/// What a retention pass deleted.
public struct RetentionReport: Sendable, Hashable {
    /// Raw samples deleted, per kind.
    public var samplesDeleted: [SeriesKind: Int]
    /// Rollup rows deleted.
    public var rollupsDeleted: Int

    /// Creates a report (for stores outside this module).
    public init(samplesDeleted: [SeriesKind: Int], rollupsDeleted: Int) {
        self.samplesDeleted = samplesDeleted
        self.rollupsDeleted = rollupsDeleted
    }
}

/// A series as the store knows it, independent of sensors/.
public struct StoredSeries: Sendable, Hashable {
    /// Its key.
    public var key: SeriesKey
    /// The zone its day rollups follow.
    public var timeZone: TimeZone
    /// The interval at which readings were expected, in seconds.
    public var interval: Int64
    /// The unit its values are in; nil for a series last written by an envmon older than the unit column.
    public var unit: MeasurementUnit?

    /// Creates a description.
    public init(key: SeriesKey, timeZone: TimeZone, interval: Int64, unit: MeasurementUnit?) {
        self.key = key
        self.timeZone = timeZone
        self.interval = interval
        self.unit = unit
    }
}
