import EnvmonCharts
import Testing

@Suite struct SVGTextTests {
    @Test func numbersAreCompact() {
        #expect(SVGText.number(12) == "12")
        #expect(SVGText.number(12.04) == "12")
        #expect(SVGText.number(12.25) == "12.3" || SVGText.number(12.25) == "12.2")
        #expect(SVGText.number(0.1 + 0.2) == "0.3")
        #expect(SVGText.number(-0.3) == "-0.3")
        #expect(SVGText.number(-12.5) == "-12.5")
        #expect(SVGText.number(.nan) == "0")
        #expect(SVGText.value(0.1 + 0.2) == "0.3")
        #expect(SVGText.value(120) == "120")
        #expect(SVGText.value(1.25) == "1.25")
    }

    @Test func markupIsEscaped() {
        #expect(SVGText.escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect(SVGText.escape("NH3-N μg/m³ 二级") == "NH3-N μg/m³ 二级")
        #expect(SVGText.escape("a\u{1}b") == "ab", "control characters are not XML")
    }
}
