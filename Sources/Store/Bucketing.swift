public import Foundation
package import Monitoring

/// Cuts time into the buckets of an aggregate query.
///
/// Steps of whole days follow the station's local midnight (a day is 23 or 25 hours when the
/// clocks change) and count days from the first day of the range. Shorter steps are aligned to
/// the local clock at the start of the range: with `+08:00`, 6-hour buckets start at 00, 06, 12
/// and 18 local time.
///
/// Visible to the package's other stores (``PostgresStore``), which cut buckets the same way.
package struct Bucketing {
    /// The bucket length in seconds.
    package let step: Int64
    /// The query's range.
    package let range: Range<Int64>
    /// The series' zone.
    package let calendar: ZoneCalendar
    private let offset: Int64
    private let firstDay: Range<Int64>

    /// Buckets of `step` seconds for a query over `range` of a series kept in `calendar`'s zone.
    package init(step: Int64, range: Range<Int64>, calendar: ZoneCalendar) {
        self.step = step
        self.range = range
        self.calendar = calendar
        offset = Int64(calendar.offset(at: range.lowerBound))
        firstDay = calendar.day(containing: range.lowerBound)
    }

    /// Whether hour rollups (which are whole UTC hours) line up with local hours.
    package var offsetIsWholeHours: Bool { offset % 3_600 == 0 }

    /// The bucket that holds `t`.
    package func bucket(containing t: Int64) -> Range<Int64> {
        if step % 86_400 == 0 {
            let days = Int(step / 86_400)
            let day = calendar.day(containing: t)
            if days == 1 { return day }
            // Whole local days since the range's first day; the local wall date decides, not the length.
            let dayIndex = localDayNumber(day.lowerBound) - localDayNumber(firstDay.lowerBound)
            let groupStart = dayIndex >= 0 ? dayIndex / days * days : (dayIndex - days + 1) / days * days
            let start = calendar.day(after: firstDay.lowerBound, days: groupStart)
            let end = calendar.day(after: firstDay.lowerBound, days: groupStart + days)
            return start.lowerBound..<end.lowerBound
        }
        let start = floorDiv(t + offset, step) * step - offset
        return start..<(start + step)
    }

    package func end(ofBucketContaining t: Int64) -> Int64 { bucket(containing: t).upperBound }

    private func localDayNumber(_ t: Int64) -> Int {
        Int(floorDiv(t + Int64(calendar.offset(at: t)), 86_400))
    }
}

extension AggregateQuery {
    /// The bucket of this query that holds `t`, for a series kept in `timeZone`: how
    /// ``SQLiteStore/aggregate(_:)`` cuts ``range`` by ``step``. For a caller that widens an end
    /// of its range to a bucket boundary, so that the data's own end does not cut a bucket.
    public func bucket(containing t: Int64, in timeZone: TimeZone) -> Range<Int64> {
        Bucketing(step: step, range: range, calendar: ZoneCalendar(timeZone)).bucket(containing: t)
    }
}

/// `a / b` rounded down (towards minus infinity), for `b > 0`: the bucket of a time before 1970.
@inline(__always) package func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    a >= 0 ? a / b : (a - b + 1) / b
}
