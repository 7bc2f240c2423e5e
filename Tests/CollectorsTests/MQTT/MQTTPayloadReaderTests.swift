@testable import Collectors
import Foundation
import Monitoring
import Testing

/// A message's payload, read by the shared parsers: the JSON shapes a publisher may send, line
/// protocol with its subscription's precision, and what is refused.
@Suite struct MQTTPayloadReaderTests {
    private func read(_ text: String, _ format: MQTTPayloadFormat, precision: LineProtocolPrecision = .nanoseconds) -> MQTTPayloadReader.Payload {
        MQTTPayloadReader.read(
            MQTTMessage(topic: "t", payload: Array(text.utf8), format: format, precision: precision), precision: precision,
            zone: { _ in TimeZone(identifier: "Asia/Shanghai") }, now: 1_767_225_600)
    }

    @Test func oneObjectAListOrAReadingsWrapper() {
        let one = read(#"{"station": "s", "parameter": "COD", "time": "2026-01-01T08:00:00", "value": 23.5}"#, .json)
        #expect(one.unreadable == nil && one.errors.isEmpty)
        #expect(one.readings.map(\.time) == [1_767_225_600])  // local time of the station's zone
        #expect(one.readings.map(\.value) == [23.5])
        let list = read(#"[{"station": "s", "parameter": "COD", "time": 1767225600, "value": 1}, {"station": "s", "parameter": "pH", "time": 1767225600, "value": 7, "flag": "M"}]"#, .json)
        #expect(list.readings.map(\.parameter) == ["COD", "pH"])
        #expect(list.readings.map(\.flag) == [.normal, .maintenance])
        let wrapped = read(#"{"readings": [{"station": "s", "parameter": "COD", "time": 1767225600, "value": 2}]}"#, .json)
        #expect(wrapped.readings.map(\.value) == [2])
    }

    @Test func aBadItemIsAnErrorAndTheOthersAreRead() {
        let p = read(#"[{"station": "s", "parameter": "COD", "time": "yesterday", "value": 1}, {"station": "s", "parameter": "COD", "time": 1767225600, "value": 2}]"#, .json)
        #expect(p.readings.map(\.value) == [2])
        #expect(p.errors.count == 1 && p.errors[0].hasPrefix("readings[0]: time"), "\(p.errors)")
        #expect(p.unreadable == nil)
    }

    @Test func aPayloadThatIsNoReadingIsUnreadable() {
        #expect(read("{not json", .json).unreadable?.hasPrefix("the body is not {\"readings\": [...]} or a list of readings") == true)
        #expect(read("42", .json).unreadable != nil)
        #expect(read("[]", .json).unreadable == "no readings")
        #expect(read("", .lineProtocol).unreadable == "no line protocol points")
    }

    @Test func lineProtocolWithTheSubscriptionsPrecision() {
        let p = read(
            """
            reading,station=s,parameter=COD value=23.5 1767225600
            reading,station=s COD=24,NH3-N=1.5 1767225660
            reading,station=s value=oops
            """, .lineProtocol, precision: .seconds)
        #expect(p.readings.map(\.parameter) == ["COD", "COD", "NH3-N"])
        #expect(p.readings.map(\.time) == [1_767_225_600, 1_767_225_660, 1_767_225_660])
        #expect(p.errors.count == 1, "\(p.errors)")
        #expect(p.unreadable == nil)
    }
}
