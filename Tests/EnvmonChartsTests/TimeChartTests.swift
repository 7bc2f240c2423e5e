import EnvmonCharts
import Foundation
import Testing

@Suite struct TimeChartTests {
    let t0: Int64 = 1_767_196_800  // 2026-01-01T00:00+08:00
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    func chart(hours: Int = 24) -> TimeChart {
        TimeChart(from: t0, to: t0 + Int64(hours) * 3_600, timeZone: shanghai, width: 600, height: 200)
    }

    func minutes(_ range: Range<Int>, value: (Int) -> Double = { Double($0 % 50) }) -> [ChartSample] {
        range.map { ChartSample(time: t0 + Int64($0) * 60, value: value($0), interval: 60) }
    }

    @Test func theSVGIsWellFormedAndScalesToItsContainer() throws {
        var c = chart()
        c.unit = "mg/L"
        c.limits = [LimitLine(value: 50, label: "limit 50 mg/L")]
        c.periods = [ShadedPeriod(from: t0 + 3_600, to: t0 + 7_200, kind: .flagged, title: "maintenance (M)")]
        let svg = c.render(samples: minutes(0..<1_440))
        let doc = try #require(SVGDocument.parse(svg), "not well-formed XML: \(svg.prefix(300))")
        let root = try #require(doc.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["viewBox"] == "0 0 600 200")
        #expect(root.attributes["width"] == "100%")
        #expect(doc.tagged("mean-line").count == 1)
        #expect(doc.all("text").contains { $0.text == "mg/L" })
    }

    @Test func theLimitLineSitsAtItsValue() throws {
        var c = chart()
        c.yRange = 0...100
        c.limits = [LimitLine(value: 50, label: "limit 50 mg/L (GB 18918-2002 1A)")]
        let doc = try #require(SVGDocument.parse(c.render(samples: minutes(0..<600))))
        let group = try #require(doc.tagged("limit-line").first)
        #expect(group.attributes["data-value"] == "50")
        let line = try #require(doc.after(group).first { $0.name == "line" })
        // The plot runs from y 14 (100) to y 182 (0): 50 is halfway, at 98.
        #expect(line.attributes["y1"] == "98" && line.attributes["y2"] == "98")
        #expect(doc.after(group).first { $0.name == "title" }?.text == "limit 50 mg/L (GB 18918-2002 1A)")
        #expect(doc.all("text").contains { $0.text == "limit 50 mg/L (GB 18918-2002 1A)" })
    }

    @Test func theFittedRangeTakesInTheLimitAboveTheData() throws {
        var c = chart()
        c.limits = [LimitLine(value: 400, label: "limit 400")]
        let columns = c.reducer.reduce(minutes(0..<1_440) /* values 0…49 */)
        let scale = c.scale(for: columns)
        #expect(scale.range.contains(400) && scale.range.contains(0))
        let doc = try #require(SVGDocument.parse(c.render(columns)))
        #expect(doc.tagged("limit-line").count == 1, "a limit far above the data is still drawn")
    }

    @Test func gapsBreakTheMeanLine() throws {
        // Readings for hours 0–5 and 12–23: the six hours between are a gap, the line has two pieces.
        let c = chart()
        let samples = minutes(0..<360) + minutes(720..<1_440)
        let doc = try #require(SVGDocument.parse(c.render(samples: samples)))
        let d = try #require(doc.tagged("mean-line").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2)
        // No point of the line in the gap's columns.
        let xs = d.split(whereSeparator: { "ML".contains($0) }).flatMap { $0.split(separator: " ").enumerated().filter { $0.offset % 2 == 0 }.map(\.element) }
        let gapStart = c.x(t0 + 6 * 3_600) + 1
        let gapEnd = c.x(t0 + 12 * 3_600) - 1
        #expect(!xs.compactMap { Double($0) }.contains { $0 > gapStart && $0 < gapEnd })
    }

    @Test func noDataAtAllSaysSo() throws {
        var c = chart()
        c.noDataLabel = "无数据"
        let doc = try #require(SVGDocument.parse(c.render(samples: [])))
        #expect(doc.tagged("mean-line").isEmpty)
        #expect(doc.all("text").contains { $0.text == "无数据" })
    }

    @Test func textIsEscaped() throws {
        var c = chart()
        c.title = "COD <b>&\"'"
        c.unit = "<mg/L>"
        c.limits = [LimitLine(value: 10, label: "limit <10> & \"more\"")]
        c.periods = [ShadedPeriod(from: t0, to: t0 + 600, kind: .invalid, title: "invalid: < 75 % valid hours")]
        let svg = c.render(samples: minutes(0..<100))
        #expect(!svg.contains("<b>") && !svg.contains("<mg/L>") && !svg.contains("<10>"))
        let doc = try #require(SVGDocument.parse(svg))
        #expect(doc.all("title").map(\.text).contains("COD <b>&\"'"))
        #expect(doc.all("title").map(\.text).contains("invalid: < 75 % valid hours"))
        #expect(doc.all("text").map(\.text).contains("limit <10> & \"more\""))
    }

    @Test func shadedPeriodsAreExplainedAndMerged() throws {
        var c = chart()
        // Three adjacent hours of maintenance: one rectangle; a calibration apart.
        c.periods = (0..<3).map { ShadedPeriod(from: t0 + Int64($0) * 3_600, to: t0 + Int64($0 + 1) * 3_600, kind: .flagged, title: "maintenance (M)") }
            + [ShadedPeriod(from: t0 + 10 * 3_600, to: t0 + 11 * 3_600, kind: .flagged, title: "calibration (C)")]
        let doc = try #require(SVGDocument.parse(c.render(samples: minutes(0..<1_440))))
        let paths = doc.tagged("shaded-period")
        #expect(paths.count == 2, "one shape per explanation")
        let maintenance = try #require(paths.first)
        // One rectangle from hour 0 to hour 3, the plot's height.
        let n = SVGText.number
        let expected = "M\(n(c.x(t0))) 14h\(n(c.x(t0 + 3 * 3_600) - c.x(t0)))v168h\(n(c.x(t0) - c.x(t0 + 3 * 3_600)))z"
        #expect(maintenance.attributes["d"] == expected)
        #expect(doc.all("title").map(\.text).filter { $0 == "maintenance (M)" }.count == 1)
        #expect(doc.all("title").map(\.text).contains("calibration (C)"))
    }

    @Test func aYearOfHourlyFlagsStaysSmall() throws {
        // A flagged hour every other hour for a year: 4,380 periods, 906 pixels.
        let year: Int64 = 365 * 86_400
        var c = TimeChart(from: t0, to: t0 + year, timeZone: shanghai)
        c.periods = stride(from: t0, to: t0 + year, by: 7_200).map { ShadedPeriod(from: $0, to: $0 + 3_600, kind: .flagged, title: "maintenance (M)") }
        let svg = c.render(samples: [])
        #expect(svg.utf8.count < 40_000, "\(svg.utf8.count) bytes")
        let doc = try #require(SVGDocument.parse(svg))
        #expect(doc.tagged("shaded-period").count == 1)
    }

    @Test func colourBandsSitBehindTheData() throws {
        var c = chart()
        c.yRange = 0...200
        c.bands = [ColourBand(range: 0...50, colour: "rgb(0,228,0)", label: "优"), ColourBand(range: 50...100, colour: "rgb(255,255,0)", label: "良")]
        let svg = c.render(samples: minutes(0..<1_440))
        let doc = try #require(SVGDocument.parse(svg))
        let bands = doc.tagged("colour-band")
        #expect(bands.map { $0.attributes["fill"] } == ["rgb(0,228,0)", "rgb(255,255,0)"])
        let bandAt = try #require(svg.range(of: "colour-band"))
        let lineAt = try #require(svg.range(of: "mean-line"))
        #expect(bandAt.lowerBound < lineAt.lowerBound, "drawn first, so behind the line")
    }

    @Test func aYearOfMinuteDataDrawsSmall() throws {
        let year: Int64 = 365 * 86_400
        var c = TimeChart(from: t0, to: t0 + year, timeZone: shanghai)
        c.unit = "mg/L"
        c.limits = [LimitLine(value: 50, label: "limit 50 mg/L")]
        // Noisy values with a 30-day hole: a full band and mean line.
        let samples = stride(from: t0, to: t0 + year, by: 60).lazy
            .filter { !($0 >= self.t0 + 100 * 86_400 && $0 < self.t0 + 130 * 86_400) }
            .map { ChartSample(time: $0, value: 20 + Double(($0 / 60 * 7919) % 300) / 10, interval: 60) }
        let svg = c.render(samples: samples)
        #expect(svg.utf8.count < 40_000, "a year of minute data: \(svg.utf8.count) bytes")
        let doc = try #require(SVGDocument.parse(svg))
        let d = try #require(doc.tagged("mean-line").first?.attributes["d"])
        #expect(d.filter { $0 == "M" }.count == 2, "the hole breaks the line")
        #expect(svg.range(of: #"\d\.\d\d"#, options: .regularExpression) == nil, "no number has more than one decimal")
        // Monthly ticks in Shanghai time: the first is 2026-01.
        #expect(doc.all("text").map(\.text).contains("2026-01"))
        #expect(doc.all("text").map(\.text).contains("06"))
    }
}
