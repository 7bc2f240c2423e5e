/// A one-line chart of values with block characters; gaps (no valid value) show as spaces.
public enum Sparkline {
    /// The eight heights.
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// Renders at most `width` characters, averaging neighbouring values when there are more.
    public static func render(_ values: [Double?], width: Int) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        var columns: [Double?] = []
        let per = max(1, (values.count + width - 1) / width)
        var i = 0
        while i < values.count {
            let chunk = values[i..<min(i + per, values.count)].compactMap { $0 }
            columns.append(chunk.isEmpty ? nil : chunk.reduce(0, +) / Double(chunk.count))
            i += per
        }
        let present = columns.compactMap { $0 }
        guard let lo = present.min(), let hi = present.max() else { return String(repeating: " ", count: columns.count) }
        let span = hi - lo
        let line = String(
            columns.map { v -> Character in
                guard let v else { return " " }
                let idx = span > 0 ? Int(((v - lo) / span * 7).rounded()) : 3
                return blocks[min(7, max(0, idx))]
            })
        return "\(line)  min \(LocalDates.display(lo))  max \(LocalDates.display(hi))"
    }
}
