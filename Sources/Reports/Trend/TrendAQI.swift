public import Monitoring

/// An hour's or a day's AQI at an ambient-air site.
public struct TrendAQI: Sendable, Hashable {
    /// The first instant of the hour or local day.
    public var from: Int64
    /// Its end (exclusive).
    public var to: Int64
    /// The AQI, or `nil` when the hour or day is not valid (too few valid readings).
    public var aqi: Int?
    /// The primary pollutants (AQI above 50).
    public var primary: [AQIPollutant]
    /// The standard applied (the HJ 633 edition in force).
    public var standard: AQIStandard

    /// The AQI's level.
    public var category: AQICategory? { aqi.map { AQICategory(aqi: $0) } }
}

/// A local day's class of a surface-water section.
public struct TrendClass: Sendable, Hashable {
    /// The first instant of the local day.
    public var from: Int64
    /// Its end (exclusive).
    public var to: Int64
    /// The local date.
    public var date: CivilTime
    /// The class of the day's mean values (GB 3838-2002), or `nil` without data.
    public var sectionClass: WaterQualityClass?
    /// Whether the class meets the target; `nil` without a class or a target.
    public var meetsTarget: Bool?
    /// The parameters that set the class (worst ones).
    public var determining: [String]
}
