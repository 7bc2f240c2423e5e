@testable import Collectors
import Monitoring
import Testing

/// Line protocol as InfluxDB 1.x reads it (peers.md §4.1), into readings.
@Suite struct LineProtocolTests {
    static let now: Int64 = 1_796_515_200

    static func parse(_ text: String, _ precision: LineProtocolPrecision = .seconds) -> LineProtocol.Batch {
        LineProtocol.parse(text, precision: precision, now: now)
    }

    @Test func aParameterTagNamesTheSeriesWithValueAndFlag() throws {
        let b = Self.parse("reading,station=qinghe-wwtp-outlet,parameter=COD value=23.5,flag=\"M\" 1733450400")
        #expect(b.errors.isEmpty)
        #expect(b.readings == [Reading(station: "qinghe-wwtp-outlet", parameter: "COD", time: 1_733_450_400, value: 23.5, flag: .maintenance)])
        #expect(b.lines == [1] && b.points == 1)
    }

    @Test func withoutAParameterTagEachNumericFieldIsAParameter() {
        let b = Self.parse("reading,station=qinghe-wwtp-outlet COD=23.5,NH3-N=1.2,flag=\"T\" 1733450400")
        #expect(b.errors.isEmpty)
        #expect(b.readings.map(\.parameter) == ["COD", "NH3-N"])
        #expect(b.readings.map(\.value) == [23.5, 1.2])
        #expect(b.readings.allSatisfy { $0.flag == .overRange && $0.time == 1_733_450_400 && $0.station == "qinghe-wwtp-outlet" })
    }

    @Test func aKindTagNamesTheSeriesKind() {
        let b = Self.parse("r,station=s,parameter=COD,kind=hour value=1 1733450400\nr,station=s,parameter=COD,kind=week value=1 1733450400")
        #expect(b.readings.map(\.kind) == [.hour])
        #expect(b.errors.map(\.reason) == ["tag kind=week is not realtime, minute, hour or day"])
    }

    @Test func commentsBlankLinesAndCarriageReturnsAreSkipped() {
        let b = Self.parse("# a comment\n\n   \n  # indented comment\r\nr,station=s COD=1 1\r\n\n")
        #expect(b.errors.isEmpty && b.points == 1)
        #expect(b.readings.map(\.time) == [1] && b.lines == [5])
    }

    @Test(arguments: [
        (LineProtocolPrecision.nanoseconds, "1733450400123456789", Int64(1_733_450_400)),
        (.microseconds, "1733450400123456", 1_733_450_400),
        (.milliseconds, "1733450400999", 1_733_450_400),
        (.seconds, "1733450400", 1_733_450_400),
        (.minutes, "28890840", 1_733_450_400),
        (.hours, "481514", 1_733_450_400),
        (.nanoseconds, "-1", -1),
    ])
    func eachPrecisionGivesSeconds(_ precision: LineProtocolPrecision, _ stamp: String, _ seconds: Int64) {
        let b = Self.parse("r,station=s COD=1 \(stamp)", precision)
        #expect(b.errors.isEmpty)
        #expect(b.readings.map(\.time) == [seconds])
    }

    @Test func precisionParameters() {
        #expect(LineProtocolPrecision(parameter: nil) == .nanoseconds)
        #expect(LineProtocolPrecision(parameter: "n") == .nanoseconds)
        #expect(LineProtocolPrecision(parameter: "u") == .microseconds)
        #expect(LineProtocolPrecision(parameter: "us") == .microseconds)
        #expect(LineProtocolPrecision(parameter: "ms") == .milliseconds)
        #expect(LineProtocolPrecision(parameter: "h") == .hours)
        #expect(LineProtocolPrecision(parameter: "d") == nil)
    }

    @Test func aMissingTimestampIsTheServersClock() {
        #expect(Self.parse("r,station=s COD=1").readings.map(\.time) == [Self.now])
        #expect(Self.parse("r,station=s COD=1   ").readings.map(\.time) == [Self.now])
    }

    @Test func fieldTypes() {
        let b = Self.parse("r,station=s a=1,b=-1.5,c=1e3,d=2i,e=3,f=.5,g=1.,h=-7i,i=1.5E-2 1")
        #expect(b.errors.isEmpty, "\(b.errors)")
        #expect(b.readings.map(\.value) == [1, -1.5, 1000, 2, 3, 0.5, 1, -7, 0.015])
        // Strings and booleans parse, but are not numbers.
        let other = Self.parse("r,station=s a=\"x\",b=t,c=TRUE,d=False,e=f 1")
        #expect(other.errors.isEmpty, "\(other.errors)")
        #expect(other.readings.count == 5 && other.readings.allSatisfy { $0.value.isNaN })
    }

    @Test func longDecimalsAreReadExactly() {
        let b = Self.parse("r,station=s a=0.1,b=123456789.123456789,c=0.30000000000000004 1")
        #expect(b.readings.map(\.value) == [0.1, 123456789.123456789, 0.30000000000000004])
    }

    // MARK: - Escaping (§4.1)

    @Test func theSpecExampleWithEveryEscape() {
        let b = Self.parse(#"measurement\ with\ space,tag\ key=tag\,value,station=s field_k\ey="say \"hi\"",COD=1 1465839830"#)
        #expect(b.errors.isEmpty, "\(b.errors)")
        // field_k\ey is a string field, so not a number; the backslash before e stays.
        #expect(b.readings.map(\.parameter) == [#"field_k\ey"#, "COD"])
    }

    @Test func escapedCommaSpaceAndEqualsInTagValuesAndFieldKeys() {
        let b = Self.parse(#"r,station=a\,b\ c\=d,parameter=C\ OD value=1 1"#)
        #expect(b.errors.isEmpty, "\(b.errors)")
        #expect(b.readings.first?.station == "a,b c=d")
        #expect(b.readings.first?.parameter == "C OD")
        let fields = Self.parse(#"r,station=s N\,H\=3\ x=1 1"#)
        #expect(fields.readings.map(\.parameter) == ["N,H=3 x"])
    }

    @Test func escapedCommaAndSpaceInTheMeasurement() {
        let b = Self.parse(#"my\,m\ x,station=s COD=1 1"#)
        #expect(b.errors.isEmpty && b.readings.count == 1)
    }

    @Test func aBackslashBeforeAnythingElseIsItself() {
        let b = Self.parse(#"r,station=a\b,parameter=CO\D value=1 1"#)
        #expect(b.readings.first?.station == #"a\b"#)
        #expect(b.readings.first?.parameter == #"CO\D"#)
    }

    @Test func quotesAroundNamesArePartOfTheName() {
        let b = Self.parse(#"r,station="s" "COD"=1 1"#)
        #expect(b.readings.first?.station == #""s""#)
        #expect(b.readings.first?.parameter == #""COD""#)
    }

    @Test func stringFieldsUnescapeQuotesAndBackslashesAndHoldCommasAndSpaces() {
        let b = Self.parse(#"r,station=s,parameter=COD value=1,note="a, b = \"c\" \\ d",flag="N" 1"#)
        #expect(b.errors.isEmpty, "\(b.errors)")
        #expect(b.readings.map(\.value) == [1])
        let flag = Self.parse(#"r,station=s,parameter=COD value=1,flag="\"" 1"#)
        // The flag's text is unescaped: a lone quote.
        #expect(flag.errors.map(\.reason) == [#"field flag=""" is not an HJ 212 data flag (N, F, M, S, D, C, T or B)"#])
    }

    // MARK: - Errors, in InfluxDB 1.x's words (each checked against influxd 1.6.7 here)

    @Test(arguments: [
        ("r", "missing fields"),
        ("r,station=s", "missing fields"),
        ("r,station=s ", "invalid field format"),
        (",station=s COD=1", "missing measurement"),
        ("r,=s COD=1", "missing tag key"),
        ("r,station COD=1", "missing tag value"),
        ("r,station= COD=1", "missing tag value"),
        ("r,station=a=b COD=1", "invalid tag format"),
        ("r,station=s COD", "invalid field format"),
        ("r,station=s COD= 1", "missing field value"),
        ("r,station=s =1", "missing field key"),
        ("r,station=s COD=1,", "invalid field format"),
        ("r,station=s COD=\"abc", "unbalanced quotes"),
        ("r,station=s COD=\"a\"b", "invalid field format"),
        ("r,station=s COD=tru", "invalid boolean"),
        ("r,station=s COD=abc", "invalid boolean"),
        ("r,station=s COD=+1", "invalid boolean"),
        ("r,station=s COD=3u", "invalid number"),
        ("r,station=s COD=1.2.3", "invalid number"),
        ("r,station=s COD=1e", "invalid float"),
        ("r,station=s COD=NaN", "invalid number"),
        ("r,station=s COD=1e400", "invalid float"),
        ("r,station=s COD=99999999999999999999i",
         #"unable to parse integer 99999999999999999999: strconv.ParseInt: parsing "99999999999999999999": value out of range"#),
        ("r,station=s COD=1 12x", "bad timestamp"),
        ("r,station=s COD=1 1 2", "point is invalid"),
        ("r,station=s COD=1 99999999999999999999", #"strconv.ParseInt: parsing "99999999999999999999": value out of range"#),
        ("r,station=s,parameter=COD v=1 1", "no field value (the tag parameter=COD names the series)"),
        ("r,station=s flag=\"N\" 1", "no value field (only flag)"),
    ])
    func aMalformedLineIsAnErrorNamingTheLine(_ line: String, _ reason: String) throws {
        let b = Self.parse("r,station=s COD=1 1\n" + line + "\nr,station=s COD=2 2")
        #expect(b.readings.map(\.value) == [1, 2], "the good lines around it are read")
        let error = try #require(b.errors.first)
        #expect(b.errors.count == 1)
        #expect(error.reason == reason)
        #expect(error.line == 2 && error.text == line)
        #expect(error.description == "unable to parse '\(line)': \(reason) (line 2)")
        #expect(b.points == 3)
    }

    @Test func aLongBadLineIsQuotedCut() {
        let line = "r,station=s COD=" + String(repeating: "x", count: 1_000)
        let b = Self.parse(line)
        #expect(b.errors.first?.text.utf8.count == 256)
    }

    @Test func anEmptyBodyHoldsNothing() {
        let b = Self.parse("")
        #expect(b.readings.isEmpty && b.errors.isEmpty && b.points == 0)
    }
}

/// Samples written as line protocol (an import through the daemon) read back the same.
@Suite struct LineProtocolEncodeTests {
    @Test func aSampleRoundTripsWithItsKindFlagAndUnit() {
        let samples = [
            Sample(series: SeriesKey(station: "a b,c=d", parameter: "NH3-N", kind: .hour), time: 1_733_450_400, value: 0.000012, flag: .maintenance),
            Sample(series: SeriesKey(station: "s", parameter: "PM2.5", kind: .realtime), time: 1_733_450_460, value: 35),
        ]
        var body: [UInt8] = []
        LineProtocol.append(samples[0], unit: .milligramPerLitre, to: &body)
        LineProtocol.append(samples[1], unit: .microgramPerCubicMetre, to: &body)
        let batch = LineProtocol.parse(body, precision: .seconds, now: 0)
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(
            batch.readings == [
                Reading(station: "a b,c=d", parameter: "NH3-N", kind: .hour, time: 1_733_450_400, value: 0.000012, flag: .maintenance, unit: .milligramPerLitre),
                Reading(station: "s", parameter: "PM2.5", time: 1_733_450_460, value: 35, unit: .microgramPerCubicMetre),
            ])
    }
}
