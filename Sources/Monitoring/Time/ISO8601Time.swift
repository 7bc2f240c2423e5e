import Foundation

/// Parses the times people type on the command line and in files.
///
/// Accepted: `2014-01-01T05:00:00Z`, `2014-01-01T05:00:00+08:00`, `2014-01-01T05:00+0800`,
/// `2014-01-01 05:00`, `2014-01-01T05`, and `2014-01-01`; a fraction of a second is dropped, and
/// spaces and tabs around the time are ignored. A time without an offset is wall time in the given
/// zone, and is an error if that wall time does not exist there.
///
/// The parser reads UTF-8 bytes (``parse(utf8:in:)``) and allocates nothing unless the text is
/// wrong: an import calls it for every row of a file.
public enum ISO8601Time {
    /// Why a time could not be read.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        /// The text is not a time of an accepted form: `column` is the 1-based position (in
        /// Unicode scalars) of the first character that does not fit, or one past the end when
        /// the text stops too early; `expected` says what should have been there.
        case malformed(String, column: Int, expected: String)
        /// The wall time never happens in the zone (the clocks skip it).
        case nonexistent(String, zone: String)

        public var description: String {
            switch self {
            case .malformed(let s, let column, let expected):
                "'\(s)' is not an ISO 8601 time (e.g. 2014-01-01T05:00:00+08:00): at column \(column), expected \(expected)"
            case .nonexistent(let s, let zone): "'\(s)' does not exist in \(zone) (the clocks skip it)"
            }
        }
    }

    /// Parses `text` into seconds since the epoch; wall times are read in `calendar`'s zone.
    public static func parse(_ text: String, in calendar: ZoneCalendar) throws(ParseError) -> Int64 {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(ParseError) -> Int64 in try parse(utf8: bytes, in: calendar) }
        }
        return try result.get()
    }

    /// Parses a time given as UTF-8 bytes (a field of a file) into seconds since the epoch; wall
    /// times are read in `calendar`'s zone.
    public static func parse(utf8 text: UnsafeBufferPointer<UInt8>, in calendar: ZoneCalendar) throws(ParseError) -> Int64 {
        let fields = try read(text)
        if let offset = fields.offset { return fields.civil.secondsIfUTC - Int64(offset) }
        switch calendar.resolve(fields.civil) {
        case .unique(let t), .ambiguous(let t, _): return t
        case .nonexistent: throw .nonexistent(string(text), zone: calendar.timeZone.identifier)
        }
    }

    /// What a time's text says before a zone is applied.
    public struct Fields: Sendable, Hashable {
        /// The date and wall time as written.
        public var civil: CivilTime
        /// The offset written with it, in seconds east of UTC; `nil` for a wall time.
        public var offset: Int?
    }

    /// Reads the date, wall time and offset of a time without applying a zone.
    public static func read(_ text: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Fields {
        var lower = 0
        var upper = text.count
        while lower < upper, text[lower] == 32 || text[lower] == 9 { lower += 1 }
        while upper > lower, text[upper - 1] == 32 || text[upper - 1] == 9 { upper -= 1 }
        if (lower < upper && text[lower] >= 0x80) || (upper > lower && text[upper - 1] >= 0x80) {
            // Perhaps Unicode white space (an ideographic space, a no-break space): rare, so the
            // slow path trims it as Foundation does, and reads the rest.
            return try readTrimmingUnicodeSpace(text)
        }
        var scanner = Scanner(text: text, position: lower, end: upper)
        return try scanner.fields()
    }

    private static func readTrimmingUnicodeSpace(_ text: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Fields {
        let original = string(text)
        let trimmed = original.trimmingCharacters(in: .whitespaces)
        let leading = original.unicodeScalars.prefix { CharacterSet.whitespaces.contains($0) }.count
        var bytes = Array(trimmed.utf8)
        let result = bytes.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(ParseError) -> Fields in
                var scanner = Scanner(text: UnsafeBufferPointer(buffer), position: 0, end: buffer.count)
                return try scanner.fields()
            }
        }
        switch result {
        case .success(let fields): return fields
        case .failure(.malformed(_, let column, let expected)):
            throw .malformed(original, column: column + leading, expected: expected)
        case .failure(let other): throw other
        }
    }

    static func string(_ text: UnsafeBufferPointer<UInt8>) -> String { String(decoding: text, as: UTF8.self) }

    /// The grammar, one byte at a time over `text[position..<end]`.
    private struct Scanner {
        let text: UnsafeBufferPointer<UInt8>
        var position: Int
        let end: Int

        func fail(_ expected: String, at index: Int? = nil) -> ParseError {
            let i = index ?? position
            // Columns count characters as people see them; bytes that continue a UTF-8
            // sequence do not start one.
            var column = 1
            for k in 0..<min(i, text.count) where text[k] & 0xC0 != 0x80 { column += 1 }
            return .malformed(ISO8601Time.string(text), column: column, expected: expected)
        }

        mutating func number(_ digits: Int) throws(ParseError) -> Int {
            var v = 0
            for k in position..<(position + digits) {
                guard k < end else { throw fail("a digit", at: k) }
                let c = text[k] &- 48
                guard c <= 9 else { throw fail("a digit", at: k) }
                v = v * 10 + Int(c)
            }
            position += digits
            return v
        }

        /// Like ``number(_:)``, but `nil` (and nothing consumed) when the digits are not there.
        mutating func optionalNumber(_ digits: Int) -> Int? {
            guard position + digits <= end else { return nil }
            var v = 0
            for k in position..<(position + digits) {
                let c = text[k] &- 48
                guard c <= 9 else { return nil }
                v = v * 10 + Int(c)
            }
            position += digits
            return v
        }

        mutating func expect(_ c: UInt8) -> Bool {
            if position < end, text[position] == c {
                position += 1
                return true
            }
            return false
        }

        mutating func require(_ c: UInt8, _ what: String) throws(ParseError) {
            guard expect(c) else { throw fail(what) }
        }

        mutating func fields() throws(ParseError) -> Fields {
            let start = position
            let y = try number(4)
            try require(45, "'-'")
            let mo = try number(2)
            try require(45, "'-'")
            let d = try number(2)
            var civil = CivilTime(year: y, month: mo, day: d)
            guard (1...12).contains(mo) else { throw fail("a month 01-12", at: start + 5) }
            guard d >= 1, d <= CivilTime.daysIn(month: mo, year: y) else { throw fail("a day of that month", at: start + 8) }
            if position < end, text[position] == 84 || text[position] == 32 {  // 'T' or ' '
                position += 1
                let timeStart = position
                civil.hour = try number(2)
                guard civil.hour <= 23 else { throw fail("an hour 00-23", at: timeStart) }
                if expect(58) {
                    civil.minute = try number(2)
                    guard civil.minute <= 59 else { throw fail("a minute 00-59", at: timeStart + 3) }
                    if expect(58) {
                        civil.second = try number(2)
                        guard civil.second <= 59 else { throw fail("a second 00-59", at: timeStart + 6) }
                        if expect(46) { while position < end, text[position] &- 48 <= 9 { position += 1 } }  // fraction dropped
                    }
                }
            }
            if position == end { return Fields(civil: civil, offset: nil) }
            let c = text[position]
            if c == 90 || c == 122 {  // Z
                guard position + 1 == end else { throw fail("the end after 'Z'", at: position + 1) }
                return Fields(civil: civil, offset: 0)
            }
            guard c == 43 || c == 45 else { throw fail("the end, 'Z' or an offset such as +08:00") }
            position += 1
            let offsetStart = position
            let oh = try number(2)
            guard oh <= 18 else { throw fail("an offset of at most 18 hours", at: offsetStart) }
            _ = expect(58)
            var om = 0
            if position < end {
                let minuteStart = position
                guard let m = optionalNumber(2) else { throw fail("two digits of offset minutes") }
                guard m < 60 else { throw fail("offset minutes 00-59", at: minuteStart) }
                om = m
            }
            guard position == end else { throw fail("the end") }
            let offset = oh * 3_600 + om * 60
            return Fields(civil: civil, offset: c == 45 ? -offset : offset)
        }
    }
}
