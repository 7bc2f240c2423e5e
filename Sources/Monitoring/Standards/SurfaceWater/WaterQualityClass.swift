import Foundation

/// A surface-water quality class of GB 3838-2002: Ⅰ to Ⅴ, or worse than Ⅴ (劣Ⅴ类).
///
/// Classes are ordered from best to worst, so a section's class is the ``max()`` of its parameters' classes.
public enum WaterQualityClass: Int, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Ⅰ: source water, national nature reserves.
    case classI = 1
    /// Ⅱ: drinking-water source zone level 1, rare aquatic habitats, spawning grounds.
    case classII
    /// Ⅲ: drinking-water source zone level 2, fisheries, swimming.
    case classIII
    /// Ⅳ: general industrial water, non-contact recreation.
    case classIV
    /// Ⅴ: agricultural water, general landscape.
    case classV
    /// 劣Ⅴ: worse than class Ⅴ.
    case worseThanV

    /// The five classes that have limits (all but ``worseThanV``).
    public static let limited: [WaterQualityClass] = [.classI, .classII, .classIII, .classIV, .classV]

    /// Parses `I`…`V` (also `Ⅰ`…`Ⅴ`, `1`…`5`, `class III`), and `劣V`, `worse-than-V` or `6` for worse than Ⅴ.
    public init?(parsing text: some StringProtocol) {
        var t = text.uppercased().replacingOccurrences(of: "CLASS", with: "").filter { !$0.isWhitespace }
        for (roman, ascii) in [("Ⅰ", "I"), ("Ⅱ", "II"), ("Ⅲ", "III"), ("Ⅳ", "IV"), ("Ⅴ", "V")] {
            t = t.replacingOccurrences(of: roman, with: ascii)
        }
        switch t {
        case "I", "1": self = .classI
        case "II", "2": self = .classII
        case "III", "3": self = .classIII
        case "IV", "4": self = .classIV
        case "V", "5": self = .classV
        case "劣V", "WORSE-THAN-V", "WORSETHANV", ">V", "6": self = .worseThanV
        default: return nil
        }
    }

    /// `I`, `II`, `III`, `IV`, `V` or `劣V`.
    public var name: String { ["I", "II", "III", "IV", "V", "劣V"][rawValue - 1] }

    /// The qualitative grade of a section of this class: 优 (Ⅰ–Ⅱ), 良好 (Ⅲ), 轻度污染 (Ⅳ), 中度污染 (Ⅴ),
    /// 重度污染 (劣Ⅴ) (《地表水环境质量评价办法（试行）》).
    public var grade: String { ["优", "优", "良好", "轻度污染", "中度污染", "重度污染"][rawValue - 1] }

    /// The grade in English: excellent, good, lightly/moderately/heavily polluted.
    public var gradeEnglish: String {
        ["excellent", "excellent", "good", "lightly polluted", "moderately polluted", "heavily polluted"][rawValue - 1]
    }

    public var description: String { name }

    public static func < (a: WaterQualityClass, b: WaterQualityClass) -> Bool { a.rawValue < b.rawValue }
}

/// The kind of water body, which decides the total-phosphorus limits and whether total nitrogen is assessed.
public enum WaterBodyType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Rivers and streams.
    case river
    /// Lakes and reservoirs (湖、库).
    case lake
}
