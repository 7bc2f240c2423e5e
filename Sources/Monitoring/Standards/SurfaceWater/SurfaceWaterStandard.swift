public import Foundation

/// A surface-water quality standard: the class limits of each parameter, and single-factor assessment.
///
/// ```swift
/// let gb3838 = SurfaceWaterStandard.gb3838_2002
/// let a = try gb3838.assess([("COD", 18), ("NH3-N", 0.9), ("TP", 0.12)], waterBody: .river, target: .classII)
/// a.sectionClass        // .classIII, the worst of COD III, NH3-N III, TP III
/// a.exceedances.map(\.parameter)  // ["COD", "NH3-N", "TP"]
/// ```
///
/// Single-factor evaluation (单因子评价, GB 3838-2002 §5; 《地表水环境质量评价办法（试行）》): each parameter
/// gets the best class whose limit it meets; the section's class is the worst among the parameters that
/// count for it (all basic items but water temperature, total nitrogen and fecal coliform).
public struct SurfaceWaterStandard: Sendable {
    /// The document, such as `GB 3838-2002`.
    public var name: String
    /// The limits; a parameter may have one row per water body (total phosphorus).
    public var limits: [SurfaceWaterLimit]
    private var aliases: [String: String]

    /// GB 3838-2002 《地表水环境质量标准》, Table 1 basic items.
    public static let gb3838_2002 = SurfaceWaterStandard(
        name: "GB 3838-2002", limits: SurfaceWaterStandard.gb3838Limits, aliases: SurfaceWaterStandard.gb3838Aliases)

    /// The standard's id for a parameter name: the catalogue's ids and aliases (`NH3N`, `CODcr`, `Cr(VI)`),
    /// the standard's own ids, and a few English names, case-insensitively; `nil` if the standard lacks it.
    public func parameterID(_ name: String) -> String? {
        let candidates = [name, ParameterCatalogue.standard.named(name)?.id, aliases[name.lowercased()]].compactMap { $0 }
        for candidate in candidates {
            if let row = limits.first(where: { $0.parameter.lowercased() == candidate.lowercased() }) { return row.parameter }
        }
        return nil
    }

    /// The limits of a parameter for a water body, or `nil` when the standard has none for it there
    /// (total nitrogen in a river).
    public func limit(_ parameter: String, waterBody: WaterBodyType) -> SurfaceWaterLimit? {
        guard let id = parameterID(parameter) else { return nil }
        return limits.first { $0.parameter == id && $0.waterBodies.contains(waterBody) }
    }

    /// Assesses one value per parameter against the standard.
    ///
    /// - Parameters:
    ///   - values: Parameter names (see ``parameterID(_:)``) with values in the limit's unit (mg/L; fecal
    ///     coliform 个/L; pH dimensionless), in the order to report them.
    ///   - waterBody: River, or lake/reservoir (other total-phosphorus limits; total nitrogen assessed).
    ///   - target: The class the section must meet, if any: the parameters worse than it are exceedances.
    /// - Returns: Each parameter's class, the section class and the exceedances of the target.
    /// - Throws: ``StandardsError`` for a parameter the standard lacks (water temperature cannot be
    ///   classed from one value), a negative value, or a parameter given twice.
    public func assess(
        _ values: [(parameter: String, value: Decimal)], waterBody: WaterBodyType = .river, target: WaterQualityClass? = nil
    ) throws(StandardsError) -> WaterQualityAssessment {
        var results: [WaterQualityAssessment.ParameterResult] = []
        for (name, value) in values {
            guard let id = parameterID(name) else {
                let isTemperature = ["wt", "water-temperature"].contains(name.lowercased())
                let hint = isTemperature ? " (water temperature is limited by its change, not by a value)" : ""
                throw StandardsError(.unknownParameter, "\(name) is not a basic item of \(self.name) Table 1\(hint)")
            }
            guard !results.contains(where: { $0.parameter == id }) else { throw StandardsError(.duplicateValue, "\(id) is given twice") }
            guard value >= 0 else { throw StandardsError(.invalidValue, "\(id) = \(value): a value cannot be negative") }
            let row = limits.first { $0.parameter == id && $0.waterBodies.contains(waterBody) }
            results.append(.init(parameter: id, value: value, limit: row, waterClass: row?.classify(value)))
        }
        let counted = results.filter { $0.limit?.countsForSectionClass == true }
        let section = counted.compactMap(\.waterClass).max()
        var exceedances: [WaterQualityAssessment.Exceedance] = []
        if let target {
            for r in counted {
                guard let row = r.limit, let cls = r.waterClass, cls > target, let requirement = row.requirement(for: target) else { continue }
                exceedances.append(
                    .init(
                        parameter: r.parameter, value: r.value, waterClass: cls, targetRequirement: requirement,
                        multiple: row.exceedanceMultiple(of: r.value, over: target)))
            }
        }
        return WaterQualityAssessment(
            standard: name, waterBody: waterBody, target: target, parameters: results, sectionClass: section, exceedances: exceedances)
    }
}
