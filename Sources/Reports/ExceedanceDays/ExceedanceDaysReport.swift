public import Monitoring
public import Store

/// The daily verdicts of one station's pollutant against GB 3095 over a run of local calendar days,
/// and their counts in total and per year.
public struct ExceedanceDaysReport: Sendable {
    /// One local calendar day and its verdict.
    public struct Day: Sendable {
        /// The day, at local midnight.
        public let date: CivilTime
        public let compliance: DailyCompliance
        /// The day has not ended yet: its hours so far are shown, but it is neither no-data nor
        /// judged, and it is left out of the counts (today was reported as no-data at 09:00).
        public let inProgress: Bool

        /// `exceeds`, `meets`, `no-data`, or `in-progress` for a day not over yet.
        public var verdictText: String { inProgress ? "in-progress" : compliance.verdict.rawValue }
    }

    /// Counts of days by verdict.
    public struct Tally: Sendable {
        public var days = 0
        public var exceedanceDays = 0
        public var meetsDays = 0
        public var noDataDays = 0
        /// Today, when the range reaches it: counted in ``days`` only.
        public var inProgressDays = 0
        /// Days with a valid daily mean, whether they exceed or meet.
        public var validDays: Int { exceedanceDays + meetsDays }

        mutating func add(_ verdict: DailyCompliance.Verdict) {
            days += 1
            switch verdict {
            case .exceeds: exceedanceDays += 1
            case .meets: meetsDays += 1
            case .noData: noDataDays += 1
            }
        }
    }

    public let days: [Day]
    public let total: Tally
    /// Per calendar year of the station's zone, oldest first.
    public let years: [(year: Int, tally: Tally)]

    /// Judges every day of `dayRanges` from the hour aggregates that fall in it.
    ///
    /// - Parameters:
    ///   - hours: Hour buckets of the series (step 3600, avg), in any order; hours without a row count as missing.
    ///   - dayRanges: The local calendar days to report, oldest first, as UTC instant ranges.
    ///   - calendar: The station's calendar, which assigns each hour to its day.
    ///   - toLimitUnit: The factor from the stored unit to the limit's unit (1 when they agree).
    ///   - now: The present instant: a day that ends after it is in progress, not judged.
    public init(
        hours: [AggregateRow], dayRanges: [Range<Int64>], calendar: ZoneCalendar, pollutant: String, grade: AmbientGrade,
        toLimitUnit: Double, now: Int64 = .max
    ) throws(StandardsError) {
        var hourly: [Int64: [Double?]] = [:]
        for row in hours {
            let valid = AmbientValidity.isValidHour(validReadings: row.validCount, expectedReadings: row.expectedCount)
            hourly[calendar.day(containing: row.start).lowerBound, default: []].append(valid ? row.value.map { $0 * toLimitUnit } : nil)
        }
        var days: [Day] = []
        var total = Tally()
        var years: [(year: Int, tally: Tally)] = []
        for range in dayRanges {
            let date = calendar.civil(at: range.lowerBound)
            let compliance = try DailyCompliance.evaluate(hourly[range.lowerBound] ?? [], pollutant: pollutant, grade: grade, on: date)
            let inProgress = range.upperBound > now
            days.append(Day(date: date, compliance: compliance, inProgress: inProgress))
            if years.last?.year != date.year { years.append((date.year, Tally())) }
            if inProgress {
                total.days += 1
                total.inProgressDays += 1
                years[years.count - 1].tally.days += 1
                years[years.count - 1].tally.inProgressDays += 1
                continue
            }
            total.add(compliance.verdict)
            years[years.count - 1].tally.add(compliance.verdict)
        }
        self.days = days
        self.total = total
        self.years = years
    }
}
