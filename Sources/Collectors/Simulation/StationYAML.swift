import Foundation
public import Monitoring

/// Writes a station in the schema of sensors/ (what `SensorLoader` reads), so that the daemon can
/// load stations made in code.
///
/// ```swift
/// try StationYAML.text(station).write(toFile: "sim/\(station.id).yaml", atomically: false, encoding: .utf8)
/// ```
public enum StationYAML {
    /// The YAML text of one station file.
    public static func text(_ station: Station, comment: String? = nil) -> String {
        var out = ""
        if let comment { out += comment.split(separator: "\n", omittingEmptySubsequences: false).map { "# \($0)\n" }.joined() }
        out += "id: \(quote(station.id))\n"
        out += "name: \(quote(station.name))\n"
        out += "kind: \(station.kind.rawValue)\n"
        out += "time_zone: \(quote(station.timeZone.identifier))\n"
        out += "interval: \(station.expectedInterval)s\n"
        if let l = station.location { out += "location: {lat: \(degrees(l.latitude)), lon: \(degrees(l.longitude))}\n" }
        if let mn = station.mn {
            out += "hj212:\n  mn: \(quote(mn))\n"
            if let password = station.password { out += "  password: \(quote(password))\n" }
        }
        if !station.labels.isEmpty {
            out += "labels:\n"
            for (key, value) in station.labels.sorted(by: { $0.key < $1.key }) { out += "  \(quote(key)): \(quote(value))\n" }
        }
        if station.retired { out += "retired: true\n" }
        out += "parameters:\n"
        for p in station.parameters {
            out += "  \(quote(p.parameter.id)):"
            var settings: [String] = []
            if p.reportedUnit != p.unit || !p.limits.isEmpty { settings.append("    unit: \(quote(p.reportedUnit.rawValue))") }
            if p.limits.count == 1 {
                settings.append("    limit: \(limit(p.limits[0]))")
            } else if p.limits.count > 1 {
                settings.append("    limits:")
                settings += p.limits.map { "      - \(limit($0))" }
            }
            out += settings.isEmpty ? " {}\n" : "\n" + settings.joined(separator: "\n") + "\n"
        }
        return out
    }

    private static func limit(_ l: Limit) -> String {
        var parts: [String] = []
        if let min = l.min { parts.append("min: \(number(min))") }
        if let max = l.max { parts.append("max: \(number(max))") }
        parts.append("basis: \(l.basis.rawValue)")
        if let source = l.source { parts.append("source: \(quote(source))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Degrees to 6 decimals (about 0.1 m), without trailing zeros.
    private static func degrees(_ v: Double) -> String { FixedPoint.plain((v * 1e6).rounded() / 1e6) }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && Swift.abs(v) < 1e15 ? String(Int64(v)) : "\(v)"
    }

    /// A YAML scalar: plain when it is a word that YAML reads as that text, double-quoted otherwise.
    static func quote(_ s: String) -> String {
        let plain =
            s.first.map { $0.isASCII && $0.isLetter } == true
            && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._/-".contains($0)) }
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(s.lowercased())
        if plain { return s }
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
