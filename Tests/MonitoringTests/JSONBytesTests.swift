import Foundation
import Monitoring
import Testing

/// The hand-written JSON of the hot paths: written as `JSONEncoder` writes it, read as
/// `JSONSerialization` reads it.
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
        var reader = JSONBytes.Reader(String(decoding: out, as: UTF8.self))
        #expect(try reader.stringMap() == map)
        try reader.end()
    }

    @Test func readsEscapesIntegersAndNull() throws {
        var r = JSONBytes.Reader(#" { "a" : "\u00e9\u4e2d\ud83c\udf2b\/\"\\\b\f\n\r\t" , "n": -9223372036854775808, "z": null, "m": 42 } "#)
        var seen: [String: String] = [:]
        try r.object { key, r in
            switch key {
            case "a": seen[key] = try r.string()
            case "z": seen[key] = r.null() ? "null" : "?"
            default: seen[key] = String(try r.integer())
            }
        }
        try r.end()
        #expect(seen == ["a": "é中🌫/\"\\\u{08}\u{0C}\n\r\t", "n": "-9223372036854775808", "z": "null", "m": "42"])
    }

    @Test func refusesWhatItDoesNotRead() {
        let badStrings = [
            "", "{", #"{"a":"x""#, #"{"a":"\ud83c"}"#, #"{"a":"\q"}"#, "{\"a\":\"tab\there\"}", #"{"a":"x",}"#,
            #"{"a":"x"} trailing"#, #"{"a":[1]}"#, #"{"a":1}"#,
        ]
        for text in badStrings {
            #expect(throws: JSONBytes.Reader.Unreadable.self, "\(text)") {
                var r = JSONBytes.Reader(text)
                try r.object { _, r in _ = try r.string() }
                try r.end()
            }
        }
        for text in [#"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":99999999999999999999}"#, #"{"a":9223372036854775808}"#, #"{"a":-}"#, #"{"a":"1"}"#] {
            #expect(throws: JSONBytes.Reader.Unreadable.self, "\(text)") {
                var r = JSONBytes.Reader(text)
                try r.object { _, r in _ = try r.integer() }
                try r.end()
            }
        }
    }
}
