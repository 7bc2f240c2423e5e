import Foundation

/// Reads durations written as people write them: `90s`, `10m`, `1h`, `1d`, `2w`, or plain seconds.
public enum DurationText {
    /// The number of seconds in `text`, or `nil` when it is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int(t) { return plain }
        guard let unit = t.last, let n = Int(t.dropLast()) else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3_600
        case "d": return n * 86_400
        case "w": return n * 604_800
        default: return nil
        }
    }

    /// The number of milliseconds in `text`: `25ms`, or any form ``seconds(_:)`` reads.
    public static func milliseconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("ms") { return Int(t.dropLast(2)) }
        return seconds(t).map { $0 * 1_000 }
    }
}
