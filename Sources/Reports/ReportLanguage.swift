/// The language a report, the case register or an alert text is written in. The people who read
/// envmon's output work in Chinese; English is for the rest of us.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// Parses `zh-CN`, `zh`, `zh_CN`, `cn` or `en` (any case).
    public init?(parsing text: String) {
        switch String(text.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "zh-cn", "zh", "cn", "zh-hans": self = .zhCN
        case "en", "en-us", "en-gb": self = .en
        default: return nil
        }
    }

    /// `zh` in Chinese, `en` in English.
    public func pick(_ zh: String, _ en: String) -> String { self == .zhCN ? zh : en }
}
