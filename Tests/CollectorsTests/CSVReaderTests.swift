@testable import Collectors
import EnvmonTesting
import Foundation
import Testing

@Suite struct CSVReaderTests {
    let dir = TemporaryDirectory()

    /// Quoted delimiters, doubled quotes, a line break inside quotes, CRLF and LF, blank lines,
    /// junk after a closing quote, a byte-order mark and no line end at the end.
    let tricky: [UInt8] = Array(
        "\u{FEFF}a,b,c\r\n\"x,1\",\"he said \"\"hi\"\"\",3\n\n\"multi\nline\",2,\"\"\r\n\r\nlast,\"q\"junk,\nx\ry\nno,newline,end".utf8)

    let expected: [(line: Int, fields: [String])] = [
        (1, ["a", "b", "c"]),
        (2, ["x,1", "he said \"hi\"", "3"]),
        (4, ["multi\nline", "2", ""]),
        (7, ["last", "q", ""]),
        (8, ["x"]),  // a lone CR ends a row
        (9, ["y"]),
        (10, ["no", "newline", "end"]),
    ]

    func rows(_ reader: consuming CSVReader) -> [(line: Int, fields: [String])] {
        var out: [(line: Int, fields: [String])] = []
        var row = CSVReader.Row()
        while reader.next(into: &row) {
            out.append((reader.line, (0..<row.fields.count).map { reader.string(row, $0) }))
        }
        // Read out first: #expect cannot look into a noncopyable value.
        let failed = reader.failed
        let offset = reader.offset
        let size = reader.size
        #expect(!failed)
        #expect(offset == size)
        return out
    }

    func same(_ a: [(line: Int, fields: [String])], _ b: [(line: Int, fields: [String])]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.line == $1.line && $0.fields == $1.fields }
    }

    @Test func readsRowsFromMemory() {
        #expect(same(rows(CSVReader(bytes: tricky)), expected))
    }

    /// Every buffer size from one byte up cuts rows, quoted fields, doubled quotes and CR LF
    /// pairs at every possible place; the rows and their line numbers must not change.
    @Test func streamsAFileThroughABufferOfAnySize() throws {
        let path = dir.write("tricky.csv", String(decoding: tricky, as: UTF8.self))
        for size in [1, 2, 3, 5, 7, 8, 13, 16, 31, 64, 4_096] {
            let got = rows(try CSVReader(path: path, bufferSize: size))
            #expect(same(got, expected), "buffer of \(size) bytes")
        }
    }

    @Test func aLongFileKeepsItsLineNumbers() throws {
        var text = "t,v\n"
        for i in 1...5_000 { text += i % 100 == 0 ? "\"\(i)\n\",\(i)\r\n" : "\(i),\(i)\n" }
        let path = dir.write("long.csv", text)
        let got = rows(try CSVReader(path: path, bufferSize: 1_000))
        #expect(got.count == 5_001)
        // Rows 100, 200… hold a line break in quotes: each pushes the later lines on by one.
        #expect(got[150].line == 152 && got[150].fields == ["150", "150"])
        #expect(got[5_000].line == 5_050 && got[5_000].fields == ["5000\n", "5000"])
    }

    @Test func aMissingFileIsUnreadable() {
        #expect(throws: CollectorError.self) { _ = try CSVReader(path: dir.file("nope.csv")) }
        #expect(throws: CollectorError.self) { _ = try CSVReader(path: dir.path) }
    }

    @Test(arguments: [
        "0", "-0", "+1", "1.", ".5", "-.5", "12.345", "0.1", "0.3", "123456789012345", "1234567890.12345", "0.000000000000001",
        "9007199254740993", "1234567890123456789", "1e3", "1E-3", "0x1p3", " 7", "7 ", "7  ", "inf", "-inf", "nan", "", "-", ".",
        "1.2.3", "1,5", "12a", "1e400", "00000000000000012.5", "3.14159265358979",
    ])
    func numbersReadAsStrtodReadsThem(_ text: String) {
        let bytes = Array(text.utf8)
        let got = bytes.withUnsafeBufferPointer { CSVNumber.double($0) }
        #expect(got?.bitPattern == reference(text)?.bitPattern, "'\(text)'")
    }

    /// What the importer did before it read numbers from bytes: `strtod`, trailing spaces
    /// allowed, finite values only.
    func reference(_ text: String) -> Double? {
        guard !text.isEmpty, text.utf8.count < 64 else { return nil }
        return text.withCString { p -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(p, &end)
            guard var e = end, e != UnsafeMutablePointer(mutating: p) else { return nil }
            while e.pointee == 32 { e += 1 }
            return e.pointee == 0 && v.isFinite ? v : nil
        }
    }
}
