public import Monitoring

/// A daily indicator of the HJ 633 daily report: the 24-h means of SO2, NO2, PM10, PM2.5 and CO, the
/// daily maximum 8-h O3 (MDA8) and, in HJ 633-2012's daily report only, the daily maximum 1-h O3.
public enum AirIndicator: Int, Sendable, Hashable, CaseIterable {
    case so2, no2, pm10, pm25, co, o3MDA8, o3Max1h

    /// The six indicators every day needs (HJ 633-2026's daily report; HJ 633-2012 adds ``o3Max1h``).
    public static let basic: [AirIndicator] = [.so2, .no2, .pm10, .pm25, .co, .o3MDA8]

    /// The pollutant.
    public var pollutant: AQIPollutant {
        switch self {
        case .so2: .so2
        case .no2: .no2
        case .pm10: .pm10
        case .pm25: .pm25
        case .co: .co
        case .o3MDA8, .o3Max1h: .o3
        }
    }

    /// The averaging period the AQI tables and GB 3095 index it by.
    public var period: AveragingPeriod {
        switch self {
        case .o3MDA8: .eightHours
        case .o3Max1h: .hour
        default: .day
        }
    }

    /// `PM2.5:24h`, `O3:mda8`, `O3:max1h`.
    public var key: String {
        switch self {
        case .o3MDA8: "O3:mda8"
        case .o3Max1h: "O3:max1h"
        default: "\(pollutant.rawValue):24h"
        }
    }

    /// The unit of its values: mg/m³ for CO, µg/m³ for the rest.
    public var unit: String { self == .co ? "mg/m³" : "µg/m³" }
}
