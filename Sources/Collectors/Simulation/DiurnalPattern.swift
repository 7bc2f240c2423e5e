import Foundation

/// How a parameter's level moves through the local day: a shape and how far it swings.
///
/// ```swift
/// let ozone = DiurnalPattern(.afternoonPeak, amplitude: 0.45)
/// ozone.factor(atHour: 15.5)   // 1.45: the late-afternoon maximum
/// ozone.factor(atHour: 3.5)    // 0.55: the pre-dawn minimum
/// ```
public struct DiurnalPattern: Sendable, Hashable {
    /// Where in the day the level is high.
    public enum Shape: String, Sendable, Hashable, CaseIterable {
        /// One peak at 15:30, lowest at 03:30: photochemical ozone, air temperature, wind speed.
        case afternoonPeak
        /// Peaks at 08:00 and 20:00, lows at 02:00 and 14:00: traffic NO₂, CO and particles, with
        /// the afternoon dilution of a deep mixing layer.
        case rushHours
        /// One broad peak at 13:00: process load of a plant, wastewater flow, photosynthetic oxygen.
        case daytime
        /// One peak at 05:00: relative humidity, and what rises as the air cools.
        case earlyMorning
        /// No daily cycle.
        case flat
    }

    /// The shape.
    public var shape: Shape
    /// The relative swing: the factor runs between `1 - amplitude` and `1 + amplitude`.
    public var amplitude: Double

    /// Creates a pattern.
    public init(_ shape: Shape, amplitude: Double) {
        self.shape = shape
        self.amplitude = Swift.max(0, Swift.min(0.9, amplitude))
    }

    /// The factor on the base level at a local hour of the day (0 ..< 24, fractional).
    public func factor(atHour hour: Double) -> Double {
        1 + amplitude * curve(hour)
    }

    /// The shape's curve, between -1 and 1.
    public func curve(_ hour: Double) -> Double {
        switch shape {
        case .afternoonPeak: cos(2 * .pi * (hour - 15.5) / 24)
        case .rushHours: cos(4 * .pi * (hour - 8) / 24)
        case .daytime: cos(2 * .pi * (hour - 13) / 24)
        case .earlyMorning: cos(2 * .pi * (hour - 5) / 24)
        case .flat: 0
        }
    }

    /// The hour of the day at which the level peaks (the first, for two peaks); `nil` when flat.
    public var peakHour: Double? {
        switch shape {
        case .afternoonPeak: 15.5
        case .rushHours: 8
        case .daytime: 13
        case .earlyMorning: 5
        case .flat: nil
        }
    }
}
