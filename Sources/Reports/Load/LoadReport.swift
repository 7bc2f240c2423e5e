public import Monitoring

/// Emission loads of outlets and stacks over a period, by group and pollutant, and the progress
/// of each yearly allowance (序时进度): load to date, the allowance pro-rated to date, the share
/// used, the year-end projection and the verdict.
public struct LoadReport: Sendable {
    /// The pollutants whose loads are counted, in the order reports list them.
    public static let pollutants = ["COD", "NH3-N", "TN", "TP", "SO2", "NOx", "Dust"]

    /// One group's load of one pollutant over the period.
    public struct Row: Sendable {
        /// The station id, or the label value (`(none)` for stations without the label).
        public let group: String
        /// The stations in it.
        public let stations: [Station]
        /// The pollutant (catalogue id).
        public let pollutant: String
        /// The group's load of it over the period.
        public let tally: LoadTally
    }

    /// One station's flow over the period.
    public struct Flow: Sendable {
        /// The outlet or stack.
        public let station: Station
        /// The mean flow, m³/h, over the hours with a measured or substituted flow (stopped hours as 0).
        public let cubicMetresPerHour: Double?
    }

    /// What is judged of an allowance.
    public enum Verdict: String, Sendable {
        /// The load to date is within the allowance pro-rated to date.
        case onSchedule = "on-schedule"
        /// The load to date is above it.
        case behind
        /// The definition gives no amount for the year.
        case noAllowance = "no-allowance"
    }

    /// One allowance's progress through the period's end.
    public struct Progress: Sendable {
        /// The definition judged.
        public let allowance: YearlyAllowance
        /// The stations of its scope that report its pollutant and flow.
        public let stations: [Station]
        /// The year judged: the year of the period's last day.
        public let year: Int
        /// The year's amount, kg; nil when the definition gives none.
        public let annual: Double?
        /// The elapsed share of the year at the period's end (elapsed days / days in the year).
        public let elapsedFraction: Double
        /// Load from 1 January through the period's end.
        public let tally: LoadTally
        /// The allowance pro-rated to date, kg.
        public var proRated: Double? { annual.map { LoadAllowance(annualPermit: $0).proRated(elapsedFraction) } }
        /// Load to date over the pro-rated allowance.
        public var share: Double? { annual.flatMap { LoadAllowance(annualPermit: $0).usage(actualToDate: tally.load.total, elapsedFraction: elapsedFraction) } }
        /// The year-end load if the pace holds, kg.
        public var projected: Double? { LoadAllowance.projectedYearEnd(actualToDate: tally.load.total, elapsedFraction: elapsedFraction) }
        /// On schedule when the load to date is within the pro-rated allowance, else behind.
        public var verdict: Verdict {
            guard let proRated else { return .noAllowance }
            return tally.load.total <= proRated ? .onSchedule : .behind
        }
    }

    /// The period's first and last local dates.
    public let from: CivilTime
    public let to: CivilTime
    /// The instant the loads run to: the end of ``to``, or now when ``to`` is today.
    public let end: Int64
    /// Whether ``to`` is today, still in progress.
    public let partialDay: Bool
    /// The zone the dates are local to (the first station's).
    public let timeZone: String
    /// How ``rows`` group the stations.
    public let grouping: LoadGrouping
    /// Loads by group and pollutant, in group order then ``pollutants`` order.
    public let rows: [Row]
    /// Mean flows of the stations reported.
    public let flows: [Flow]
    /// Each allowance of the pollutants asked for.
    public let progress: [Progress]
}
