/// The SQL of the store's reads of series, samples and rollups.
///
/// In one place so that the tests (`ReadPlanTests`) check the plans of the very statements the
/// reads run: each must reach its rows through the primary key of `sample` or `rollup` (or the
/// unique index of `series`), bounded on both sides where it reads a range, and never scan a
/// table. A read then costs what it returns, whatever the size of the store.
enum ReadSQL {
    /// A series' id by its key: one seek in the unique index of `series`.
    static let seriesID = "SELECT id FROM series WHERE station = ? AND parameter = ? AND kind = ?"

    /// A series' id, zone and interval by its key.
    static let seriesMeta = "SELECT id, time_zone, interval_s FROM series WHERE station = ? AND parameter = ? AND kind = ?"

    /// The series of one station (what it stores, whatever sensors/ says now).
    static let seriesOfStation = "SELECT parameter, kind, time_zone, interval_s, unit FROM series WHERE station = ? ORDER BY parameter, kind"

    /// A series' samples in `[?3, ?4)`, oldest first: one contiguous range of `sample`.
    static let samples = "SELECT ts, value, flag FROM sample WHERE series = ? AND ts >= ? AND ts < ? ORDER BY ts"

    /// A series' newest sample.
    static let latest = "SELECT ts, value, flag FROM sample WHERE series = ? ORDER BY ts DESC LIMIT 1"

    /// A series' rollup rows of one resolution whose buckets start in `[?3, ?4)`.
    static let rollups = """
        SELECT bucket, count, valid_count, vsum, vmin, vmax, flags, expected FROM rollup
        WHERE series = ? AND resolution = ? AND bucket >= ? AND bucket < ? ORDER BY bucket
        """

    /// ``rollups`` without the smallest and largest readings (NULL in their place), for the
    /// aggregates that do not need them: two columns fewer to decode in each of a year's
    /// 8,760 hourly rows.
    static let rollupsWithoutExtremes = """
        SELECT bucket, count, valid_count, vsum, NULL, NULL, flags, expected FROM rollup
        WHERE series = ? AND resolution = ? AND bucket >= ? AND bucket < ? ORDER BY bucket
        """

    /// A series' samples in `[?3, ?4)`, each with the flow series' (?1) reading of the same instant.
    static let withFlow = """
        SELECT c.ts, c.value, c.flag, q.value, q.flag FROM sample c
        LEFT JOIN sample q ON q.series = ? AND q.ts = c.ts
        WHERE c.series = ? AND c.ts >= ? AND c.ts < ? ORDER BY c.ts
        """

    /// Where a series' stored data begins: its oldest sample, and the first hour and day rollup
    /// buckets (rollups may be kept longer than the raw samples). Each is one seek at the start
    /// of a key range; `min(ts)` would read every sample of the series.
    static let oldest = """
        SELECT (SELECT ts FROM sample WHERE series = ?1 ORDER BY ts LIMIT 1),
               (SELECT bucket FROM rollup WHERE series = ?1 AND resolution = 3600 ORDER BY bucket LIMIT 1),
               (SELECT bucket FROM rollup WHERE series = ?1 AND resolution = 86400 ORDER BY bucket LIMIT 1)
        """

    /// Where a series' stored data ends: its newest sample, and the ends of its last hour and day
    /// rollup buckets. Each is one seek at the end of a key range.
    static let newest = """
        SELECT (SELECT ts FROM sample WHERE series = ?1 ORDER BY ts DESC LIMIT 1),
               (SELECT bucket_end FROM rollup WHERE series = ?1 AND resolution = 3600 ORDER BY bucket DESC LIMIT 1),
               (SELECT bucket_end FROM rollup WHERE series = ?1 AND resolution = 86400 ORDER BY bucket DESC LIMIT 1)
        """

    /// Every statement above, by name, for the plan checks.
    static let all: [(name: String, sql: String)] = [
        ("seriesID", seriesID), ("seriesMeta", seriesMeta), ("seriesOfStation", seriesOfStation), ("samples", samples),
        ("latest", latest), ("rollups", rollups), ("rollupsWithoutExtremes", rollupsWithoutExtremes), ("withFlow", withFlow), ("oldest", oldest), ("newest", newest),
    ]
}
