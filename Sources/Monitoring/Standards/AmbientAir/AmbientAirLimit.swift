public import Foundation

/// The grade of an ambient limit: grade 1 for class-1 zones (nature reserves, national parks…), grade 2
/// for class-2 zones (residential, commercial, industrial and rural areas).
public enum AmbientGrade: Int, Sendable, Hashable, Codable, CaseIterable {
    /// 一级浓度限值, for class-1 zones.
    case one = 1
    /// 二级浓度限值, for class-2 zones.
    case two = 2
}

/// One concentration limit of an ambient air quality standard.
public struct AmbientAirLimit: Sendable, Hashable {
    /// The pollutant's catalogue id: `SO2`, `NO2`, `CO`, `O3`, `PM10`, `PM2.5`, `TSP`, `NOx`, `Pb`, `BaP`.
    public var pollutant: String
    /// The averaging period; for O3 ``AveragingPeriod/eightHours`` is the daily maximum 8-h average.
    public var period: AveragingPeriod
    /// The grade.
    public var grade: AmbientGrade
    /// The limit: a value above it exceeds.
    public var limit: Decimal
    /// `µg/m³` or `mg/m³` (CO).
    public var unit: String
    /// Where the number comes from.
    public var source: StandardSource

    /// Creates a limit.
    public init(pollutant: String, period: AveragingPeriod, grade: AmbientGrade, limit: Decimal, unit: String, source: StandardSource) {
        self.pollutant = pollutant
        self.period = period
        self.grade = grade
        self.limit = limit
        self.unit = unit
        self.source = source
    }

    /// Whether a concentration (in ``unit``) exceeds the limit; a value equal to the limit complies.
    public func isExceeded(by value: Decimal) -> Bool { value > limit }

    /// Whether a reading exceeds the limit, compared through its shortest decimal form.
    public func isExceeded(by reading: Double) -> Bool { Decimal(shortestOf: reading) > limit }
}
