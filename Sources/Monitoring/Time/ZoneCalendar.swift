public import Foundation

/// Converts between UTC instants and a time zone's wall clock, and finds its calendar days.
///
/// The store keeps UTC; HJ 212 and CSV files speak local time, and days and reports follow the
/// station's zone. Foundation's `Calendar` is correct but slow for millions of rows, so this type
/// does the civil arithmetic itself and asks `TimeZone` only for UTC offsets, which it caches per
/// hour. It is a class with caches, not thread-safe: give each thread its own.
public final class ZoneCalendar {
    /// The zone.
    public let timeZone: TimeZone
    private var offsetCache: [Int64: Int] = [:]
    /// The hour asked for last and its offset: consecutive times (rows of a series) mostly fall
    /// in the same hour, and this spares them hashing into ``offsetCache``.
    private var lastHour: (key: Int64, offset: Int) = (.min, 0)
    private var lastDay: (local: Int64, range: Range<Int64>)?
    private var dayCache: [Int64: Range<Int64>] = [:]

    /// Creates a calendar for a zone.
    public init(_ timeZone: TimeZone) { self.timeZone = timeZone }

    /// What a wall-clock time means in this zone.
    public enum Resolution: Sendable, Equatable {
        /// The wall time happens exactly once.
        case unique(Int64)
        /// The wall time happens twice (the clocks went back); both instants, earlier first.
        case ambiguous(Int64, Int64)
        /// The wall time never happens (the clocks jumped over it).
        case nonexistent
    }

    /// The UTC offset in seconds at an instant.
    public func offset(at t: Int64) -> Int {
        let hourKey = t >= 0 ? t / 3_600 : (t - 3_599) / 3_600
        if hourKey == lastHour.key { return lastHour.offset }
        if let cached = offsetCache[hourKey] {
            lastHour = (hourKey, cached)
            return cached
        }
        let start = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hourKey * 3_600)))
        let end = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hourKey * 3_600 + 3_599)))
        if start == end {
            if offsetCache.count > 200_000 { offsetCache.removeAll(keepingCapacity: true) }
            offsetCache[hourKey] = start
            lastHour = (hourKey, start)
            return start
        }
        // A transition inside this hour: ask for the exact instant, uncached.
        return timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
    }

    /// The instants at which a wall time happens in this zone.
    public func resolve(_ civil: CivilTime) -> Resolution {
        resolve(localSeconds: civil.secondsIfUTC)
    }

    /// Like ``resolve(_:)``, for a wall time given as seconds since 1970-01-01T00:00 local.
    public func resolve(localSeconds l: Int64) -> Resolution {
        // Offsets a day either side cover any single transition near `l`.
        let before = offset(at: l - 86_400)
        if before == offset(at: l + 86_400) {
            let t = l - Int64(before)
            if offset(at: t) == before { return .unique(t) }
        }
        let candidates = Set([offset(at: l - 86_400), offset(at: l + 86_400), offset(at: l)])
        var instants: [Int64] = []
        for o in candidates {
            let t = l - Int64(o)
            if offset(at: t) == o { instants.append(t) }
        }
        instants.sort()
        switch instants.count {
        case 0: return .nonexistent
        case 1: return .unique(instants[0])
        default: return .ambiguous(instants[0], instants[instants.count - 1])
        }
    }

    /// The wall time at an instant.
    public func civil(at t: Int64) -> CivilTime { CivilTime(secondsIfUTC: t + Int64(offset(at: t))) }

    /// The first instant of the local clock hour holding `t`: a whole UTC hour in most zones, :30
    /// or :45 past one in zones with such offsets (India, Nepal), where hour rollups (UTC hours)
    /// do not fall on the hours a rule judges.
    public func hourStart(containing t: Int64) -> Int64 {
        let local = t + Int64(offset(at: t))
        let floor = local >= 0 ? local / 3_600 * 3_600 : (local - 3_599) / 3_600 * 3_600
        return t - (local - floor)
    }

    /// The local calendar day holding `t`, as a half-open range of UTC instants from its midnight
    /// to the next (23 or 25 hours long on days the clocks change).
    public func day(containing t: Int64) -> Range<Int64> {
        if let last = lastDay, last.range.contains(t) { return last.range }
        let local = t + Int64(offset(at: t))
        let localDay = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let range: Range<Int64>
        if let cached = dayCache[localDay] {
            range = cached
        } else {
            range = firstInstant(ofLocal: localDay * 86_400)..<firstInstant(ofLocal: (localDay + 1) * 86_400)
            if dayCache.count > 100_000 { dayCache.removeAll(keepingCapacity: true) }
            dayCache[localDay] = range
        }
        lastDay = (localDay, range)
        return range
    }

    /// The local day that starts at `dayStart` and the `n`-th day after it (negative: before).
    public func day(after dayStart: Int64, days n: Int) -> Range<Int64> {
        let local = dayStart + Int64(offset(at: dayStart))
        return day(containing: firstInstant(ofLocal: local + Int64(n) * 86_400))
    }

    /// The first instant whose wall time is at or after `localSeconds`.
    public func firstInstant(ofLocal l: Int64) -> Int64 {
        switch resolve(localSeconds: l) {
        case .unique(let t): return t
        case .ambiguous(let t, _): return t
        case .nonexistent:
            // Inside a gap: the wall time after the gap starts at the transition itself.
            var t = l - Int64(offset(at: l - 86_400))
            while t + Int64(offset(at: t)) < l { t += 60 }
            var lo = t - 60
            while lo + 1 < t {  // bisect to the exact second
                let mid = (lo + t) / 2
                if mid + Int64(offset(at: mid)) >= l { t = mid } else { lo = mid }
            }
            return t
        }
    }

    /// ISO 8601 with this zone's offset at that instant, such as `2013-03-01T00:00:00+08:00`.
    public func iso8601(_ t: Int64) -> String { iso8601(t, offset: offset(at: t)) }

    /// `+08:00`, `-05:00`, `Z` for zero.
    public static func offsetString(_ seconds: Int) -> String {
        if seconds == 0 { return "Z" }
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return "\(sign)\(pad(a / 3_600, 2)):\(pad(a / 60 % 60, 2))"
    }
}
