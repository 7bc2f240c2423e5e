import Foundation
import Monitoring
import Testing

/// ``JSONText``: the JSON reader of the reports, the commands and the notifier's outbox payloads
/// (`AlertNotificationJSONTests` has the payloads themselves).
@Suite struct JSONTextTests {
    @Test func readsEscapesIntegersAndNull() throws {
        let text = #" { "a" : "\u00e9\u4e2d\ud83c\udf2b\/\"\\\b\f\n\r\t" , "n": -9223372036854775808, "z": null, "m": 42, "t": [true, false, 0.000] } "#
        let json = try JSONText.parse(text)
        #expect(json["a"] == .string("é中🌫/\"\\\u{08}\u{0C}\n\r\t"))
        #expect(json["n"]?.int64Value == .min && json["m"]?.int64Value == 42)
        #expect(json["z"] == .null && json["z"]?.int64Value == nil)
        #expect(json["t"] == .array([.bool(true), .bool(false), .number("0.000")]))
        // Number literals are kept as written; rendering gives them back.
        #expect(json.rendered == #"{"a":"é中🌫/\"\\\b\f\n\r\t","n":-9223372036854775808,"z":null,"m":42,"t":[true,false,0.000]}"#.replacingOccurrences(of: #"\b\f"#, with: #"\u0008\u000c"#))
    }

    @Test func integersAreIntegersOnly() throws {
        for (literal, value) in [("0", Int64(0)), ("-0", 0), ("9223372036854775807", .max), ("-9223372036854775808", .min), ("1735660800", 1_735_660_800)] {
            #expect(try JSONText.parse(literal).int64Value == value, "\(literal)")
        }
        for literal in ["1.5", "1e3", "1.0", "99999999999999999999", "9223372036854775808", "-9223372036854775809", #""1""#, "true", "null"] {
            #expect(try JSONText.parse(literal).int64Value == nil, "\(literal)")
        }
        #expect(try JSONText.parse("-12.5e3").doubleValue == -12_500)
        #expect(JSONText.string("1").doubleValue == nil)
    }

    @Test func refusesMalformedText() {
        let bad = [
            "", "{", #"{"a":"x""#, #"{"a":"\ud83c"}"#, #"{"a":"\ud83c\u0041"}"#, #"{"a":"\q"}"#, "{\"a\":\"tab\there\"}", #"{"a":"x",}"#,
            #"{"a":"x"} trailing"#, #"{"a":-}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, "[1,]", #"{"a" "b"}"#, "nul", #""\u12G4""#,
            String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
        ]
        for text in bad {
            #expect(throws: JSONText.ParseError.self, "\(text)") { try JSONText.parse(text) }
        }
        #expect(throws: JSONText.ParseError.self) { try JSONText.parse("{\"a\":1} x") }
    }

    /// Bytes are read in place, as a typed or a raw buffer, and give what the `String` gives.
    @Test func readsBytesInPlace() throws {
        let text = #"{"labels":{"station":"清河 outlet","unit":"mg\/L"},"startsAt":1735660800,"endsAt":null}"#
        let fromString = try JSONText.parse(text)
        let bytes = Array(text.utf8)
        #expect(try bytes.withUnsafeBufferPointer { try JSONText.parse(utf8: $0) } == fromString)
        #expect(try bytes.withUnsafeBytes { try JSONText.parse(utf8: $0) } == fromString)
        #expect(fromString["labels"]?["unit"] == .string("mg/L"))
        // A slice of a larger buffer: only its bytes are read.
        let framed = Array("xx".utf8) + bytes + Array("yy".utf8)
        let inner = try framed.withUnsafeBufferPointer { try JSONText.parse(utf8: UnsafeBufferPointer(rebasing: $0[2..<(2 + bytes.count)])) }
        #expect(inner == fromString)
    }

    @Test func numberLiterals() {
        for literal in ["0", "-0", "12", "-1.5", "1e3", "1E-3", "0.000", "2.5e+10"] { #expect(JSONText.isNumberLiteral(literal), "\(literal)") }
        for literal in ["", "-", "01", "1.", ".5", "1e", "+1", "1 ", "NaN", "inf"] { #expect(!JSONText.isNumberLiteral(literal), "\(literal)") }
    }

    /// What JSONSerialization reads, JSONText reads alike (strings, nesting, numbers by value).
    @Test func agreesWithJSONSerialization() throws {
        let text = #"{"a":[1,-2.5,{"b":"\u00e9 \ud83d\ude00 \/"}],"c":{"d":null,"e":true},"f":"","g":1e2}"#
        let json = try JSONText.parse(text)
        let foundation = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(json["f"] == .string(foundation["f"] as? String ?? "?"))
        let a = try #require(foundation["a"] as? [Any])
        let b = try #require((a[2] as? [String: Any])?["b"] as? String)
        guard case .array(let items)? = json["a"] else {
            Issue.record("a is not an array")
            return
        }
        #expect(items[2]["b"] == .string(b))
        #expect(items[1].doubleValue == (a[1] as? NSNumber)?.doubleValue)
        #expect(json["g"]?.doubleValue == 100 && json["g"]?.int64Value == nil)
    }
}
