import Foundation
import Monitoring
import Testing

/// The byte writers of the query outputs print what their string forms print.
@Suite struct ByteWritersTests {
    @Test func appendPlainPrintsWhatPlainPrints() {
        let values: [Double] = [
            0, -0.0, 1, -1, 7, 10, 90, 100, 1234567, -987654321, 999_999_999_999_999, 1e15, 1e16, -1e15, 0.8, 0.1 + 0.2, -2.5,
            123.456, 1e-7, 5e-324, .greatestFiniteMagnitude, 4_294_967_296, 0.23186956521739135,
        ]
        for v in values {
            var out: [UInt8] = [UInt8(ascii: "x")]
            FixedPoint.appendPlain(v, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == "x" + FixedPoint.plain(v), "\(v)")
        }
    }

    @Test(arguments: ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata", "America/St_Johns"])
    func appendISO8601PrintsWhatISO8601Prints(zone: String) throws {
        let calendar = ZoneCalendar(try #require(TimeZone(identifier: zone)))
        for t: Int64 in [0, 1_704_067_200, 1_735_660_799, -86_400 * 365, 253_402_300_799, 253_402_300_800 + 86_400 * 400] {
            let offset = calendar.offset(at: t)
            var out: [UInt8] = [UInt8(ascii: ">")]
            calendar.appendISO8601(t, offset: offset, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == ">" + calendar.iso8601(t, offset: offset), "\(t) \(zone)")
        }
    }
}
