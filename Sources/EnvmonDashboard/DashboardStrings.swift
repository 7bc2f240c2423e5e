import Foundation

/// The UI's words in each language: one pair of flat JSON catalogues per area of the pages
/// (`Strings/<area>.en.json`, `Strings/<area>.zh-CN.json`), merged into one table per language.
///
/// Add a pair here for each new area (a test checks that both languages have the same keys,
/// that no key is defined twice, and that every `{{t.key}}` of a template exists).
public struct DashboardStrings: Sendable {
    static let files: [(area: String, en: [UInt8], zhCN: [UInt8])] = [
        ("common", PackageResources.common_en_json, PackageResources.common_zh_CN_json),
        ("station", PackageResources.station_en_json, PackageResources.station_zh_CN_json),
        ("reports", PackageResources.reports_en_json, PackageResources.reports_zh_CN_json),
        ("overview", PackageResources.overview_en_json, PackageResources.overview_zh_CN_json),
        ("alerts", PackageResources.alerts_en_json, PackageResources.alerts_zh_CN_json),
        ("cases", PackageResources.cases_en_json, PackageResources.cases_zh_CN_json),
    ]

    /// Each language's table, key → text.
    public let tables: [UILanguage: [String: String]]

    /// Loads the embedded catalogues.
    /// - Throws: ``DashboardError/strings(file:message:)`` for a catalogue that is not a flat
    ///   object of strings, or a key defined in two areas.
    public init() throws(DashboardError) {
        var tables: [UILanguage: [String: String]] = [.en: [:], .zhCN: [:]]
        for file in Self.files {
            for (language, bytes) in [(UILanguage.en, file.en), (.zhCN, file.zhCN)] {
                let name = "\(file.area).\(language.rawValue).json"
                let table = try Self.table(bytes, file: name)
                for (key, text) in table {
                    if tables[language]![key] != nil { throw .strings(file: name, message: "key '\(key)' is defined in another area too") }
                    tables[language]![key] = text
                }
            }
        }
        self.tables = tables
    }

    /// The table of one language.
    public subscript(_ language: UILanguage) -> [String: String] { tables[language] ?? [:] }

    static func table(_ bytes: [UInt8], file: String) throws(DashboardError) -> [String: String] {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(bytes)) } catch { throw .strings(file: file, message: "not JSON: \(error)") }
        guard let table = object as? [String: String] else { throw .strings(file: file, message: "not a flat object of strings") }
        return table
    }
}
