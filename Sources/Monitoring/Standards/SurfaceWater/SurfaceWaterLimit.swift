public import Foundation

/// The limits of one parameter in each water-quality class of a surface-water standard.
public struct SurfaceWaterLimit: Sendable, Hashable {
    /// What a class requires of a value.
    public enum Requirement: Sendable, Hashable, CustomStringConvertible {
        /// The value must be at most the limit (most parameters).
        case atMost(Decimal)
        /// The value must be at least the limit (dissolved oxygen).
        case atLeast(Decimal)
        /// The value must lie in the range (pH 6–9).
        case within(ClosedRange<Decimal>)

        /// Whether `value` meets the requirement; a value on the limit meets it.
        public func isMet(by value: Decimal) -> Bool {
            switch self {
            case .atMost(let limit): value <= limit
            case .atLeast(let limit): value >= limit
            case .within(let range): range.contains(value)
            }
        }

        /// `≤ 15`, `≥ 5`, `6–9`.
        public var description: String {
            switch self {
            case .atMost(let limit): "≤ \(limit)"
            case .atLeast(let limit): "≥ \(limit)"
            case .within(let range): "\(range.lowerBound)–\(range.upperBound)"
            }
        }
    }

    /// The parameter id (the catalogue's where it has one: `COD`, `NH3-N`, `TP`, `DO`, `CODMn`, `BOD5`, `pH`…).
    public var parameter: String
    /// The Chinese name as in the standard's table.
    public var nameZH: String
    /// The unit of the limits and of the values to classify: `mg/L`, `个/L`, or empty for pH.
    public var unit: String
    /// The requirement of each class, Ⅰ to Ⅴ.
    public var requirements: [Requirement]
    /// The water bodies the limits apply to.
    public var waterBodies: Set<WaterBodyType>
    /// Whether the parameter enters a section's class (环办[2011]22号: all basic items but water
    /// temperature, total nitrogen and fecal coliform, which are evaluated separately).
    public var countsForSectionClass: Bool
    /// Where the numbers come from.
    public var source: StandardSource

    /// Creates a limit.
    public init(
        parameter: String, nameZH: String, unit: String, requirements: [Requirement], waterBodies: Set<WaterBodyType>,
        countsForSectionClass: Bool, source: StandardSource
    ) {
        precondition(requirements.count == 5, "one requirement per class I–V")
        self.parameter = parameter
        self.nameZH = nameZH
        self.unit = unit
        self.requirements = requirements
        self.waterBodies = waterBodies
        self.countsForSectionClass = countsForSectionClass
        self.source = source
    }

    /// The requirement of a class, or `nil` for ``WaterQualityClass/worseThanV``.
    public func requirement(for waterClass: WaterQualityClass) -> Requirement? {
        waterClass == .worseThanV ? nil : requirements[waterClass.rawValue - 1]
    }

    /// The best class whose requirement the value meets, scanning Ⅰ to Ⅴ; ``WaterQualityClass/worseThanV``
    /// when it meets none.
    ///
    /// Where classes share a limit (COD 15 in Ⅰ and Ⅱ) the better class is given. A pH inside 6–9 meets
    /// every class (it never worsens a section); outside, it is 劣Ⅴ.
    public func classify(_ value: Decimal) -> WaterQualityClass {
        WaterQualityClass.limited.first { requirement(for: $0)!.isMet(by: value) } ?? .worseThanV
    }

    /// The exceedance multiple (超标倍数) of a value over a class's limit, (C − limit) / limit, for
    /// "at most" limits only (not for pH or dissolved oxygen); `nil` when the value meets the limit.
    public func exceedanceMultiple(of value: Decimal, over waterClass: WaterQualityClass) -> Decimal? {
        guard case .atMost(let limit)? = requirement(for: waterClass), value > limit, limit > 0 else { return nil }
        return (value - limit) / limit
    }
}
