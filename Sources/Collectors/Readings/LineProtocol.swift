/// Reads InfluxDB line protocol (`peers.md` §4.1) into ``Reading``s, byte by byte, without
/// Foundation's string machinery.
///
/// ```
/// # comments and blank lines are skipped
/// reading,station=qinghe-wwtp-outlet,parameter=COD value=23.5,flag="N" 1733450400000000000
/// reading,station=qinghe-wwtp-outlet COD=23.5,NH3-N=1.2 1733450400000000000
/// ```
///
/// * A series is named by the tags `station` and `parameter` (also `param`), with the field
///   `value` and an optional string field `flag` holding an HJ 212 data flag. Without a
///   `parameter` tag each field but `flag` is a parameter, named by its key. A `kind` tag
///   (`realtime`, `minute`, `hour`, `day`) says what the sender reported; real-time by default.
///   A `unit` tag (`mg/L`, `µg/m3`, …) gives the unit of the values when it is not the station's
///   reported unit (`envmon import` beside a daemon sends stored units).
///   The measurement and other tags are read and checked, then not used.
/// * Parameters are catalogue ids or aliases (`COD`, `NH3-N`, `PM2.5`) or HJ 212 codes (`w01018`).
/// * Fields are floats (`1`, `-1.5`, `1e3`, `.5`), integers (`1i`), strings (`"…"`) or
///   booleans (`t`, `true`, `F`, …); a value that is a string or boolean is not a number.
/// * Escapes: in the measurement `\,` and `\ `; in tag keys, tag values and field keys also `\=`;
///   in string fields `\"` and `\\`. A backslash before anything else is itself.
/// * Timestamps are integers of the `precision`, stored to the second (rounded down); a line
///   without one takes `now`.
/// * A line that does not parse is an error with InfluxDB 1.x's words (``LineProtocolError``);
///   the other lines are read.
public enum LineProtocol {
    /// What a body held.
    public struct Batch: Sendable {
        /// The readings, in the body's order.
        public var readings: [Reading] = []
        /// The 1-based line of each reading.
        public var lines: [Int] = []
        /// The lines that were not read.
        public var errors: [LineProtocolError] = []
        /// Lines that held a point (not blank, not a comment), read or not.
        public var points = 0
    }

    /// Reads a body.
    /// - Parameters:
    ///   - body: the bytes (UTF-8), lines separated by `\n` (a `\r` before it is dropped).
    ///   - precision: the unit of the timestamps.
    ///   - now: the server's clock, in seconds: the time of lines without a timestamp.
    public static func parse(_ body: UnsafeRawBufferPointer, precision: LineProtocolPrecision = .nanoseconds, now: Int64) -> Batch {
        var batch = Batch()
        guard let base = body.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return batch }
        var scanner = LineScanner(base: base, precision: precision, now: now)
        let count = body.count
        batch.readings.reserveCapacity(count / 48)
        var start = 0
        var line = 0
        while start < count {
            line += 1
            var end = start
            while end < count && base[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start && base[end - 1] == 0x0D { end -= 1 }
            scanner.read(line: line, from: start, to: end, into: &batch)
            start = next
        }
        return batch
    }

    /// Reads a body given as bytes.
    public static func parse(_ body: [UInt8], precision: LineProtocolPrecision = .nanoseconds, now: Int64) -> Batch {
        body.withUnsafeBytes { parse($0, precision: precision, now: now) }
    }

    /// Reads a body given as text.
    public static func parse(_ text: String, precision: LineProtocolPrecision = .nanoseconds, now: Int64) -> Batch {
        parse(Array(text.utf8), precision: precision, now: now)
    }
}
