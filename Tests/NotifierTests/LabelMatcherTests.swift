import Notifier
import Testing

/// Matchers as Alertmanager writes and reads them, the issue's own examples first.
@Suite struct LabelMatcherTests {
    let paperMill = ["alertname": "cod-high", "severity": "critical", "station": "qinghe-paper-mill-outlet", "district": "Xihe Industrial Park"]

    @Test func theIssuesExamplesParseAndMatch() throws {
        let critical = try LabelMatcher(parsing: #"severity="critical""#)
        let qinghe = try LabelMatcher(parsing: #"station=~"qinghe-.*""#)
        #expect(critical.name == "severity" && critical.op == .equal && critical.value == "critical")
        #expect(qinghe.op == .matchesRegex)
        #expect(critical.matches(paperMill) && qinghe.matches(paperMill))
        #expect(!qinghe.matches(["station": "bj-aotizhongxin"]))
    }

    @Test func regularExpressionsAreAnchoredAndMissingLabelsAreEmpty() throws {
        #expect(!(try LabelMatcher(parsing: #"station=~"paper""#)).matches(paperMill), "anchored: must match the whole value")
        #expect(try LabelMatcher(parsing: #"station=~".*paper.*""#).matches(paperMill))
        #expect(try LabelMatcher(parsing: #"basin="""#).matches(paperMill), "a missing label is the empty string")
        #expect(try LabelMatcher(parsing: #"basin!~".+""#).matches(paperMill))
        #expect(try LabelMatcher(parsing: #"district!~"Xihe.*""#).matches(paperMill) == false)
        #expect(try LabelMatcher(parsing: "alertname != deadman").matches(paperMill), "bare values and spaces")
    }

    @Test func quotesAndEscapesRoundTrip() throws {
        let m = try LabelMatcher(parsing: #"summary="COD \"high\" \\ 清河""#)
        #expect(m.value == #"COD "high" \ 清河"#)
        #expect(try LabelMatcher(parsing: m.description) == m)
    }

    @Test func badMatchersSayWhatIsWrong() {
        for (text, words) in [
            ("severity", "expected name=\"value\""), ("1abc=\"x\"", "is not a label name"), (#"station=~"(""#, "not a regular expression"),
            (#"station="open"#, "closing quote is missing"),
        ] {
            #expect {
                _ = try LabelMatcher(parsing: text)
            } throws: { error in
                (error as? NotifierError)?.code == .badMatcher && "\(error)".contains(words)
            }
        }
    }
}
