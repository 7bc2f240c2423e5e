import Foundation

/// Parses the times people type on the command line and in files.
///
/// Accepted: `2014-01-01T05:00:00Z`, `2014-01-01T05:00:00+08:00`, `2014-01-01T05:00+0800`,
/// `2014-01-01 05:00`, `2014-01-01T05`, and `2014-01-01`. A time without an offset is wall time in
/// the given zone, and is an error if that wall time does not exist there.
public enum ISO8601Time {
    /// Why a time could not be read.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case nonexistent(String, zone: String)

        public var description: String {
            switch self {
            case .malformed(let s): "'\(s)' is not an ISO 8601 time (e.g. 2014-01-01T05:00:00+08:00)"
            case .nonexistent(let s, let zone): "'\(s)' does not exist in \(zone) (the clocks skip it)"
            }
        }
    }

    /// Parses `text` into seconds since the epoch; wall times are read in `calendar`'s zone.
    public static func parse(_ text: String, in calendar: ZoneCalendar) throws(ParseError) -> Int64 {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= s.count else { return nil }
            var v = 0
            for k in i..<(i + digits) {
                guard s[k] >= 48, s[k] <= 57 else { return nil }
                v = v * 10 + Int(s[k] - 48)
            }
            i += digits
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            if i < s.count, s[i] == c {
                i += 1
                return true
            }
            return false
        }
        guard let y = number(4), expect(45), let mo = number(2), expect(45), let d = number(2) else {
            throw .malformed(text)
        }
        var civil = CivilTime(year: y, month: mo, day: d)
        if i < s.count, s[i] == 84 || s[i] == 32 {  // 'T' or ' '
            i += 1
            guard let h = number(2) else { throw .malformed(text) }
            civil.hour = h
            if expect(58) {
                guard let m = number(2) else { throw .malformed(text) }
                civil.minute = m
                if expect(58) {
                    guard let sec = number(2) else { throw .malformed(text) }
                    civil.second = sec
                    if expect(46) { while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1 } }  // fraction dropped
                }
            }
        }
        guard civil.isValid else { throw .malformed(text) }
        if i == s.count {
            switch calendar.resolve(civil) {
            case .unique(let t), .ambiguous(let t, _): return t
            case .nonexistent: throw .nonexistent(text, zone: calendar.timeZone.identifier)
            }
        }
        if s[i] == 90 || s[i] == 122, i + 1 == s.count { return civil.secondsIfUTC }  // Z
        guard s[i] == 43 || s[i] == 45 else { throw .malformed(text) }
        let negative = s[i] == 45
        i += 1
        guard let oh = number(2) else { throw .malformed(text) }
        _ = expect(58)
        let om = i < s.count ? (number(2) ?? -1) : 0
        guard om >= 0, i == s.count, oh <= 18, om < 60 else { throw .malformed(text) }
        let offset = Int64(oh * 3_600 + om * 60)
        return civil.secondsIfUTC - (negative ? -offset : offset)
    }
}
