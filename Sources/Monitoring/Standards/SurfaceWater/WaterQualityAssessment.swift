public import Foundation

/// The single-factor assessment of a river or lake section: each parameter's class, the section class and
/// what exceeds the target class.
public struct WaterQualityAssessment: Sendable, Hashable {
    /// One parameter's value and class.
    public struct ParameterResult: Sendable, Hashable {
        /// The standard's parameter id.
        public var parameter: String
        /// The value, in the limit's unit.
        public var value: Decimal
        /// The limits applied, or `nil` when the standard has none for this water body (total nitrogen in a river).
        public var limit: SurfaceWaterLimit?
        /// The class, or `nil` when not assessed.
        public var waterClass: WaterQualityClass?

        /// Whether the class enters the section class.
        public var countsForSectionClass: Bool { limit?.countsForSectionClass ?? false }
    }

    /// A parameter worse than the target class.
    public struct Exceedance: Sendable, Hashable {
        /// The standard's parameter id.
        public var parameter: String
        /// The value.
        public var value: Decimal
        /// The parameter's class.
        public var waterClass: WaterQualityClass
        /// What the target class requires.
        public var targetRequirement: SurfaceWaterLimit.Requirement
        /// The exceedance multiple (C − limit) / limit over the target's limit; `nil` for pH and dissolved oxygen.
        public var multiple: Decimal?
    }

    /// The standard's name.
    public var standard: String
    /// The water body type assessed.
    public var waterBody: WaterBodyType
    /// The target class, if one was given.
    public var target: WaterQualityClass?
    /// Each parameter, in the order given.
    public var parameters: [ParameterResult]
    /// The worst class among the parameters that count for it; `nil` when none was given.
    public var sectionClass: WaterQualityClass?
    /// The counted parameters worse than the target, in the order given; empty without a target.
    public var exceedances: [Exceedance]

    /// Whether the section meets the target class (`nil` without a target or without a section class).
    public var meetsTarget: Bool? {
        guard let target, let sectionClass else { return nil }
        return sectionClass <= target
    }
}
