import Monitoring

/// One leaf partition of `sample`: the samples of one kind in one UTC month.
///
/// Names and bounds are made only from the kind (a fixed set) and integers, never from input,
/// so the DDL that names them is safe to write as text.
struct SamplePartition: Hashable, Sendable, Comparable {
    /// The kind.
    let kind: SeriesKind
    /// Months since 0000-01 (year × 12 + month − 1).
    let month: Int64

    /// The partition holding a sample of `kind` at `t`.
    init(kind: SeriesKind, containing t: Int64) {
        self.kind = kind
        let (y, m, _) = Self.civil(days: floorDivide(t, 86_400))
        month = y * 12 + m - 1
    }

    init(kind: SeriesKind, month: Int64) {
        self.kind = kind
        self.month = month
    }

    /// The month after.
    var next: SamplePartition { SamplePartition(kind: kind, month: month + 1) }

    /// The first instant of the month, UTC seconds.
    var lowerBound: Int64 { Self.epochSeconds(year: floorDivide(month, 12), month: month - floorDivide(month, 12) * 12 + 1) }
    /// The first instant of the next month.
    var upperBound: Int64 { next.lowerBound }

    /// `sample_minute_y2024m01`.
    var table: String {
        let year = floorDivide(month, 12)
        let m = month - year * 12 + 1
        return "\(kind.parentTable)_y\(year)m\(m < 10 ? "0" : "")\(m)"
    }

    /// Parses a partition's table name back (`nil` for another table).
    init?(table: String) {
        for kind in SeriesKind.allCases where table.hasPrefix(kind.parentTable + "_y") {
            let rest = table.dropFirst(kind.parentTable.count + 2)
            let parts = rest.split(separator: "m")
            guard parts.count == 2, let y = Int64(parts[0]), let m = Int64(parts[1]), (1...12).contains(m) else { return nil }
            self.init(kind: kind, month: y * 12 + m - 1)
            return
        }
        return nil
    }

    /// The statement that creates it.
    var createSQL: String {
        "CREATE TABLE IF NOT EXISTS \(table) PARTITION OF \(kind.parentTable) FOR VALUES FROM (\(lowerBound)) TO (\(upperBound))"
    }

    static func < (a: SamplePartition, b: SamplePartition) -> Bool { (a.kind.code, a.month) < (b.kind.code, b.month) }

    /// Year, month and day of a day count since 1970-01-01 (H. Hinnant's civil_from_days).
    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Seconds since the epoch of the first instant of a month, UTC (days_from_civil).
    static func epochSeconds(year: Int64, month: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400
    }
}

@inline(__always) func floorDivide(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

extension SeriesKind {
    /// The value of `sample.kind` (the LIST partition key).
    var code: Int16 {
        switch self {
        case .realtime: 1
        case .minute: 2
        case .hour: 3
        case .day: 4
        }
    }

    /// The kind's partition of `sample`, itself partitioned by month.
    var parentTable: String { "sample_\(rawValue)" }
}
