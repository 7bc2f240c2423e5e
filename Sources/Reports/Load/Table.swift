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
    static func width(_ s: String) -> Int { TextTable.columns(s) }
}
