public import Monitoring

/// HJ 633's AQI colours for charts: a CSS colour per level and the six levels as colour bands.
public enum AQIPalette {
    /// The level's colour as CSS (`rgb(255,126,0)`), HJ 633 Appendix A.
    public static func css(_ category: AQICategory, standard: AQIStandard = .hj633_2026) -> String {
        let c = category.colour(in: standard)
        return "rgb(\(c.red),\(c.green),\(c.blue))"
    }

    /// The six levels as bands behind an AQI chart (the sixth up to 500), labelled by `name`.
    public static func bands(standard: AQIStandard = .hj633_2026, name: (AQICategory) -> String) -> [ColourBand] {
        AQICategory.allCases.map { c in
            let lower = c == .level1 ? 0 : Double(c.range.lowerBound - 1)
            let upper = c == .level6 ? 500 : Double(c.range.upperBound)
            return ColourBand(range: lower...upper, colour: css(c, standard: standard), label: name(c))
        }
    }
}
