import Foundation

/// A pollutant of the air quality index, named by its catalogue id (`PM2.5`, `PM10`, `SO2`, `NO2`, `CO`, `O3`).
public enum AQIPollutant: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// Fine particulate matter.
    case pm25 = "PM2.5"
    /// Inhalable particulate matter.
    case pm10 = "PM10"
    /// Sulphur dioxide.
    case so2 = "SO2"
    /// Nitrogen dioxide.
    case no2 = "NO2"
    /// Carbon monoxide.
    case co = "CO"
    /// Ozone.
    case o3 = "O3"

    /// Parses a pollutant name case-insensitively; `pm25` and `PM2_5` are PM2.5.
    public init?(parsing text: some StringProtocol) {
        let folded = text.lowercased().replacingOccurrences(of: "_", with: ".")
        switch folded {
        case "pm2.5", "pm25": self = .pm25
        case "pm10": self = .pm10
        case "so2": self = .so2
        case "no2": self = .no2
        case "co": self = .co
        case "o3": self = .o3
        default: return nil
        }
    }

    public var description: String { rawValue }
}
