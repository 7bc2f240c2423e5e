import Foundation
import Monitoring
/// Plain-text tables whose columns line up in a terminal, Chinese included: a CJK character takes
/// two columns, as terminals draw it.
public enum TextTable {
    /// Rows of cells, the first the header, columns separated by two spaces.
    public static func render(_ rows: [[String]]) -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], columns(cell)) } }
        var out = ""
        for row in rows {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += cell
                if i < row.count - 1 { line += String(repeating: " ", count: widths[i] - columns(cell) + 2) }
            }
            out += line + "\n"
        }
        return out
    }

    /// Terminal columns of `text`: 2 for East Asian wide characters, 1 for the rest.
    public static func columns(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { n, s in
            let v = s.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}

/// Numbers as JSON and CSV carry them: integers without a fraction, others in shortest form.
public enum JSONNumber {
    public static func text(_ v: Double) -> String { FixedPoint.plain(v) }
}

/// CSV fields, quoted when they must be (RFC 4180).
public enum CSVField {
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
