import Mustache

/// The pages' templates, parsed once at start, and the one way a page becomes HTML: its own
/// template rendered with its model, then placed in the layout.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    /// The UI's words.
    public let strings: DashboardStrings

    /// Parses every embedded template and loads the catalogues.
    /// - Throws: ``DashboardError`` naming the template or catalogue that is wrong.
    public init() throws(DashboardError) {
        var library = MustacheLibrary()
        for template in DashboardTemplates.all {
            do {
                try library.register(String(decoding: template.bytes, as: UTF8.self), named: template.name)
            } catch {
                throw .template(name: template.name, message: "\(error)")
            }
        }
        self.library = library
        strings = try DashboardStrings()
    }

    /// Renders a template; a name that is not registered is a defect, caught by the page tests.
    public func render(_ name: String, _ model: [String: Any]) -> String {
        library.render(model, withTemplate: name) ?? "template \(name) is missing"
    }
}
