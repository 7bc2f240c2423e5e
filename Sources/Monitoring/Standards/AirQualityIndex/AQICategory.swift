/// The six AQI levels (级别) and their categories (类别), shared in their bounds by HJ 633 and the EPA.
///
/// Bounds: 0–50, 51–100, 101–150, 151–200, 201–300, above 300 (HJ 633 Appendix A; EPA TAD Table 2).
/// Names and the fifth colour differ per standard: see ``name(in:)`` and ``colour(in:)``.
public enum AQICategory: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// 0–50: 一级 优 / Good.
    case level1 = 1
    /// 51–100: 二级 良 / Moderate.
    case level2
    /// 101–150: 三级 轻度污染 / Unhealthy for Sensitive Groups.
    case level3
    /// 151–200: 四级 中度污染 / Unhealthy.
    case level4
    /// 201–300: 五级 重度污染 / Very Unhealthy.
    case level5
    /// Above 300: 六级 严重污染 / Hazardous.
    case level6

    /// The category of an AQI value.
    public init(aqi: Int) {
        switch aqi {
        case ...50: self = .level1
        case 51...100: self = .level2
        case 101...150: self = .level3
        case 151...200: self = .level4
        case 201...300: self = .level5
        default: self = .level6
        }
    }

    /// The level number, 1 to 6.
    public var level: Int { rawValue }

    /// The AQI values of the level (the last is open-ended: HJ 633 caps at 500, the EPA does not).
    public var range: ClosedRange<Int> {
        [0...50, 51...100, 101...150, 151...200, 201...300, 301...Int.max][rawValue - 1]
    }

    /// The Chinese level name, 一级 … 六级 (HJ 633 Appendix A).
    public var chineseLevel: String { ["一级", "二级", "三级", "四级", "五级", "六级"][rawValue - 1] }

    /// The category as the standard names it: 优 … 严重污染 for HJ 633, Good … Hazardous for the EPA.
    public func name(in standard: AQIStandard) -> String {
        standard.isChinese
            ? ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"][rawValue - 1]
            : ["Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"][rawValue - 1]
    }

    /// The category in English; for HJ 633 the usual translation (excellent, good, lightly polluted …).
    public func englishName(in standard: AQIStandard) -> String {
        standard.isChinese
            ? ["excellent", "good", "lightly polluted", "moderately polluted", "heavily polluted", "severely polluted"][rawValue - 1]
            : name(in: standard)
    }

    /// The colour of the level (HJ 633 Appendix A; EPA TAD Table 2: only purple differs).
    public func colour(in standard: AQIStandard) -> AQIColour {
        switch self {
        case .level1: AQIColour(name: "green", red: 0, green: 228, blue: 0)
        case .level2: AQIColour(name: "yellow", red: 255, green: 255, blue: 0)
        case .level3: AQIColour(name: "orange", red: 255, green: 126, blue: 0)
        case .level4: AQIColour(name: "red", red: 255, green: 0, blue: 0)
        case .level5:
            standard.isChinese
                ? AQIColour(name: "purple", red: 153, green: 0, blue: 76) : AQIColour(name: "purple", red: 143, green: 63, blue: 151)
        case .level6: AQIColour(name: "maroon", red: 126, green: 0, blue: 35)
        }
    }

    public static func < (a: AQICategory, b: AQICategory) -> Bool { a.rawValue < b.rawValue }
}

/// The display colour of an AQI level, as RGB.
public struct AQIColour: Sendable, Hashable {
    /// The colour's English name (绿 green, 黄 yellow, 橙 orange, 红 red, 紫 purple, 褐红 maroon).
    public var name: String
    /// Red, 0–255.
    public var red: UInt8
    /// Green, 0–255.
    public var green: UInt8
    /// Blue, 0–255.
    public var blue: UInt8
}
