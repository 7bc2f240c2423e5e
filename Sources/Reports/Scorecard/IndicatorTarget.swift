import Monitoring
/// An indicator's annual target: a bound the value must meet, such as `≥ 80 %` or `≤ 35 µg/m³`.
public struct IndicatorTarget: Sendable, Hashable {
    /// Which side of the bound is good.
    public enum Sense: String, Sendable, Hashable {
        /// At least the bound (`>=`, `≥`): the good-air-day share, a compliance rate.
        case atLeast = "≥"
        /// At most the bound (`<=`, `≤`): a concentration, a load.
        case atMost = "≤"
    }

    public var sense: Sense
    public var bound: Double
    /// The unit the bound and the value are in: `%`, `µg/m³`, `t`…
    public var unit: String

    public init(sense: Sense, bound: Double, unit: String) {
        self.sense = sense
        self.bound = bound
        self.unit = unit
    }

    /// Parses `>= 80%`, `≥80 %`, `<= 35 µg/m³`, `≤ 1656 t`.
    public init?(parsing text: String) {
        var rest = Substring(text).drop { $0 == " " }
        if rest.hasPrefix(">=") || rest.hasPrefix("≥") {
            sense = .atLeast
        } else if rest.hasPrefix("<=") || rest.hasPrefix("≤") {
            sense = .atMost
        } else {
            return nil
        }
        rest = rest.drop { "<>=≤≥ ".contains($0) }
        let number = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" }
        guard let value = Double(number) else { return nil }
        bound = value
        unit = String(rest.dropFirst(number.count).drop { $0 == " " })
    }

    /// Whether `value` (in ``unit``) meets the target; not rounded first, so 79.96 % does not
    /// meet ≥ 80 %.
    public func isMet(by value: Double) -> Bool {
        switch sense {
        case .atLeast: value >= bound
        case .atMost: value <= bound
        }
    }

    /// `≥ 80%`, `≤ 35 µg/m³`.
    public var text: String {
        let number = FixedPoint.plain(bound)
        return "\(sense.rawValue) \(number)\(unit == "%" || unit.isEmpty ? unit : " " + unit)"
    }
}
