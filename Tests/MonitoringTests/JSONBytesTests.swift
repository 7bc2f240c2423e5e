import Foundation
import Monitoring
import Testing

/// The hand-written JSON of the hot paths: written as `JSONEncoder` writes it, and read back by
/// ``JSONText`` (`JSONTextTests` has the reading).
@Suite struct JSONBytesTests {
    static let tricky = [
        "plain", "quote \" and backslash \\", "slash / mg/m3", "line\nbreak\ttab\r", "control \u{01}\u{1F}\u{7F}",
        "中文 站点 COD 超标", "emoji 🌫️ 👩‍🔬", "", "backspace \u{08} formfeed \u{0C}",
    ]

    @Test(arguments: [true, false]) func writesWhatJSONEncoderWrites(escapingSlashes: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapingSlashes ? [.sortedKeys] : [.sortedKeys, .withoutEscapingSlashes]
        var map: [String: String] = [:]
        for (i, text) in Self.tricky.enumerated() {
            var out: [UInt8] = []
            JSONBytes.append(quoted: text, to: &out, escapingSlashes: escapingSlashes)
            #expect(String(decoding: out, as: UTF8.self) == String(decoding: try encoder.encode(text), as: UTF8.self))
            map["key\(i)"] = text
            map["Key \(i)/x"] = text
        }
        var out: [UInt8] = []
        JSONBytes.append(map, to: &out, escapingSlashes: escapingSlashes)
        #expect(String(decoding: out, as: UTF8.self) == String(decoding: try encoder.encode(map), as: UTF8.self))
    }

    @Test func readsBackWhatItWrites() throws {
        var map: [String: String] = [:]
        for (i, text) in Self.tricky.enumerated() { map["k\(i) \(text)"] = text }
        var out: [UInt8] = []
        JSONBytes.append(map, to: &out)
        let read = try out.withUnsafeBufferPointer { try JSONText.parse(utf8: $0) }
        guard case .object(let members) = read else {
            Issue.record("not an object: \(read)")
            return
        }
        #expect(Dictionary(uniqueKeysWithValues: members.map { ($0.0, $0.1) }) == map.mapValues(JSONText.string))
        // Keys in the order of their UTF-8 bytes, as JSONEncoder's .sortedKeys.
        #expect(members.map(\.0) == map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }
}
