/// A text table whose columns line up in a terminal, Chinese characters counting two columns.
struct Table {
    private var rows: [[String]] = []
    private var right: [Bool] = []

    mutating func header(_ cells: [String], right: [Bool]) {
        rows.insert(cells, at: 0)
        self.right = right
    }

    mutating func row(_ cells: [String]) { rows.append(cells) }

    func lines() -> [String] {
        let count = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], Self.width(c)) } }
        return rows.map { r in
            r.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - Self.width(c))
                return i < right.count && right[i] ? pad + c : c + pad
            }.joined(separator: "  ")
        }.map { line in
            var l = Substring(line)
            while l.last == " " { l = l.dropLast() }
            return String(l)
        }
    }

    /// Terminal columns: East Asian wide characters (CJK, fullwidth forms) take two.
    static func width(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { n, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return n + (wide ? 2 : 1)
        }
    }
}
