import Foundation
import Monitoring

/// Small formatting helpers of the pages: local times, URL parts.
enum PageText {
    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

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
}
