/// Load arithmetic: concentration × flow to kilograms.
///
/// Water: mg/L ≡ g/m³, so C [mg/L] × V [m³] × 10⁻³ = kg (20 000 m³/d at COD 30 mg/L is 600 kg/d).
/// Flue gas: C [mg/m³] × Q [m³/h] × 10⁻⁶ = kg/h (35 mg/m³ × 2 000 000 m³/h is 70 kg/h), with the **measured**
/// (not O2-corrected) dry standard-state concentration and the dry standard-state flow.
///
/// Loads are plain `Double`s: the standards prescribe no rounding here.
public enum EmissionLoad {
    /// The mass in kilograms of a volume of water at a concentration: C [mg/L] × V [m³] × 10⁻³.
    public static func waterLoad(concentration: Double, volume: Double) -> Double { concentration * volume * 1e-3 }

    /// The mass in kilograms discharged over a set of periods: Σ Cᵢ·Vᵢ × 10⁻³ (mg/L, m³).
    ///
    /// This is the flow-weighted mean × the total volume, not the arithmetic mean × the volume.
    public static func waterLoad(_ samples: [(concentration: Double, volume: Double)]) -> Double {
        samples.reduce(0) { $0 + $1.concentration * $1.volume } * 1e-3
    }

    /// The flow-weighted mean Σ Cᵢ·Vᵢ / Σ Vᵢ, or `nil` when nothing flowed (HJ 356-2019 §7 [M]).
    public static func flowWeightedMean(_ samples: [(concentration: Double, volume: Double)]) -> Double? {
        let volume = samples.reduce(0) { $0 + $1.volume }
        guard volume > 0 else { return nil }
        return samples.reduce(0) { $0 + $1.concentration * $1.volume } / volume
    }

    /// The mass rate in kg/h of a flue gas: C [mg/m³] × Q [m³/h] × 10⁻⁶.
    public static func fluegasRate(concentration: Double, flow: Double) -> Double { concentration * flow * 1e-6 }

    /// The mass rate in kg/h of any concentration and flow in catalogue units (mg/L with L/s, mg/m³ with m³/s…).
    ///
    /// - Parameters:
    ///   - concentration: The concentration, in `unit` (a mass per volume).
    ///   - unit: Its unit.
    ///   - flow: The flow, in `flowUnit` (a volume per time).
    ///   - flowUnit: Its unit.
    /// - Returns: kg/h, or `nil` when the units do not measure a concentration and a flow.
    public static func rate(concentration: Double, unit: MeasurementUnit, flow: Double, flowUnit: MeasurementUnit) -> Double? {
        guard let toMgPerCubicMetre = unit.factor(to: .milligramPerCubicMetre),
            let toCubicMetresPerHour = flowUnit.factor(to: .cubicMetrePerHour)
        else { return nil }
        return concentration * toMgPerCubicMetre * flow * toCubicMetresPerHour * 1e-6
    }

    /// kg/h to kg/d over `hours` hours of operation a day (24 by default).
    public static func perDay(kilogramsPerHour: Double, hours: Double = 24) -> Double { kilogramsPerHour * hours }

    /// kg/h to tonnes a year over `hours` hours of operation (8 760 by default).
    public static func tonnesPerYear(kilogramsPerHour: Double, hours: Double = 8_760) -> Double { kilogramsPerHour * hours / 1_000 }
}
