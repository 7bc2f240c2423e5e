import Foundation
import Monitoring
import Testing

/// The byte parser behind `envmon import` and every time typed on the command line.
@Suite struct ISO8601TimeTests {
    let shanghai = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!)
    let newYork = ZoneCalendar(TimeZone(identifier: "America/New_York")!)
    let utc = ZoneCalendar(TimeZone(identifier: "UTC")!)

    /// Parses through the byte entry point, as the importer does.
    func parseBytes(_ text: String, in calendar: ZoneCalendar) throws(ISO8601Time.ParseError) -> Int64 {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(ISO8601Time.ParseError) -> Int64 in try ISO8601Time.parse(utf8: buffer, in: calendar) }
        }
        return try result.get()
    }

    @Test(arguments: [
        // 2013-03-01T00:00:00+08:00 = 2013-02-28T16:00:00Z, every accepted form.
        ("2013-03-01", 1_362_067_200),
        ("2013-03-01T00", 1_362_067_200),
        ("2013-03-01T00:00", 1_362_067_200),
        ("2013-03-01 00:00", 1_362_067_200),
        ("2013-03-01T00:00:00", 1_362_067_200),
        ("2013-03-01T00:00:00.999", 1_362_067_200),
        ("2013-03-01T00:00:00+08:00", 1_362_067_200),
        ("2013-03-01T00:00:00+0800", 1_362_067_200),
        ("2013-03-01T00:00+08", 1_362_067_200),
        ("2013-02-28T16:00:00Z", 1_362_067_200),
        ("2013-02-28T16:00:00.5z", 1_362_067_200),
        ("2013-02-28T11:00:00-05:00", 1_362_067_200),
        ("2013-02-28T10:30:00-05:30", 1_362_067_200),
        ("  2013-03-01T00:00\t", 1_362_067_200),
        ("2013-03-01\u{3000}", 1_362_067_200),  // an ideographic space, trimmed as Foundation trims it
        ("2016-02-29T23:59:59", 1_456_761_599),
        ("1969-12-31T23:59:59Z", -1),
    ] as [(String, Int64)])
    func validForms(_ text: String, _ expected: Int64) throws {
        #expect(try ISO8601Time.parse(text, in: shanghai) == expected)
        #expect(try parseBytes(text, in: shanghai) == expected)
    }

    @Test(arguments: [
        ("yesterday", 1, "a digit"),
        ("", 1, "a digit"),
        ("2013/03/01", 5, "'-'"),
        ("2013-3-01", 7, "a digit"),
        ("2013-13-01", 6, "a month 01-12"),
        ("2013-02-29", 9, "a day of that month"),
        ("2013-03-01T24:00", 12, "an hour 00-23"),
        ("2013-03-01T12:60", 15, "a minute 00-59"),
        ("2013-03-01T12:00:60", 18, "a second 00-59"),
        ("2013-03-01T1", 13, "a digit"),
        ("2013-03-01T12:00X", 17, "the end, 'Z' or an offset such as +08:00"),
        ("2013-03-01T12:00ZZ", 18, "the end after 'Z'"),
        ("2013-03-01T12:00+19:00", 18, "an offset of at most 18 hours"),
        ("2013-03-01T12:00+08:75", 21, "offset minutes 00-59"),
        ("2013-03-01T12:00+08:0", 21, "two digits of offset minutes"),
        ("2013-03-01T12:00+08:00 x", 23, "the end"),
        ("  2013-03-01Tx", 14, "a digit"),  // columns count from the text as written
        ("时间2013", 1, "a digit"),
    ] as [(String, Int, String)])
    func malformedInputNamesTheColumnAndWhatWasExpected(_ text: String, _ column: Int, _ expected: String) {
        let error = ISO8601Time.ParseError.malformed(text, column: column, expected: expected)
        #expect(throws: error) { try ISO8601Time.parse(text, in: shanghai) }
        #expect(throws: error) { try parseBytes(text, in: shanghai) }
    }

    @Test func theMessageQuotesTheTextAndSaysWhere() {
        #expect(throws: ISO8601Time.ParseError.self) { try ISO8601Time.parse("2013-03-01T12:00X", in: shanghai) }
        do {
            _ = try ISO8601Time.parse("2013-03-01T12:00X", in: shanghai)
        } catch {
            #expect(
                "\(error)"
                    == "'2013-03-01T12:00X' is not an ISO 8601 time (e.g. 2014-01-01T05:00:00+08:00): at column 17, expected the end, 'Z' or an offset such as +08:00"
            )
        }
    }

    @Test func wallTimesInTheSpringGapDoNotExist() throws {
        // New York skipped 02:00-02:59 on 2024-03-10.
        #expect(throws: ISO8601Time.ParseError.nonexistent("2024-03-10T02:30", zone: "America/New_York")) {
            try parseBytes("2024-03-10T02:30", in: newYork)
        }
        #expect(throws: ISO8601Time.ParseError.nonexistent("2024-03-10T02:00:00", zone: "America/New_York")) {
            try parseBytes("2024-03-10T02:00:00", in: newYork)
        }
        #expect(try parseBytes("2024-03-10T01:59:59", in: newYork) == 1_710_053_999)  // 06:59:59Z
        #expect(try parseBytes("2024-03-10T03:00", in: newYork) == 1_710_054_000)  // 07:00Z
        // With an offset the instant is explicit, and the zone is not asked.
        #expect(try parseBytes("2024-03-10T02:30-05:00", in: newYork) == 1_710_055_800)
        // China kept summer time 1986-1991: 1986-05-04 skipped 02:00-02:59 in Shanghai.
        #expect(throws: ISO8601Time.ParseError.nonexistent("1986-05-04T02:30", zone: "Asia/Shanghai")) {
            try parseBytes("1986-05-04T02:30", in: shanghai)
        }
        #expect(try parseBytes("1986-05-04T03:00", in: shanghai) == 515_527_200)
        // Today's Shanghai has no gap at that hour.
        #expect(try parseBytes("2026-05-03T02:30", in: shanghai) == 1_777_746_600)
        #expect(throws: ISO8601Time.ParseError.self) { try parseBytes("2024-03-10T02:30", in: newYork) }
    }

    @Test func wallTimesInTheAutumnFoldAreTheEarlierInstant() throws {
        #expect(try parseBytes("2024-11-03T01:30", in: newYork) == 1_730_611_800)  // 05:30Z, still EDT
        #expect(try parseBytes("1991-09-15T01:30", in: shanghai) == 684_865_800)  // still +09:00
    }

    @Test func theMessageOfANonexistentTime() {
        #expect(
            ISO8601Time.ParseError.nonexistent("2024-03-10T02:30", zone: "America/New_York").description
                == "'2024-03-10T02:30' does not exist in America/New_York (the clocks skip it)")
    }
}
