/// The path data of a time chart's columns: the band (a vertical stroke per column from the
/// greatest to the least value) and the mean line, broken where a column has no data.
struct TimeChartPaths {
    /// The band's path; empty when every column's values fit in a pixel (the mean line shows them).
    var band = ""
    /// The mean line's path: a subpath per run of columns with data.
    var mean = ""

    init(columns: [ChartColumn?], scale: ValueScale, left: Double) {
        let n = SVGText.number
        band.reserveCapacity(columns.count * 12)
        mean.reserveCapacity(columns.count * 10)
        func clamp(_ y: Double) -> Double { min(scale.bottom, max(scale.top, y)) }
        // Points of a run: "M x y" first, "L x y" second, " x y" after (an implicit lineto).
        var runLength = 0
        for (i, column) in columns.enumerated() {
            guard let c = column else {
                runLength = 0
                continue
            }
            let x = n(left + Double(i) + 0.5)
            let yMax = clamp(scale.y(c.max))
            let yMin = clamp(scale.y(c.min))
            if yMin - yMax >= 1 { band += "M\(x) \(n(yMax))V\(n(yMin))" }
            let y = n(clamp(scale.y(c.mean)))
            switch runLength {
            case 0:
                // A run of one column draws a one-pixel stroke: a lone point still shows.
                let alone = i + 1 == columns.count || columns[i + 1] == nil
                mean += alone ? "M\(x) \(y)h1" : "M\(x) \(y)"
            case 1: mean += "L\(x) \(y)"
            default: mean += " \(x) \(y)"
            }
            runLength += 1
        }
    }
}
