/// Dates on which Chinese standards take effect, as instants.
///
/// Chinese standards take effect at 00:00 Beijing time. Asia/Shanghai has kept UTC+08:00 since 1991, so
/// a fixed offset gives the same instant as the zone for every date these standards care about.
enum StandardDates {
    /// Seconds since the epoch of 00:00 on a civil date in Beijing time (UTC+08:00).
    static func beijingMidnight(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        CivilTime(year: year, month: month, day: day).secondsIfUTC - 8 * 3_600
    }

    /// The civil date of an instant in Beijing time, at midnight.
    static func beijingDate(at instant: Int64) -> CivilTime {
        let civil = CivilTime(secondsIfUTC: instant + 8 * 3_600)
        return CivilTime(year: civil.year, month: civil.month, day: civil.day)
    }

    /// Whether a civil date (its time of day ignored) is on or after another.
    static func date(_ date: CivilTime, isOnOrAfter year: Int, _ month: Int, _ day: Int) -> Bool {
        (date.year, date.month, date.day) >= (year, month, day)
    }
}
