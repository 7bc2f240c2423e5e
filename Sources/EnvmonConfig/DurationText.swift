import Foundation

/// Reads durations written as people write them: `90s`, `10m`, `1h`, `1d`, `2w`, or plain seconds.
public enum DurationText {
    /// The number of seconds in `text`, or `nil` when it is not a duration. Compound forms add
    /// up: `1h30m`, `2d12h`.
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let plain = Int(t) { return plain }
        var total = 0
        var digits = ""
        var sawUnit = false
        for c in t {
            if c.isASCII && c.isNumber {
                digits.append(c)
                continue
            }
            guard let n = Int(digits) else { return nil }
            switch c {
            case "s": total += n
            case "m": total += n * 60
            case "h": total += n * 3_600
            case "d": total += n * 86_400
            case "w": total += n * 604_800
            default: return nil
            }
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty ? total : nil
    }

    /// The number of milliseconds in `text`: `25ms`, or any form ``seconds(_:)`` reads.
    public static func milliseconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("ms") { return Int(t.dropLast(2)) }
        return seconds(t).map { $0 * 1_000 }
    }
}
