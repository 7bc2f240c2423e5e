public import Foundation

/// One concentration to index: a pollutant, its averaging period and its value in the standard's unit.
///
/// Units are the standard's own: µg/m³ (CO mg/m³) for HJ 633; µg/m³ for PM, ppm for O3 and CO, and ppb
/// for SO2 and NO2 for the EPA (see ``AQIBreakpointTable/unit``).
public struct AQIConcentration: Sendable, Hashable {
    /// The pollutant.
    public var pollutant: AQIPollutant
    /// The averaging period.
    public var period: AveragingPeriod
    /// The concentration, exactly as measured (the standard's rounding is applied when indexing).
    public var value: Decimal

    /// Creates a concentration from an exact decimal.
    public init(_ pollutant: AQIPollutant, _ period: AveragingPeriod, _ value: Decimal) {
        self.pollutant = pollutant
        self.period = period
        self.value = value
    }

    /// Creates a concentration from a reading, through its shortest decimal form (2.2 stays 2.2).
    public init(_ pollutant: AQIPollutant, _ period: AveragingPeriod, reading: Double) {
        self.init(pollutant, period, Decimal(shortestOf: reading))
    }

    /// `PM2.5:24h`: the pollutant and period as the command line writes them.
    public var key: String { "\(pollutant.rawValue):\(period.rawValue)" }
}
