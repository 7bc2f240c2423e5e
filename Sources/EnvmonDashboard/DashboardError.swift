/// What can go wrong in the dashboard itself (as opposed to what a page reads).
public enum DashboardError: Error, CustomStringConvertible, Sendable {
    /// A template that does not parse (a defect caught by the template test).
    case template(name: String, message: String)
    /// A catalogue of UI strings that is not a flat JSON object of strings.
    case strings(file: String, message: String)
    /// A key missing from a catalogue (a template asks for a string that does not exist).
    case missingString(key: String)

    public var description: String {
        switch self {
        case .template(let name, let message): "dashboard template \(name).mustache: \(message)"
        case .strings(let file, let message): "dashboard strings \(file): \(message)"
        case .missingString(let key): "dashboard string '\(key)' is not in the catalogues"
        }
    }
}
