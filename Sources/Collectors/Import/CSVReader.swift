import Foundation

/// A fast RFC 4180 CSV reader that streams a file through a buffer of fixed size.
///
/// Fields are byte ranges into the buffer and become `String`s only when asked for, so a wide
/// file whose mapping uses a few columns costs little, and a file of any size is read in the
/// memory of its buffer (it grows only for a single row longer than it). Quoted fields may hold
/// the delimiter, doubled quotes and line breaks; CRLF and LF line ends are both accepted.
///
/// A row's fields point into the buffer: they are valid until the next call of
/// ``next(into:)``, which may move the buffer's contents.
public struct CSVReader: ~Copyable {
    /// The bytes read so far that the reader still holds: `storage[0..<end]`.
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var end = 0
    /// The file, or -1 when reading from bytes given at once.
    private let descriptor: Int32
    private var atEOF: Bool
    /// Whether the start of the input was checked for a byte-order mark.
    private var startChecked = false
    /// Bytes of the input dropped from the front of the buffer so far.
    private var consumed = 0
    private let delimiter: UInt8
    private var position = 0
    /// The 1-based line number at which the row last returned by ``next(into:)`` starts.
    public private(set) var line = 0
    private var nextLine = 1
    /// The size of the input in bytes (of the file when it was opened).
    public let size: Int

    /// A row: the byte range of each field in the reader's buffer, quotes removed and doubled
    /// quotes undone.
    public struct Row {
        /// The fields' byte ranges, valid until the reader's next ``CSVReader/next(into:)``.
        public var fields: [Range<Int>] = []
        /// Creates an empty row to read into.
        public init() {}
    }

    /// Opens a file for reading.
    /// - Parameter bufferSize: bytes read at a time; a row longer than this grows the buffer.
    /// - Throws: ``CollectorError`` with code `unreadable` when the file cannot be opened.
    public init(path: String, delimiter: UInt8 = UInt8(ascii: ","), bufferSize: Int = 1 << 20) throws(CollectorError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CollectorError(.unreadable, "cannot read \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw CollectorError(.unreadable, "cannot read \(path): not a file")
        }
        descriptor = fd
        size = Int(info.st_size)
        capacity = max(1, bufferSize)
        storage = .allocate(capacity: capacity)
        atEOF = false
        self.delimiter = delimiter
    }

    /// Reads from bytes held in memory.
    public init(bytes: [UInt8], delimiter: UInt8 = UInt8(ascii: ",")) {
        descriptor = -1
        size = bytes.count
        capacity = max(1, bytes.count)
        storage = .allocate(capacity: capacity)
        storage.initialize(from: bytes, count: bytes.count)
        end = bytes.count
        atEOF = true
        self.delimiter = delimiter
        skipByteOrderMark()
    }

    deinit {
        storage.deallocate()
        if descriptor >= 0 { close(descriptor) }
    }

    /// Skips a UTF-8 byte-order mark at the start of a file (done at the first read).
    private mutating func skipByteOrderMark() {
        startChecked = true
        while end < 3 && !atEOF {
            if !refill(keeping: 0) { failed = true }
        }
        if end >= 3 && storage[0] == 0xEF && storage[1] == 0xBB && storage[2] == 0xBF { position = 3 }
    }

    /// How far through the input the reader is, in bytes.
    public var offset: Int { consumed + position }

    /// Moves the bytes from `keep` on (the row being read) to the front and reads more after
    /// them, growing the buffer when the row fills it. `false` on a read error (the input then
    /// ends there).
    private mutating func refill(keeping keep: Int) -> Bool {
        if keep > 0 {
            let remaining = end - keep
            if remaining > 0 { memmove(storage, storage + keep, remaining) }
            consumed += keep
            position -= keep
            end = remaining
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.initialize(from: storage, count: end)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        while true {
            let n = read(descriptor, storage + end, capacity - end)
            if n > 0 {
                end += n
                return true
            }
            if n < 0 && errno == EINTR { continue }
            atEOF = true
            return n == 0
        }
    }

    /// Whether reading the file failed: the input ended early at a read error (the rows
    /// returned before it are good).
    public private(set) var failed = false

    /// Reads the next row into `row`; `false` at the end of the input. Blank lines are skipped.
    public mutating func next(into row: inout Row) -> Bool {
        if !startChecked { skipByteOrderMark() }
        while true {
            if position == end {
                if atEOF { return false }
                if !refill(keeping: position) { failed = true }
                continue
            }
            switch scanRow(into: &row) {
            case .row: return true
            case .blank: continue
            case .needMore:
                if !refill(keeping: position) { failed = true }
            }
        }
    }

    private enum Scan { case row, blank, needMore }

    /// Scans one row from `position`. Only a whole row (or blank line) moves `position` and the
    /// line count on; a row cut off by the end of the buffer is `.needMore` and is scanned again
    /// from its start once more bytes are in. A line end is always read whole, so that a CR LF
    /// split between two reads counts as one.
    private mutating func scanRow(into row: inout Row) -> Scan {
        let n = end
        let bytes = storage
        let delimiter = self.delimiter
        let more = !atEOF  // whether bytes past `n` may still come
        var i = position
        // A blank line.
        if bytes[i] == 10 {
            position = i + 1
            nextLine += 1
            return .blank
        }
        if bytes[i] == 13 {
            if i + 1 == n && more { return .needMore }
            if i + 1 < n && bytes[i + 1] == 10 {
                position = i + 2
                nextLine += 1
                return .blank
            }
        }
        row.fields.removeAll(keepingCapacity: true)
        escaped.removeAll(keepingCapacity: true)
        var lines = 0
        while true {
            if i < n && bytes[i] == 34 {  // quoted field
                let start = i + 1
                var k = start
                var doubled = false
                while k < n {
                    if bytes[k] == 34 {
                        if k + 1 < n && bytes[k + 1] == 34 {
                            doubled = true
                            k += 2
                            continue
                        }
                        if k + 1 == n && more { return .needMore }  // perhaps the first of two quotes
                        break
                    }
                    if bytes[k] == 10 { lines += 1 }
                    k += 1
                }
                if k >= n && more { return .needMore }
                if doubled { escaped.append(row.fields.count) }
                row.fields.append(start..<min(k, n))
                i = min(k + 1, n)
                // Anything between the closing quote and the delimiter is kept out; tolerated.
                while i < n && bytes[i] != delimiter && bytes[i] != 10 && bytes[i] != 13 { i += 1 }
            } else {
                let start = i
                while i < n && bytes[i] != delimiter && bytes[i] != 10 && bytes[i] != 13 { i += 1 }
                row.fields.append(start..<i)
            }
            if i == n && more { return .needMore }
            if i < n && bytes[i] == delimiter {
                i += 1
                continue
            }
            // The end of the row: CR LF, CR, LF or the end of the input.
            if i < n && bytes[i] == 13 {
                if i + 1 == n && more { return .needMore }
                i += 1
            }
            if i < n && bytes[i] == 10 { i += 1 }
            break
        }
        line = nextLine
        nextLine += 1 + lines
        position = i
        if !escaped.isEmpty { unescape(&row) }
        return .row
    }

    /// Fields of the row being read that hold doubled quotes.
    private var escaped: [Int] = []

    /// Undoes doubled quotes in place (a field only shrinks), once the row is known to be whole.
    private func unescape(_ row: inout Row) {
        for f in escaped {
            let r = row.fields[f]
            var w = r.lowerBound
            var k = r.lowerBound
            while k < r.upperBound {
                storage[w] = storage[k]
                k += storage[k] == 34 ? 2 : 1
                w += 1
            }
            row.fields[f] = r.lowerBound..<w
        }
    }

    /// The bytes of a field, valid until the next ``next(into:)``.
    public func bytes(_ row: Row, _ index: Int) -> UnsafeBufferPointer<UInt8> {
        let r = row.fields[index]
        return UnsafeBufferPointer(start: storage + r.lowerBound, count: r.count)
    }

    /// The text of a field.
    public func string(_ row: Row, _ index: Int) -> String {
        String(decoding: bytes(row, index), as: UTF8.self)
    }

    /// Whether a field is exactly `text` (byte comparison, no allocation).
    public func field(_ row: Row, _ index: Int, equals text: [UInt8]) -> Bool {
        bytes(row, index).sameBytes(as: text)
    }

    /// A field read as a decimal integer, or `nil`.
    public func int(_ row: Row, _ index: Int) -> Int? {
        CSVNumber.int(bytes(row, index))
    }

    /// A field read as a number, or `nil` when it is not one (or is not finite).
    public func double(_ row: Row, _ index: Int) -> Double? {
        CSVNumber.double(bytes(row, index))
    }
}
