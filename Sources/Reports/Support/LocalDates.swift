import EnvmonConfig
public import Monitoring

/// Local calendar dates as the reports take and print them.
///
/// One rule for ranges everywhere: `--from` and `--to` are local dates of the station's (or the
/// report's) zone and both are inclusive; a day is the local calendar day, midnight to midnight.
public enum LocalDates {
    /// A local calendar date, `YYYY-MM-DD` exactly; `option` names the argument in the error.
    public static func parse(_ text: String, option: String) throws(ReportsError) -> CivilTime {
        let parts = text.trimmingBlanks.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { throw ReportsError("\(option) '\(text)' is not a date (YYYY-MM-DD, e.g. 2016-01-01)", argument: option) }
        let civil = CivilTime(year: y, month: m, day: d)
        guard civil.isValid else { throw ReportsError("\(option) '\(text)' is not a calendar date", argument: option) }
        return civil
    }

    /// One end of a range of instants, by the rule every command follows: a date (`2026-01-31`)
    /// names a whole local day of `calendar`'s zone, so `--to 2026-01-31` includes the 31st (the
    /// range ends at the next local midnight); a time (`2026-01-31T08:00`, with or without an
    /// offset) is an instant, `--from` inclusive and `--to` exclusive. A relative time (`now`,
    /// `now-7d`, `now-36h`, `now-15m`, `now+1h`; units as ``DurationText`` reads them) is an
    /// instant counted from `now`, which the caller gives: the library never reads the clock.
    public static func bound(
        _ text: String, option: String, in calendar: ZoneCalendar, isEnd: Bool, now: Int64? = nil
    ) throws(ReportsError) -> Int64 {
        if let offset = try relativeOffset(text, option: option) {
            guard let now else { throw ReportsError("\(option) '\(text)': a relative time needs the current time", argument: option) }
            return now + offset
        }
        if isBareDate(text) {
            let date = try parse(text, option: option)
            let midnight = CivilTime(year: date.year, month: date.month, day: date.day).secondsIfUTC + (isEnd ? 86_400 : 0)
            return calendar.firstInstant(ofLocal: midnight)
        }
        do {
            return try ISO8601Time.parse(text, in: calendar)
        } catch {
            throw ReportsError("\(option) '\(text)': \(error)", argument: option)
        }
    }

    /// The seconds `text` counts from now (`now` → 0, `now-7d` → −604 800), or `nil` when it
    /// does not start with `now`.
    static func relativeOffset(_ text: String, option: String) throws(ReportsError) -> Int64? {
        let t = text.trimmingBlanks
        guard t.hasPrefix("now") else { return nil }
        let rest = t.dropFirst(3)
        if rest.isEmpty { return 0 }
        let sign: Int64 = rest.first == "-" ? -1 : rest.first == "+" ? 1 : 0
        guard sign != 0, let seconds = DurationText.seconds(String(rest.dropFirst())), !rest.dropFirst().contains(where: \.isWhitespace)
        else {
            throw ReportsError(
                "\(option) '\(text)' is not a relative time (now, now-7d, now-36h, now-15m: s, m, h, d or w after a sign)", argument: option)
        }
        return sign * Int64(seconds)
    }

    /// Whether `text` is a date alone, `YYYY-MM-DD` (surrounding blanks aside).
    static func isBareDate(_ text: String) -> Bool {
        let t = text.trimmingBlanks
        guard t.utf8.count == 10 else { return false }
        for (i, byte) in t.utf8.enumerated() {
            let isDash = i == 4 || i == 7
            if isDash ? byte != UInt8(ascii: "-") : !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { return false }
        }
        return true
    }

    /// The local days from `first` through `last` (inclusive), as UTC instant ranges.
    public static func days(from first: CivilTime, through last: CivilTime, _ calendar: ZoneCalendar) -> [Range<Int64>] {
        func midnight(_ date: CivilTime) -> Int64 { CivilTime(year: date.year, month: date.month, day: date.day).secondsIfUTC }
        let end = calendar.firstInstant(ofLocal: midnight(last) + 86_400)
        var day = calendar.day(containing: calendar.firstInstant(ofLocal: midnight(first)))
        var out: [Range<Int64>] = []
        while day.lowerBound < end {
            out.append(day)
            day = calendar.day(after: day.lowerBound, days: 1)
        }
        return out
    }

    /// A value as the tables print it: 1 decimal from 100, 2 from 1, else 3.
    public static func display(_ v: Double) -> String {
        FixedPoint.format(v, digits: abs(v) >= 100 ? 1 : abs(v) >= 1 ? 2 : 3)
    }
}

extension CivilTime {
    /// `YYYY-MM-DD`.
    public var isoDate: String { String(description.prefix(10)) }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingBlanks: Substring {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
