/// A bar chart of daily (or monthly) values drawn as SVG text: a bar per value, each with its own
/// colour and tooltip, and limit lines across. Daily AQI coloured by category, a section's daily
/// class against its target class, loads against the allowance.
///
/// ```swift
/// var chart = BarChart()
/// chart.bars = days.map { BarChart.Bar(value: Double($0.aqi), colour: $0.category.css, title: "\($0.date) AQI \($0.aqi)") }
/// chart.limits = [LimitLine(value: 100, label: "AQI 100")]
/// let svg = chart.render()
/// ```
public struct BarChart: Sendable {
    /// One bar.
    public struct Bar: Sendable, Hashable {
        /// Its value; `nil`: no data (nothing drawn, the gap stays).
        public var value: Double?
        /// A CSS colour.
        public var colour: String
        /// Its tooltip (`2026-03-14 AQI 114 轻度污染`).
        public var title: String
        /// A label under the bar; `nil` for none (a year of days labels only some).
        public var label: String?

        /// A bar.
        public init(value: Double?, colour: String, title: String, label: String? = nil) {
            self.value = value
            self.colour = colour
            self.title = title
            self.label = label
        }
    }

    /// The chart's width in pixels (its viewBox).
    public var width: Int
    /// The chart's height in pixels.
    public var height: Int
    /// The bars, left to right.
    public var bars: [Bar] = []
    /// Horizontal lines across (a limit, a target class, the allowance).
    public var limits: [LimitLine] = []
    /// The values shown; `nil`: 0 to the greatest bar or limit, with a margin.
    public var yRange: ClosedRange<Double>?
    /// Labels of the value axis in place of numbers (`[1: "I", 2: "II" …]` for water classes).
    public var yLabels: [Double: String]?
    /// The unit, written above the value axis.
    public var unit: String?
    /// The chart's accessible name and tooltip.
    public var title: String?
    /// Written across the plot when no bar has a value.
    public var noDataLabel: String = "no data"
    /// The `data-test` attribute of the root element.
    public var testID: String = "bar-chart"

    /// A chart 960×200 unless given.
    public init(width: Int = 960, height: Int = 200) {
        self.width = max(width, 80)
        self.height = max(height, 60)
    }

    /// The vertical scale.
    public func scale() -> ValueScale {
        let bottom = Double(height - TimeChart.bottom)
        let top = Double(TimeChart.top)
        if let yRange { return ValueScale(exactly: yRange, bottom: bottom, top: top) }
        let values = [0] + bars.compactMap(\.value) + limits.map(\.value)
        return ValueScale(fitting: values, bottom: bottom, top: top)
    }

    /// The SVG.
    public func render() -> String {
        let n = SVGText.number
        let scale = scale()
        let left = Double(TimeChart.left)
        let right = Double(width - TimeChart.right)
        var svg = SVGBuilder(width: width, height: height, label: title, testID: testID)
        var grid = ""
        let ticks = yLabels.map { $0.keys.sorted() } ?? scale.ticks
        for t in ticks where scale.range.contains(t) {
            let y = scale.y(t)
            grid += "M\(n(left)) \(n(y))H\(n(right))"
            svg.element(
                "text", ["x": n(left - 4), "y": n(y + 4), "text-anchor": "end", "fill": "#555"], text: yLabels?[t] ?? SVGText.value(t))
        }
        svg.empty("path", ["d": grid, "stroke": "#e3e3e3", "fill": "none", "class": "gridlines"])
        let slot = bars.isEmpty ? 0 : (right - left) / Double(bars.count)
        let gap = slot >= 4 ? max(1, slot * 0.15) : 0
        let base = scale.y(max(scale.range.lowerBound, min(scale.range.upperBound, 0)))
        var lastLabel = -Double.infinity
        for (i, bar) in bars.enumerated() {
            let x = left + Double(i) * slot
            if let label = bar.label, x + slot / 2 - lastLabel >= 30 {
                lastLabel = x + slot / 2
                svg.element("text", ["x": n(x + slot / 2), "y": n(scale.bottom + 13), "text-anchor": "middle", "fill": "#555"], text: label)
            }
            guard let v = bar.value else { continue }
            let y = min(scale.bottom, max(scale.top, scale.y(v)))
            let (top, h) = y <= base ? (y, base - y) : (base, y - base)
            svg.open(
                "rect",
                ["x": n(x + gap / 2), "y": n(top), "width": n(max(0.5, slot - gap)), "height": n(max(0.5, h)), "fill": bar.colour,
                 "data-test": "bar"])
            svg.title(bar.title)
            svg.close("rect")
        }
        if bars.allSatisfy({ $0.value == nil }) {
            svg.element(
                "text", ["x": n((left + right) / 2), "y": n((scale.top + scale.bottom) / 2), "text-anchor": "middle", "fill": "#777"],
                text: noDataLabel)
        }
        svg.empty("path", ["d": "M\(n(left)) \(n(scale.top))V\(n(scale.bottom))H\(n(right))", "stroke": "#999", "fill": "none", "class": "axis"])
        if let unit { svg.element("text", ["x": "2", "y": "10", "fill": "#555", "class": "unit"], text: unit) }
        for limit in limits where scale.range.contains(limit.value) {
            let y = scale.y(limit.value)
            svg.open("g", ["class": "limit", "data-test": "limit-line", "data-value": SVGText.value(limit.value)])
            svg.title(limit.label)
            svg.empty(
                "line", ["x1": n(left), "y1": n(y), "x2": n(right), "y2": n(y), "stroke": "#c0392b", "stroke-width": "1.5",
                         "stroke-dasharray": "6 3"])
            svg.element("text", ["x": n(right - 2), "y": n(max(scale.top + 9, y - 3)), "text-anchor": "end", "fill": "#c0392b"], text: limit.label)
            svg.close("g")
        }
        return svg.finish()
    }
}
