@testable import Collectors
import Foundation
import Monitoring
import Testing

/// The JSON body of `POST /api/v1/readings`.
@Suite struct ReadingsJSONTests {
    static func parse(_ json: String) throws -> ReadingsJSON.Batch {
        try ReadingsJSON.parse(Data(json.utf8)) { $0 == "outlet" ? TimeZone(identifier: "Asia/Shanghai") : nil }
    }

    @Test func anObjectWithReadingsAndABareArray() throws {
        let item = #"{"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00+08:00", "value": 23.5}"#
        for body in [#"{"readings": [\#(item)]}"#, "[\(item)]"] {
            let b = try Self.parse(body)
            #expect(b.errors.isEmpty && b.count == 1)
            #expect(b.readings == [Reading(station: "outlet", parameter: "COD", time: 1_796_522_400, value: 23.5)])
        }
    }

    @Test func aTimeWithoutOffsetIsTheStationsLocalTimeAndANumberIsEpochSeconds() throws {
        let b = try Self.parse(
            #"[{"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00", "value": 1, "flag": "m", "kind": "hour"},"#
                + #" {"station": "outlet", "parameter": "COD", "time": 1796522400, "value": 2}]"#)
        #expect(b.readings.map(\.time) == [1_796_522_400, 1_796_522_400])
        #expect(b.readings.map(\.flag) == [.maintenance, .normal])
        #expect(b.readings.map(\.kind) == [.hour, .realtime])
    }

    @Test func eachBadItemIsNamedByIndexAndField() throws {
        let b = try Self.parse(
            """
            [{"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": 1},
             {"parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": 1},
             {"station": "outlet", "parameter": "COD", "time": "2026-13-06T10:00:00Z", "value": 1},
             {"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": "1"},
             {"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": 1, "flag": "X"},
             {"station": "outlet", "parameter": "COD", "value": 1},
             {"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z"},
             {"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": true},
             {"station": "outlet", "parameter": "COD", "time": "2026-12-06T10:00:00Z", "value": 1, "kind": "week"}]
            """)
        #expect(b.count == 9 && b.indices == [0])
        #expect(b.errors.map(\.index) == Array(1...8))
        let text = b.errors.map(\.description)
        #expect(text[0] == "readings[1]: station: required")
        #expect(text[1].hasPrefix("readings[2]: time: '2026-13-06T10:00:00Z' is not an ISO 8601 time"), "\(text[1])")
        #expect(text[2] == "readings[3]: value: a number is required")
        #expect(text[3].hasPrefix("readings[4]: flag: 'X' is not an HJ 212 data flag"))
        #expect(text[4].hasPrefix("readings[5]: time: required"))
        #expect(text[5] == "readings[6]: value: required (a number)")
        #expect(text[6] == "readings[7]: value: a number is required")
        #expect(text[7] == "readings[8]: kind: 'week' is not realtime, minute, hour or day")
    }

    @Test(arguments: ["", "{", "{\"readings\": 3}", "\"x\"", "{\"other\": []}"])
    func aBodyThatIsNotAListIsRefusedWhole(_ body: String) {
        #expect(throws: ReadingsJSON.BodyError.self) { try Self.parse(body) }
    }
}
