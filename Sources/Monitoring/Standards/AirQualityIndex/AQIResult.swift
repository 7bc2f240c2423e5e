/// The air quality index of a set of concentrations: each IAQI, the AQI, the primary pollutant(s) and the category.
public struct AQIResult: Sendable, Hashable {
    /// The standard applied.
    public var standard: AQIStandard
    /// One IAQI per concentration, in the order given.
    public var iaqis: [IAQI]
    /// The AQI: the largest IAQI, or `nil` when no value was indexed.
    public var aqi: Int?
    /// The pollutants whose IAQI equals the AQI, in the order given (ties list all).
    ///
    /// HJ 633: empty when the AQI is 50 or less (首要污染物 only when AQI > 50). EPA: the "main pollutant"
    /// whatever the AQI.
    public var primaryPollutants: [AQIPollutant]
    /// The level and category of the AQI, or `nil` when there is no AQI.
    public var category: AQICategory?
    /// HJ 633-2012 only: the pollutants with an IAQI above 100 (超标污染物, §3.4); `nil` for the standards
    /// that do not define it (HJ 633-2026 deleted it).
    public var nonAttainmentPollutants: [AQIPollutant]?
    /// Pollutants given but not indexed by any of their values (for example 1-h SO2 above 800 µg/m³ under
    /// HJ 633-2012 without the 24-h average): they are missing from the AQI.
    public var unindexedPollutants: [AQIPollutant]

    /// Creates a result.
    public init(
        standard: AQIStandard, iaqis: [IAQI], aqi: Int?, primaryPollutants: [AQIPollutant], category: AQICategory?,
        nonAttainmentPollutants: [AQIPollutant]?, unindexedPollutants: [AQIPollutant]
    ) {
        self.standard = standard
        self.iaqis = iaqis
        self.aqi = aqi
        self.primaryPollutants = primaryPollutants
        self.category = category
        self.nonAttainmentPollutants = nonAttainmentPollutants
        self.unindexedPollutants = unindexedPollutants
    }

    /// The IAQI of a pollutant and period, if it was given.
    public func iaqi(_ pollutant: AQIPollutant, _ period: AveragingPeriod) -> IAQI? {
        iaqis.first { $0.pollutant == pollutant && $0.period == period }
    }
}
