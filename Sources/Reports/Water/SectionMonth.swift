public import Foundation
public import Monitoring

/// One section's month: the monthly mean of each parameter's valid readings, classified by GB 3838-2002
/// single-factor evaluation under 《地表水环境质量评价办法（试行）》 (reference/standards.md §3.2).
public struct SectionMonth: Sendable {
    /// One parameter's month.
    public struct Item: Sendable {
        /// The standard's parameter id (`COD`, `NH3-N`, `DO`…).
        public let parameter: String
        /// The mean of the month's valid readings, in the standard's unit (mg/L; pH dimensionless).
        public let mean: Double
        /// The valid readings it averages.
        public let readings: Int
    }

    /// `2026-06`.
    public let month: String
    /// The first and last local dates evaluated (the month, clipped to the period).
    public let first: CivilTime
    public let last: CivilTime
    /// The parameters with valid readings that GB 3838 Table 1 limits, in the station's order.
    public let items: [Item]
    /// The assessment of the items (section class, each item's class, exceedances of the target).
    public let assessment: WaterQualityAssessment?

    /// The section class; `nil` when no evaluated item has data.
    public var sectionClass: WaterQualityClass? { assessment?.sectionClass }

    /// The items that entered the section class.
    public var evaluatedItems: [String] {
        assessment?.parameters.filter(\.countsForSectionClass).map(\.parameter) ?? []
    }

    /// The items of the evaluation method's list (Table 1 but water temperature, TN and fecal coliform)
    /// that the section did not measure this month.
    public var unmeasuredItems: [String] {
        let evaluated = Set(evaluatedItems)
        var seen: Set<String> = []
        return SurfaceWaterStandard.gb3838_2002.limits.filter(\.countsForSectionClass).map(\.parameter).filter {
            !evaluated.contains($0) && seen.insert($0).inserted
        }
    }

    /// Total nitrogen of a lake or reservoir, assessed apart from the section class.
    public var totalNitrogen: WaterQualityAssessment.ParameterResult? {
        assessment?.parameters.first { $0.parameter == "TN" && $0.waterClass != nil }
    }

    init(month: String, first: CivilTime, last: CivilTime, items: [Item], waterBody: WaterBodyType, target: WaterQualityClass?) throws(ReportsError) {
        self.month = month
        self.first = first
        self.last = last
        self.items = items
        guard !items.isEmpty else {
            assessment = nil
            return
        }
        do {
            assessment = try SurfaceWaterStandard.gb3838_2002.assess(
                items.map { ($0.parameter, Decimal(shortestOf: $0.mean)) }, waterBody: waterBody, target: target)
        } catch {
            throw ReportsError(error.description)
        }
    }
}
