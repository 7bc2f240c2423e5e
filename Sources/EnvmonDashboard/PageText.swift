import Foundation
import Monitoring
import Reports

/// How the pages write numbers, ages, local times and URL parts (one place for all of them).
enum PageText {
    /// A reading as an operator reads it: 3 significant digits at most, no trailing zeros
    /// (`0.204`, `21.3`, `1520`).
    static func value(_ v: Double) -> String {
        let digits = abs(v) >= 100 ? 0 : abs(v) >= 10 ? 1 : abs(v) >= 1 ? 2 : 3
        var text = FixedPoint.format(v, digits: digits)
        // Searched as bytes: Foundation's `contains` bridges to NSString (a thousand rows of values a page).
        if text.utf8.contains(UInt8(ascii: ".")) {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// An age: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h` (`3小时05分`, `2天4小时` in Chinese).
    static func age(_ seconds: Int64, _ language: UILanguage) -> String {
        let zh = language == .zhCN
        let s = max(0, seconds)
        if s < 60 { return zh ? "\(s)秒" : "\(s) s" }
        if s < 3_600 { return zh ? "\(s / 60)分钟" : "\(s / 60) min" }
        let minutes = (s % 3_600) / 60
        let mm = minutes < 10 ? "0\(minutes)" : "\(minutes)"
        if s < 86_400 { return zh ? "\(s / 3_600)小时\(mm)分" : "\(s / 3_600) h \(mm) min" }
        return zh ? "\(s / 86_400)天\((s % 86_400) / 3_600)小时" : "\(s / 86_400) d \((s % 86_400) / 3_600) h"
    }

    /// A local time in `zone`: `12-06 21:05`, with the date only when it is not `now`'s day.
    static func time(_ t: Int64, zone: TimeZone, now: Int64) -> String {
        let calendar = ZoneCalendar(zone)
        return time(t, calendar: calendar, today: calendar.civil(at: now))
    }

    /// ``time(_:zone:now:)`` with the zone's calendar (which caches its offsets: keep one for many
    /// times) and today's date in it.
    static func time(_ t: Int64, calendar: ZoneCalendar, today: CivilTime) -> String {
        let c = calendar.civil(at: t)
        let hm = two(c.hour) + ":" + two(c.minute)
        return (c.year, c.month, c.day) == (today.year, today.month, today.day) ? hm : two(c.month) + "-" + two(c.day) + " " + hm
    }

    /// A local date and time in `zone`: `2026-12-06 21:05`.
    static func dateTime(_ t: Int64, zone: TimeZone) -> String {
        let c = ZoneCalendar(zone).civil(at: t)
        return c.isoDate + " " + two(c.hour) + ":" + two(c.minute)
    }

    /// The part of a station's name in the page's language: our names read `中文 (English)`.
    static func name(_ full: String, _ language: UILanguage) -> String {
        // The standard library's search, not Foundation's (which bridges to NSString): a thousand names a page.
        guard let open = full.firstRange(of: " ("), full.hasSuffix(")") else { return full }
        let chinese = String(full[..<open.lowerBound])
        let english = String(full[open.upperBound..<full.index(before: full.endIndex)])
        return language == .zhCN ? chinese : english
    }

    /// `2026-03-14 10:05` in the zone of `calendar`.
    static func time(_ t: Int64, _ calendar: ZoneCalendar) -> String {
        let c = calendar.civil(at: t)
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// `2026-03-14` in the zone of `calendar`.
    static func date(_ t: Int64, _ calendar: ZoneCalendar) -> String {
        let c = calendar.civil(at: t)
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    /// `2026-03-14`.
    static func date(_ c: CivilTime) -> String { "\(c.year)-\(two(c.month))-\(two(c.day))" }

    /// `text` percent-encoded for a path segment.
    static func pathComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `text` percent-encoded for a query value.
    static func queryValue(_ text: String) -> String { pathComponent(text) }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
