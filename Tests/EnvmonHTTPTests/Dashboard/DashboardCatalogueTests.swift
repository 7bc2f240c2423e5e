@testable import EnvmonDashboard
import Foundation
import Testing

/// The UI's words and templates: nothing untranslated, nothing forgotten, everything parses.
@Suite("Dashboard catalogues and templates")
struct DashboardCatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/EnvmonDashboard")

    @Test("zh-CN and en have the same keys, and no text is empty")
    func sameKeys() throws {
        let strings = try DashboardStrings()
        let en = strings[.en], zh = strings[.zhCN]
        #expect(!en.isEmpty)
        #expect(Set(en.keys).subtracting(zh.keys).sorted() == [], "keys missing in zh-CN")
        #expect(Set(zh.keys).subtracting(en.keys).sorted() == [], "keys missing in en")
        #expect(en.filter { $0.value.isEmpty }.keys.sorted() == [])
        #expect(zh.filter { $0.value.isEmpty }.keys.sorted() == [])
    }

    @Test("every {{t.key}} of a template is in the catalogues")
    func templateKeys() throws {
        let strings = try DashboardStrings()[.en]
        var missing: [String] = []
        for template in DashboardTemplates.all {
            let text = String(decoding: template.bytes, as: UTF8.self)
            for key in Self.keys(in: text) where strings[key] == nil { missing.append("\(template.name): \(key)") }
        }
        #expect(missing == [])
    }

    @Test("every file of Templates/ and Strings/ is registered, and every template parses")
    func registered() throws {
        let templates = try FileManager.default.contentsOfDirectory(atPath: Self.sources.appendingPathComponent("Templates").path)
        let names = Set(DashboardTemplates.all.map { "\($0.name).mustache" } + DashboardTemplates.assets.map(\.name))
        #expect(Set(templates).subtracting(names).sorted() == [], "add them to DashboardTemplates")
        let catalogues = try FileManager.default.contentsOfDirectory(atPath: Self.sources.appendingPathComponent("Strings").path)
        let areas = Set(DashboardStrings.files.flatMap { ["\($0.area).en.json", "\($0.area).zh-CN.json"] })
        #expect(Set(catalogues).subtracting(areas).sorted() == [], "add them to DashboardStrings.files")
        _ = try PageRenderer()
    }

    /// The keys of `{{t.key}}` (and `{{{t.key}}}`) in a template.
    static func keys(in text: String) -> [String] {
        var keys: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "{{t.") ?? rest.range(of: "{{{t.") {
            let after = rest[range.upperBound...]
            let key = after.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            keys.append(String(key))
            rest = after.dropFirst(key.count)
        }
        return keys
    }
}
