import Foundation

extension ZoneCalendar {
    /// The zone's one UTC offset over `range`, or `nil` when it changes inside (a DST transition):
    /// a caller that prints many instants of the range can then write them with
    /// ``iso8601(_:offset:)`` and skip the zone lookups.
    public func fixedOffset(over range: Range<Int64>) -> Int? {
        guard !range.isEmpty else { return nil }
        let first = offset(at: range.lowerBound)
        guard first == offset(at: range.upperBound - 1) else { return nil }
        if let next = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(range.lowerBound))),
            Int64(next.timeIntervalSince1970) < range.upperBound
        {
            return nil
        }
        return first
    }

    /// `t` as ``iso8601(_:)`` writes it, at an offset the caller knows (``fixedOffset(over:)``).
    public func iso8601(_ t: Int64, offset o: Int) -> String {
        let civil = CivilTime(secondsIfUTC: t + Int64(o))
        // In one buffer (see CivilTime.write(into:)): a query prints one of these a row.
        let fast = String(unsafeUninitializedCapacity: 25) { Self.write(civil, offset: o, into: $0) }
        return fast.isEmpty ? civil.description + ZoneCalendar.offsetString(o) : fast
    }

    /// Appends ``iso8601(_:offset:)`` of `t` to `out` as UTF-8, without making a string: a
    /// year's CSV of hours writes 8,760 of these.
    public func appendISO8601(_ t: Int64, offset o: Int, to out: inout [UInt8]) {
        let civil = CivilTime(secondsIfUTC: t + Int64(o))
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 25))
        let written = out.withUnsafeMutableBufferPointer { Self.write(civil, offset: o, into: UnsafeMutableBufferPointer(rebasing: $0[start...])) }
        out.removeLast(25 - written)
        if written == 0 { out.append(contentsOf: (civil.description + ZoneCalendar.offsetString(o)).utf8) }
    }

    /// Writes the civil time and the offset into the first 20 or 25 bytes of `b`; 0 when a field
    /// does not fit its digits (the caller interpolates then).
    private static func write(_ civil: CivilTime, offset o: Int, into b: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let a = abs(o)
        guard a < 100 * 3_600, b.count >= 25, civil.write(into: b) else { return 0 }
        if o == 0 {
            b[19] = UInt8(ascii: "Z")
            return 20
        }
        b[19] = UInt8(ascii: o < 0 ? "-" : "+")
        writeTwoDigits(a / 3_600, into: b, at: 20)
        b[22] = UInt8(ascii: ":")
        writeTwoDigits(a / 60 % 60, into: b, at: 23)
        return 25
    }
}
