import Foundation

/// A unit of measurement that the catalogue and the importers understand.
///
/// Each unit belongs to a ``Dimension``; values convert only within one dimension, by a factor
/// (temperature is the one offset-free exception we need: only °C is supported).
/// Gas concentrations in ppm/ppb are not convertible without a molar mass and a reference
/// temperature, so they are not offered here.
public enum MeasurementUnit: String, Sendable, Hashable, Codable, CaseIterable {
    case nanogramPerCubicMetre = "ng/m3"
    case microgramPerCubicMetre = "µg/m3"
    case milligramPerCubicMetre = "mg/m3"
    case microgramPerLitre = "µg/L"
    case milligramPerLitre = "mg/L"
    case litrePerSecond = "L/s"
    case cubicMetrePerSecond = "m3/s"
    case cubicMetrePerHour = "m3/h"
    case cubicMetrePerDay = "m3/d"
    case percent = "%"
    case dimensionless = "1"
    case degreeCelsius = "°C"
    case pascal = "Pa"
    case hectopascal = "hPa"
    case kilopascal = "kPa"
    case megapascal = "MPa"
    case metrePerSecond = "m/s"
    case degree = "deg"
    case microsiemensPerCentimetre = "µS/cm"
    case millisiemensPerMetre = "mS/m"
    case nephelometricTurbidityUnit = "NTU"
    case decibel = "dB"
    case squareMetre = "m2"

    /// What a unit measures; conversion is possible only within one dimension.
    public enum Dimension: String, Sendable {
        case massPerVolume, volumeFlow, fraction, temperature, pressure, speed, angle, conductivity, turbidity,
            level, area
    }

    /// The dimension of this unit.
    public var dimension: Dimension {
        switch self {
        case .nanogramPerCubicMetre, .microgramPerCubicMetre, .milligramPerCubicMetre, .microgramPerLitre,
            .milligramPerLitre:
            .massPerVolume
        case .litrePerSecond, .cubicMetrePerSecond, .cubicMetrePerHour, .cubicMetrePerDay: .volumeFlow
        case .percent, .dimensionless: .fraction
        case .degreeCelsius: .temperature
        case .pascal, .hectopascal, .kilopascal, .megapascal: .pressure
        case .metrePerSecond: .speed
        case .degree: .angle
        case .microsiemensPerCentimetre, .millisiemensPerMetre: .conductivity
        case .nephelometricTurbidityUnit: .turbidity
        case .decibel: .level
        case .squareMetre: .area
        }
    }

    /// The factor to this dimension's base unit (µg/m³ = mg/m³ / 1000 = mg/L / 1000 for mass per volume,
    /// m³/s for flow, Pa for pressure, µS/cm for conductivity).
    var factorToBase: Double {
        switch self {
        case .nanogramPerCubicMetre: 1e-3
        case .microgramPerCubicMetre: 1
        case .milligramPerCubicMetre: 1e3
        case .microgramPerLitre: 1e3  // 1 µg/L = 1 mg/m³
        case .milligramPerLitre: 1e6  // 1 mg/L = 1 g/m³
        case .litrePerSecond: 1e-3
        case .cubicMetrePerSecond: 1
        case .cubicMetrePerHour: 1.0 / 3600
        case .cubicMetrePerDay: 1.0 / 86400
        case .percent: 1
        case .dimensionless: 100  // a fraction 0…1 is 0…100 %
        case .degreeCelsius, .metrePerSecond, .degree, .nephelometricTurbidityUnit, .decibel, .squareMetre: 1
        case .pascal: 1
        case .hectopascal: 100
        case .kilopascal: 1000
        case .megapascal: 1e6
        case .microsiemensPerCentimetre: 1
        case .millisiemensPerMetre: 10  // 1 mS/m = 10 µS/cm
        }
    }

    /// Parses a unit as people write it: `ug/m3`, `μg/m³`, `mg/l`, `m³/h`, `℃`…
    public init?(parsing text: String) {
        // The common spellings without Foundation's string searches (a page of a thousand
        // stations parses thousands of units): each unit as stored, as printed, with a Greek mu.
        if let known = MeasurementUnit.spellings[text] {
            self = known
            return
        }
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        for (from, to) in [("³", "3"), ("²", "2"), ("μ", "µ"), ("℃", "°C"), ("ug", "µg"), ("uS", "µS")] {
            t = t.replacingOccurrences(of: from, with: to)
        }
        if let exact = MeasurementUnit(rawValue: t) {
            self = exact
            return
        }
        let folded = t.lowercased()
        if let match = MeasurementUnit.allCases.first(where: { $0.rawValue.lowercased() == folded }) {
            self = match
            return
        }
        switch folded {
        case "c", "degc", "celsius": self = .degreeCelsius
        case "ph", "", "-", "none": self = .dimensionless
        default: return nil
        }
    }

    /// The factor that turns a value in `self` into a value in `target`, or `nil` when the two
    /// measure different things.
    public func factor(to target: MeasurementUnit) -> Double? {
        guard dimension == target.dimension else { return nil }
        return factorToBase / target.factorToBase
    }

    /// The unit as printed for people, with superscripts.
    public var symbol: String {
        switch self {
        case .dimensionless: ""
        case .nanogramPerCubicMetre: "ng/m³"
        case .microgramPerCubicMetre: "µg/m³"
        case .milligramPerCubicMetre: "mg/m³"
        case .cubicMetrePerSecond: "m³/s"
        case .cubicMetrePerHour: "m³/h"
        case .cubicMetrePerDay: "m³/d"
        case .squareMetre: "m²"
        default: rawValue
        }
    }

    /// Exact spellings ``init(parsing:)`` answers at once: each unit's raw value and symbol, and
    /// both with a Greek mu (μ) for the micro sign (µ); what the slow path makes of them too.
    private static let spellings: [String: MeasurementUnit] = {
        var out: [String: MeasurementUnit] = [:]
        for unit in MeasurementUnit.allCases where unit != .dimensionless {
            for text in [unit.rawValue, unit.symbol] {
                out[text] = unit
                out[text.replacingOccurrences(of: "µ", with: "μ")] = unit
            }
        }
        return out
    }()
}
