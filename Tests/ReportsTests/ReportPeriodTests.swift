import Monitoring
import Reports
import Testing

@Suite struct ReportPeriodTests {
    @Test func oneOfYearMonthOrRange() throws {
        let year = try ReportPeriod.parse(year: "2016", month: nil, from: nil, to: nil)
        #expect(year.first == CivilTime(year: 2016, month: 1, day: 1) && year.last == CivilTime(year: 2016, month: 12, day: 31))
        #expect(year.label == "2016")
        let month = try ReportPeriod.parse(year: nil, month: "2016-02", from: nil, to: nil)
        #expect(month.last == CivilTime(year: 2016, month: 2, day: 29) && month.label == "2016-02")
        let range = try ReportPeriod.parse(year: nil, month: nil, from: "2016-01-15", to: "2016-03-31")
        #expect(range.label == "2016-01-15/2016-03-31" && range.kind == .range)
    }

    @Test func badChoicesNameTheOption() {
        func message(_ y: String?, _ m: String?, _ f: String?, _ t: String?) -> String {
            do {
                _ = try ReportPeriod.parse(year: y, month: m, from: f, to: t)
                return ""
            } catch {
                return error.description
            }
        }
        #expect(message(nil, nil, nil, nil).contains("give one period"))
        #expect(message("2016", "2016-01", nil, nil).contains("give one period"))
        #expect(message("16", nil, nil, nil).contains("--year '16'"))
        #expect(message(nil, "2016-13", nil, nil).contains("--month '2016-13'"))
        #expect(message(nil, nil, "2016-01-01", nil).contains("--from needs --to"))
        #expect(message(nil, nil, "2016-02-01", "2016-01-01").contains("--to 2016-01-01 is before --from 2016-02-01"))
    }
}
