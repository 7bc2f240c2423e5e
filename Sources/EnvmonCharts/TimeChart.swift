public import Foundation

/// A time chart drawn as SVG text on the server: per pixel column the least-to-greatest band and
/// the mean line, gaps as gaps, limit lines, shaded periods and colour bands behind the data.
///
/// The chart is a value: configure it, then ``render(_:)`` the columns a ``ColumnReducer`` made
/// (``reducer`` gives one of the right width) or ``render(samples:)`` the samples directly. The
/// SVG has a `viewBox` and `width="100%"`, so it scales to its container; its text is escaped and
/// its numbers have at most one decimal, so a year of minute data draws in tens of kilobytes.
///
/// ```swift
/// var chart = TimeChart(from: t0, to: t1, timeZone: station.timeZone)
/// chart.unit = "mg/L"
/// chart.limits = [LimitLine(value: 50, label: "limit 50 mg/L (GB 18918-2002 1A)")]
/// let svg = chart.render(samples: samples)
/// ```
public struct TimeChart: Sendable {
    /// The chart's width in pixels (its viewBox; the SVG scales to its container).
    public var width: Int
    /// The chart's height in pixels.
    public var height: Int
    /// The first instant shown, UTC seconds.
    public var from: Int64
    /// The end of the time shown (exclusive), UTC seconds.
    public var to: Int64
    /// The zone of the axis' ticks and labels (the station's).
    public var timeZone: TimeZone
    /// The unit, written above the value axis (`mg/L`).
    public var unit: String?
    /// The values shown; `nil`: fitted to the data and the limit lines, with a margin.
    public var yRange: ClosedRange<Double>?
    /// Horizontal limit lines.
    public var limits: [LimitLine] = []
    /// Periods shaded behind the data (flagged, invalid).
    public var periods: [ShadedPeriod] = []
    /// Bands of value coloured behind the data (AQI levels).
    public var bands: [ColourBand] = []
    /// The chart's accessible name and tooltip.
    public var title: String?
    /// Written across the plot when there is no data at all.
    public var noDataLabel: String = "no data"
    /// The `data-test` attribute of the root element.
    public var testID: String = "time-chart"

    /// Margins of the plot inside the chart: room for the value labels (left) and the time labels (bottom).
    static let left = 46
    static let right = 8
    static let top = 14
    static let bottom = 18

    /// A chart of `[from, to)`, 960×220 unless given.
    public init(from: Int64, to: Int64, timeZone: TimeZone, width: Int = 960, height: Int = 220) {
        self.from = from
        self.to = max(to, from + 1)
        self.timeZone = timeZone
        self.width = max(width, TimeChart.left + TimeChart.right + 10)
        self.height = max(height, TimeChart.top + TimeChart.bottom + 20)
    }

    /// The plot's width: one column per pixel.
    public var plotWidth: Int { width - TimeChart.left - TimeChart.right }

    /// A reducer to this chart's columns.
    public var reducer: ColumnReducer { ColumnReducer(from: from, to: to, columns: plotWidth) }

    /// The vertical scale for these columns: ``yRange``, or fitted to the columns and the limit lines.
    public func scale(for columns: [ChartColumn?]) -> ValueScale {
        let bottom = Double(height - TimeChart.bottom)
        let top = Double(TimeChart.top)
        if let yRange { return ValueScale(exactly: yRange, bottom: bottom, top: top) }
        var values = limits.map(\.value)
        for c in columns { if let c { values += [c.min, c.max] } }
        return ValueScale(fitting: values, bottom: bottom, top: top)
    }

    /// The x of time `t` in the chart (unclamped).
    public func x(_ t: Int64) -> Double {
        Double(TimeChart.left) + Double(t - from) / Double(to - from) * Double(plotWidth)
    }

    /// Reduces `samples` to the chart's columns and renders them.
    public func render(samples: some Sequence<ChartSample>) -> String { render(reducer.reduce(samples)) }

    /// The SVG of `columns` (one per pixel of ``plotWidth``, as ``reducer`` makes them).
    public func render(_ columns: [ChartColumn?]) -> String {
        let scale = scale(for: columns)
        var svg = SVGBuilder(width: width, height: height, label: title, testID: testID)
        let plotLeft = Double(TimeChart.left)
        let plotRight = plotLeft + Double(plotWidth)
        let n = SVGText.number
        drawBands(&svg, scale, plotLeft)
        drawPeriods(&svg, scale)
        drawAxes(&svg, scale, plotLeft, plotRight)
        if columns.allSatisfy({ $0 == nil }) {
            svg.element(
                "text", ["x": n((plotLeft + plotRight) / 2), "y": n((scale.top + scale.bottom) / 2), "text-anchor": "middle", "fill": "#777"],
                text: noDataLabel)
        } else {
            let paths = TimeChartPaths(columns: columns, scale: scale, left: plotLeft)
            if !paths.band.isEmpty {
                svg.empty("path", ["d": paths.band, "stroke": "#9cc3ea", "fill": "none", "class": "band", "data-test": "minmax-band"])
            }
            svg.empty(
                "path", ["d": paths.mean, "stroke": "#1f5fa8", "stroke-width": "1.5", "fill": "none", "class": "mean", "data-test": "mean-line"])
        }
        drawLimits(&svg, scale, plotLeft, plotRight)
        return svg.finish()
    }

    private func clampY(_ y: Double, _ scale: ValueScale) -> Double { min(scale.bottom, max(scale.top, y)) }

    private func drawBands(_ svg: inout SVGBuilder, _ scale: ValueScale, _ plotLeft: Double) {
        let n = SVGText.number
        for band in bands {
            let y0 = clampY(scale.y(band.range.upperBound), scale)
            let y1 = clampY(scale.y(band.range.lowerBound), scale)
            guard y1 - y0 > 0.05 else { continue }
            svg.open(
                "rect",
                ["x": n(plotLeft), "y": n(y0), "width": String(plotWidth), "height": n(y1 - y0), "fill": band.colour, "fill-opacity": "0.3",
                 "data-test": "colour-band"])
            svg.title(band.label)
            svg.close("rect")
        }
    }

    /// The shaded periods: one path per kind and explanation, its `<title>` the explanation, so
    /// a year of hourly maintenance flags costs a few bytes a period, not an element each.
    private func drawPeriods(_ svg: inout SVGBuilder, _ scale: ValueScale) {
        let n = SVGText.number
        var groups: [(kind: ShadedPeriod.Kind, title: String, spans: [(Double, Double)])] = []
        for p in ShadedPeriodMerger.merge(periods) where p.to > from && p.from < to {
            let x0 = x(max(p.from, from))
            let x1 = max(x0 + 1, x(min(p.to, to)))
            guard let g = groups.firstIndex(where: { $0.kind == p.kind && $0.title == p.title }) else {
                groups.append((p.kind, p.title, [(x0, x1)]))
                continue
            }
            // Periods closer than a pixel draw as one: a year of hourly flags stays a few hundred rectangles at most.
            if let last = groups[g].spans.last, x0 <= last.1 + 0.5 {
                groups[g].spans[groups[g].spans.count - 1].1 = max(last.1, x1)
            } else {
                groups[g].spans.append((x0, x1))
            }
        }
        let height = n(scale.bottom - scale.top)
        for group in groups {
            let fill = group.kind == .flagged ? "#f2b134" : "#8a8a8a"
            let d = group.spans.map { "M\(n($0.0)) \(n(scale.top))h\(n($0.1 - $0.0))v\(height)h\(n($0.0 - $0.1))z" }.joined()
            svg.open(
                "path",
                ["d": d, "fill": fill, "fill-opacity": "0.3", "class": "period \(group.kind.rawValue)", "data-test": "shaded-period",
                 "data-kind": group.kind.rawValue])
            svg.title(group.title)
            svg.close("path")
        }
    }

    private func drawAxes(_ svg: inout SVGBuilder, _ scale: ValueScale, _ plotLeft: Double, _ plotRight: Double) {
        let n = SVGText.number
        var grid = ""
        for t in scale.ticks {
            let y = scale.y(t)
            grid += "M\(n(plotLeft)) \(n(y))H\(n(plotRight))"
            svg.element("text", ["x": n(plotLeft - 4), "y": n(y + 4), "text-anchor": "end", "fill": "#555"], text: SVGText.value(t))
        }
        let ticks = TimeTicks(from: from, to: to, timeZone: timeZone)
        // Labels closer than 36 px apart are thinned; the grid line stays.
        var lastLabel = -Double.infinity
        for tick in ticks.ticks {
            let x = x(tick.time)
            grid += "M\(n(x)) \(n(scale.top))V\(n(scale.bottom))"
            guard x - lastLabel >= 36, x <= plotRight - 10 || x - lastLabel >= 36 else { continue }
            lastLabel = x
            svg.element("text", ["x": n(x), "y": n(scale.bottom + 13), "text-anchor": "middle", "fill": "#555"], text: tick.label)
        }
        svg.empty("path", ["d": grid, "stroke": "#e3e3e3", "fill": "none", "class": "gridlines"])
        svg.empty(
            "path", ["d": "M\(n(plotLeft)) \(n(scale.top))V\(n(scale.bottom))H\(n(plotRight))", "stroke": "#999", "fill": "none", "class": "axis"])
        if let unit { svg.element("text", ["x": "2", "y": "10", "fill": "#555", "class": "unit"], text: unit) }
    }

    private func drawLimits(_ svg: inout SVGBuilder, _ scale: ValueScale, _ plotLeft: Double, _ plotRight: Double) {
        let n = SVGText.number
        for limit in limits where scale.range.contains(limit.value) {
            let y = scale.y(limit.value)
            svg.open("g", ["class": "limit", "data-test": "limit-line", "data-value": SVGText.value(limit.value)])
            svg.title(limit.label)
            svg.empty(
                "line", ["x1": n(plotLeft), "y1": n(y), "x2": n(plotRight), "y2": n(y), "stroke": "#c0392b", "stroke-width": "1.5",
                         "stroke-dasharray": "6 3"])
            svg.element("text", ["x": n(plotRight - 2), "y": n(max(scale.top + 9, y - 3)), "text-anchor": "end", "fill": "#c0392b"], text: limit.label)
            svg.close("g")
        }
    }
}
