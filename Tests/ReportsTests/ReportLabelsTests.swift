import Reports
import Testing

@Suite struct ReportLabelsTests {
    @Test func keyValuePairsOrANamedError() throws {
        #expect(try ReportLabels.parse(["city=Beijing", "basin=Baisha River"]) == ["city": "Beijing", "basin": "Baisha River"])
        #expect(try ReportLabels.parse(["a=b=c"]) == ["a": "b=c"])
        for bad in ["city", "=Beijing", "city="] {
            let error = #expect(throws: ReportsError.self) { try ReportLabels.parse([bad]) }
            #expect(error?.description.contains("--label '\(bad)'") == true)
        }
    }
}
