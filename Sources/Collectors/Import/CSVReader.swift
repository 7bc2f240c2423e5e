import Foundation

/// A fast RFC 4180 CSV reader over a file held in memory.
///
/// Fields are byte ranges into the buffer and become `String`s only when asked for, so a wide
/// file whose mapping uses a few columns costs little. Quoted fields may hold the delimiter,
/// doubled quotes and line breaks; CRLF and LF line ends are both accepted.
public struct CSVReader {
    /// The file's bytes.
    public let bytes: [UInt8]
    private let delimiter: UInt8
    private var position = 0
    /// The 1-based line number at which the row last returned by ``next()`` starts.
    public private(set) var line = 0
    private var nextLine = 1

    /// A row: the byte range of each field, and whether the field was quoted with doubled quotes inside.
    public struct Row {
        public var fields: [Range<Int>] = []
        var escaped: [Bool] = []
    }

    /// Reads a whole file.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ",")) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CollectorError(.unreadable, "cannot read \(path)")
        }
        self.init(bytes: [UInt8](data), delimiter: delimiter)
    }

    /// Reads from bytes.
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // a UTF-8 byte-order mark
        self.bytes = bytes
        self.delimiter = delimiter
        position = start
    }

    /// How far through the buffer the reader is, in bytes.
    public var offset: Int { position }

    /// The next row, or `nil` at the end. Blank lines are skipped.
    public mutating func next(into row: inout Row) -> Bool {
        let n = bytes.count
        while position < n {
            line = nextLine
            row.fields.removeAll(keepingCapacity: true)
            row.escaped.removeAll(keepingCapacity: true)
            // A blank line.
            if bytes[position] == 10 || (bytes[position] == 13 && position + 1 < n && bytes[position + 1] == 10) {
                position += bytes[position] == 13 ? 2 : 1
                nextLine += 1
                continue
            }
            while true {
                if position < n && bytes[position] == 34 {  // quoted field
                    let start = position + 1
                    var i = start
                    var doubled = false
                    while i < n {
                        if bytes[i] == 34 {
                            if i + 1 < n && bytes[i + 1] == 34 {
                                doubled = true
                                i += 2
                                continue
                            }
                            break
                        }
                        if bytes[i] == 10 { nextLine += 1 }
                        i += 1
                    }
                    row.fields.append(start..<min(i, n))
                    row.escaped.append(doubled)
                    position = min(i + 1, n)
                    // Anything between the closing quote and the delimiter is kept out; tolerated.
                    while position < n && bytes[position] != delimiter && bytes[position] != 10 && bytes[position] != 13 {
                        position += 1
                    }
                } else {
                    let start = position
                    while position < n && bytes[position] != delimiter && bytes[position] != 10 && bytes[position] != 13 {
                        position += 1
                    }
                    row.fields.append(start..<position)
                    row.escaped.append(false)
                }
                if position < n && bytes[position] == delimiter {
                    position += 1
                    continue
                }
                // End of the row.
                if position < n && bytes[position] == 13 { position += 1 }
                if position < n && bytes[position] == 10 { position += 1 }
                nextLine += 1
                return true
            }
        }
        return false
    }

    /// The text of a field.
    public func string(_ row: Row, _ index: Int) -> String {
        let s = String(decoding: bytes[row.fields[index]], as: UTF8.self)
        return row.escaped[index] ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// Whether a field is exactly `text` (ASCII comparison, no allocation).
    public func field(_ row: Row, _ index: Int, equals text: [UInt8]) -> Bool {
        let r = row.fields[index]
        guard r.count == text.count else { return false }
        var j = 0
        for i in r {
            if bytes[i] != text[j] { return false }
            j += 1
        }
        return true
    }

    /// A field read as a decimal integer, or `nil`.
    public func int(_ row: Row, _ index: Int) -> Int? {
        let r = row.fields[index]
        guard !r.isEmpty, r.count < 12 else { return nil }
        var v = 0
        var negative = false
        var i = r.lowerBound
        if bytes[i] == 45 {
            negative = true
            i += 1
            if i == r.upperBound { return nil }
        }
        while i < r.upperBound {
            let c = bytes[i]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
            i += 1
        }
        return negative ? -v : v
    }

    /// A field read as a number, or `nil` when it is not one (or is not finite).
    public func double(_ row: Row, _ index: Int) -> Double? {
        let r = row.fields[index]
        guard !r.isEmpty, r.count < 64 else { return nil }
        let value: Double? = bytes.withUnsafeBufferPointer { buffer in
            var tmp = [CChar](repeating: 0, count: r.count + 1)
            for (j, i) in r.enumerated() { tmp[j] = CChar(bitPattern: buffer[i]) }
            // Leading/trailing spaces are tolerated, nothing else after the number is.
            return tmp.withUnsafeBufferPointer { p -> Double? in
                var end: UnsafeMutablePointer<CChar>?
                let v = strtod(p.baseAddress!, &end)
                guard let end, end != UnsafeMutablePointer(mutating: p.baseAddress!) else { return nil }
                var e = end
                while e.pointee == 32 { e += 1 }
                return e.pointee == 0 ? v : nil
            }
        }
        guard let value, value.isFinite else { return nil }
        return value
    }
}
