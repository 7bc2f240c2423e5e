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
        let a = abs(o)
        let fast = String(unsafeUninitializedCapacity: 25) { b in
            guard a < 100 * 3_600, civil.write(into: b) else { return 0 }
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
        return fast.isEmpty ? civil.description + ZoneCalendar.offsetString(o) : fast
    }
}
