/// A wall-clock date and time with no zone attached, as a CSV row or an HJ 212 DataTime gives it.
public struct CivilTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    /// Creates a civil time; the fields are not checked (see ``isValid``).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Whether every field is in range (the day checked against the month and leap years).
    public var isValid: Bool {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            day >= 1
        else { return false }
        return day <= CivilTime.daysIn(month: month, year: year)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since 1970-01-01T00:00:00 if this wall time were UTC.
    public var secondsIfUTC: Int64 {
        Int64(CivilTime.daysFromCivil(year: year, month: month, day: day)) * 86_400
            + Int64(hour * 3_600 + minute * 60 + second)
    }

    /// The wall time that `seconds` since the epoch show in UTC.
    public init(secondsIfUTC seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (y, m, d) = CivilTime.civilFromDays(Int(days))
        self.init(year: y, month: m, day: d, hour: rest / 3_600, minute: rest / 60 % 60, second: rest % 60)
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact, branch-light, no Calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func < (a: CivilTime, b: CivilTime) -> Bool { a.secondsIfUTC < b.secondsIfUTC }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        let fast = String(unsafeUninitializedCapacity: 19) { write(into: $0) ? 19 : 0 }
        if !fast.isEmpty { return fast }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
    }

    /// Writes ``description`` (19 bytes) at the start of `b`, digit by digit: query output prints
    /// one a row, and interpolating six padded numbers cost about a microsecond each time (9 ms
    /// for a year of hours). False, with nothing written, when a field does not fit its digits
    /// (a year outside 0…9999), which only the interpolation prints.
    func write(into b: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard b.count >= 19, (0...9_999).contains(year), (0...99).contains(month), (0...99).contains(day), (0...99).contains(hour),
            (0...99).contains(minute), (0...99).contains(second)
        else { return false }
        b[0] = UInt8(48 + year / 1_000)
        b[1] = UInt8(48 + year / 100 % 10)
        writeTwoDigits(year % 100, into: b, at: 2)
        b[4] = UInt8(ascii: "-")
        writeTwoDigits(month, into: b, at: 5)
        b[7] = UInt8(ascii: "-")
        writeTwoDigits(day, into: b, at: 8)
        b[10] = UInt8(ascii: "T")
        writeTwoDigits(hour, into: b, at: 11)
        b[13] = UInt8(ascii: ":")
        writeTwoDigits(minute, into: b, at: 14)
        b[16] = UInt8(ascii: ":")
        writeTwoDigits(second, into: b, at: 17)
        return true
    }
}

/// Writes `value` (0…99) as two ASCII digits at `b[at]` and `b[at + 1]`.
@inline(__always) func writeTwoDigits(_ value: Int, into b: UnsafeMutableBufferPointer<UInt8>, at: Int) {
    b[at] = UInt8(48 + value / 10)
    b[at + 1] = UInt8(48 + value % 10)
}

func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
