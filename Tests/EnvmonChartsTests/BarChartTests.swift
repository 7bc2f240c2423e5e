import EnvmonCharts
import Monitoring
import Testing

@Suite struct BarChartTests {
    @Test func dailyAQIBarsAreColouredByCategory() throws {
        var c = BarChart(width: 400, height: 160)
        let aqis: [Int?] = [40, 80, nil, 120, 260]
        c.bars = aqis.enumerated().map { i, aqi in
            let colour = aqi.map { AQIPalette.css(AQICategory(aqi: $0)) } ?? "#ccc"
            return BarChart.Bar(value: aqi.map(Double.init), colour: colour, title: "day \(i + 1): \(aqi.map(String.init) ?? "–")", label: "\(i + 1)")
        }
        c.limits = [LimitLine(value: 100, label: "AQI 100")]
        let doc = try #require(SVGDocument.parse(c.render()))
        let bars = doc.tagged("bar")
        #expect(bars.count == 4, "the day without a value has no bar")
        #expect(bars.map { $0.attributes["fill"] } == ["rgb(0,228,0)", "rgb(255,255,0)", "rgb(255,126,0)", "rgb(153,0,76)"])
        #expect(doc.all("title").map(\.text).contains("day 4: 120"))
        // Heights grow with the value, from a common base.
        let heights = bars.compactMap { Double($0.attributes["height"] ?? "") }
        #expect(heights == heights.sorted())
        let bottoms = bars.compactMap { b in Double(b.attributes["y"] ?? "").flatMap { y in Double(b.attributes["height"] ?? "").map { y + $0 } } }
        #expect(Set(bottoms).count == 1)
        #expect(doc.tagged("limit-line").count == 1)
    }

    @Test func classesUseTheirOwnAxisLabels() throws {
        var c = BarChart(width: 300, height: 160)
        c.yRange = 0...6
        c.yLabels = [1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "劣V"]
        c.bars = [BarChart.Bar(value: 2, colour: "#2a9d8f", title: "II"), BarChart.Bar(value: 4, colour: "#c0392b", title: "IV")]
        c.limits = [LimitLine(value: 3, label: "target III")]
        let doc = try #require(SVGDocument.parse(c.render()))
        let texts = doc.all("text").map(\.text)
        #expect(["I", "II", "III", "IV", "V", "劣V", "target III"].allSatisfy(texts.contains))
    }

    @Test func noValueSaysSo() throws {
        var c = BarChart()
        c.noDataLabel = "no data"
        c.bars = [BarChart.Bar(value: nil, colour: "#ccc", title: "x")]
        let doc = try #require(SVGDocument.parse(c.render()))
        #expect(doc.all("text").contains { $0.text == "no data" })
    }
}
