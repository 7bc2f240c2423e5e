/// Corrects a measured flue-gas concentration to the reference O2 content of its standard.
///
///     C_ref = C_meas × (21 − O2_ref) / (21 − O2_meas)
///
/// Both concentration and O2 are on a dry basis at standard state (HJ 75-2017; GB 13223 §5; DB37/2375-2019
/// §5.2). Compliance compares corrected concentrations with limits; mass emissions use the measured ones.
///
/// ```swift
/// try OxygenCorrection.corrected(40, measuredOxygen: 9, referenceOxygen: 6)  // 50
/// ```
public enum OxygenCorrection {
    /// The O2 content from which a correction is refused: near 21 % the factor explodes and the source is
    /// shut down or drawing air. 20.5 % follows peer code; it is our choice, not a rule of a standard.
    public static let defaultCutoff = 20.5

    /// The concentration corrected to the reference O2 content.
    ///
    /// - Parameters:
    ///   - measured: The measured dry, standard-state concentration (mg/m³).
    ///   - measuredOxygen: The measured dry O2 content, percent.
    ///   - referenceOxygen: The standard's reference O2 content, percent.
    ///   - cutoff: The O2 content at and above which no correction is made.
    /// - Returns: The corrected concentration, in the unit of `measured`.
    /// - Throws: ``StandardsError`` when the O2 content is at or above the cut-off, or either O2 is out of 0–21 %.
    public static func corrected(
        _ measured: Double, measuredOxygen: Double, referenceOxygen: Double, cutoff: Double = defaultCutoff
    ) throws(StandardsError) -> Double {
        guard (0..<21).contains(referenceOxygen), measuredOxygen >= 0 else {
            throw StandardsError(.invalidValue, "O2 must lie in 0–21 % (measured \(measuredOxygen) %, reference \(referenceOxygen) %)")
        }
        guard measuredOxygen < cutoff else {
            throw StandardsError(
                .notApplicable, "O2 \(measuredOxygen) % is at or above the \(cutoff) % cut-off: no correction (source stopped or drawing air)")
        }
        return measured * (21 - referenceOxygen) / (21 - measuredOxygen)
    }

    /// The factor (21 − O2_ref) / (21 − O2_meas) a concentration is multiplied by, or `nil` at or above the cut-off.
    public static func factor(measuredOxygen: Double, referenceOxygen: Double, cutoff: Double = defaultCutoff) -> Double? {
        guard measuredOxygen >= 0, measuredOxygen < cutoff, (0..<21).contains(referenceOxygen) else { return nil }
        return (21 - referenceOxygen) / (21 - measuredOxygen)
    }
}
