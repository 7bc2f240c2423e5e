public import Foundation
public import Monitoring
public import Store

/// What a rule checks.
public enum RuleCondition: Sendable, Hashable {
    /// A value above or below a limit: a single reading, or a valid hourly or daily mean.
    case threshold(Threshold)
    /// A change faster than `maxChange` per `per` seconds between consecutive valid readings.
    case rateOfChange(maxChange: Double, per: Int64)
    /// `readings` consecutive valid readings within `tolerance` of each other: a stuck sensor.
    case stuck(readings: Int, tolerance: Double)
    /// Readings carrying one of these flags (fault, maintenance, calibration, stopped…).
    case deviceFlag(Set<DataFlag>)
    /// Fewer valid readings in an hour or a day than `minimum` × the readings the station's
    /// interval promises: flagged readings (calibration, maintenance…) and gaps both count against it.
    case completeness(basis: Threshold.Basis, minimum: Double)
    /// The section class by GB 3838-2002 (the worst class of the daily means of its basic items)
    /// worse than a target class: `target` or, when nil, the station's `target_class` label.
    /// One instance per station, judged each day.
    case waterClass(target: WaterQualityClass?, waterBody: WaterBodyType)
    /// The daily AQI (24-h means of PM2.5, PM10, SO2, NO2 and CO, the daily maximum 8-h O3, and
    /// under HJ 633-2012 also the daily maximum 1-h O3) at or above a level (1–6). `standard` nil: the HJ 633 edition in force on the day. One instance
    /// per station, judged each day.
    case airQuality(standard: AQIStandard?, level: Int)
    /// Progress against a yearly load allowance for a set of stations: the cumulative load
    /// (Σ hourly mean concentration × hourly mean flow) against the pro-rated allowance, and the
    /// year-end projection against the allowance. One instance per rule (station `*`), judged each day.
    case reductionTarget(ReductionGoal)
    /// Nothing received from the station for `after` seconds, or `multiple` × its expected
    /// interval. One instance per station; never for a station that never reported or is retired.
    case noData(after: Int64?, multiple: Double)
    /// The station's clock is wrong: it sent `faults` frames within `window` seconds whose times
    /// no working clock gives (older than the collector's `max_past`, further ahead than its
    /// `max_future`, not a date), as the collector reports them. A reading stored from the
    /// station (its time within bounds) is a correct time; `clear_for` of them resolve the alert.
    /// One instance per station, judged on arrival time: the readings' own times are what is wrong.
    case clock(faults: Int, window: Int64)
    /// A rectification case past its deadline (a local date of `zone`, inclusive) and not done
    /// or closed, from the case register: one instance per case (station `*`, parameter the
    /// case's id), judged on each tick; `sources` empty takes every source.
    case caseOverdue(sources: Set<CaseSource>, zone: TimeZone)
}

/// A limit on a value, and when the alert clears.
public struct Threshold: Sendable, Hashable {
    /// What is compared.
    public enum Basis: String, Sendable, Hashable, CaseIterable {
        /// Each reading as committed.
        case reading
        /// The mean of the valid readings of a station-local clock hour, when the hour is valid.
        case hour
        /// The mean of the valid hourly means of a station-local day, when the day is valid.
        case day
    }

    /// Where the limit comes from.
    public enum Source: Sendable, Hashable {
        /// Fixed numbers, in the parameter's stored unit.
        case fixed(above: Double?, below: Double?)
        /// The station's own limit for the parameter in sensors/ (its `limit:` entry).
        case station
        /// The GB 3095 limit of the edition in force on the day in question, for this grade.
        case ambient(grade: AmbientGrade)
    }

    /// What is compared.
    public var basis: Basis
    /// The limit.
    public var source: Source
    /// A firing alert resolves only once the value is at or below this fraction of an upper
    /// limit (at or above `2 − fraction` of a lower one): hysteresis. 1 clears at the limit.
    public var clearFraction: Double
    /// A valid hour needs this share of its expected readings to be valid (45 of 60 minutes).
    public var hourCoverage: Double
    /// A valid day needs this many valid hours (GB 3095 Table 4: 20).
    public var minimumHours: Int
    /// Flue-gas limits hold at a reference O2 content: hourly means are corrected with the
    /// station's O2 hourly mean of the same hour before they are compared (HJ 76-2017: the
    /// exceedance alarm is on the corrected hourly mean). `nil`: no correction.
    public var oxygenReference: OxygenReference?
    /// The daily mean's weighting: the plain mean of the valid hourly means, or the flow-weighted
    /// mean Σ Cₕ·Qₕ / Σ Qₕ over the hours with both a valid mean and a valid flow (HJ 355/356-2019
    /// water outlets, GB 18918's daily limits).
    public var average: Average = .arithmetic

    /// How a daily mean weighs its hours.
    public enum Average: Sendable, Hashable {
        /// Every valid hour alike.
        case arithmetic
        /// Each hour by the volume discharged in it: the flow parameter measured beside it.
        case flowWeighted(flow: String)
    }

    /// The reference O2 content a rule corrects to.
    public enum OxygenReference: Sendable, Hashable {
        /// A fixed percentage, such as 6 for coal-fired boilers.
        case percent(Double)
        /// The station's `reference_o2` label (`6%`).
        case station
    }

    /// Creates a threshold.
    public init(basis: Basis, source: Source, clearFraction: Double = 1, hourCoverage: Double = 0.75, minimumHours: Int = 20) {
        self.basis = basis
        self.source = source
        self.clearFraction = clearFraction
        self.hourCoverage = hourCoverage
        self.minimumHours = minimumHours
    }
}

/// A yearly load allowance (from targets/, the same definition `envmon report load` reads) and
/// when to warn about it.
public struct ReductionGoal: Sendable, Hashable {
    /// The pollutant (catalogue id), such as COD or SO2.
    public var pollutant: String
    /// The flow parameter measured beside it (Q-water, Q-gas).
    public var flow: String
    /// The allowance by year: a year it gives no amount for is not judged.
    public var allowance: YearlyAllowance
    /// Warn when the cumulative load reaches this share of the allowance pro-rated to date.
    public var warnAt: Double
    /// Warn when the year-end projection reaches this share of the allowance.
    public var projectAt: Double

    /// Creates a goal for an allowance's pollutant and flow.
    public init(allowance: YearlyAllowance, warnAt: Double = 0.9, projectAt: Double = 1.0) {
        self.pollutant = allowance.pollutant
        self.flow = allowance.flow
        self.allowance = allowance
        self.warnAt = warnAt
        self.projectAt = projectAt
    }
}
