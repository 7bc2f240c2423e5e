/// An MQTT topic filter (MQTT 3.1.1 §4.7): levels separated by `/`, `+` matching one level and
/// a final `#` matching any number of levels (zero included).
public struct MQTTTopicFilter: Sendable, Hashable, CustomStringConvertible {
    /// The filter as written.
    public let text: String
    private let levels: [Substring]

    /// Parses a filter; `nil` with the reason when it is not a valid one.
    public static func parse(_ text: String) -> Result<MQTTTopicFilter, MQTTFilterProblem> {
        if text.isEmpty { return .failure(MQTTFilterProblem("a topic filter cannot be empty")) }
        if text.utf8.count > 65_535 { return .failure(MQTTFilterProblem("a topic filter is at most 65535 bytes")) }
        if text.contains("\u{0}") { return .failure(MQTTFilterProblem("a topic filter cannot hold NUL")) }
        let levels = text.split(separator: "/", omittingEmptySubsequences: false)
        for (i, level) in levels.enumerated() {
            if level.contains("#") && (level != "#" || i != levels.count - 1) {
                return .failure(MQTTFilterProblem("'#' must be a whole level and the last one (as in a/b/#)"))
            }
            if level.contains("+") && level != "+" {
                return .failure(MQTTFilterProblem("'+' must be a whole level (as in a/+/c)"))
            }
        }
        return .success(MQTTTopicFilter(text: text, levels: levels))
    }

    private init(text: String, levels: [Substring]) {
        self.text = text
        self.levels = levels
    }

    /// Whether a topic name (no wildcards) matches. As brokers do, a filter starting with a
    /// wildcard does not match topics starting with `$` (`$SYS/…`).
    public func matches(_ topic: String) -> Bool {
        let parts = topic.split(separator: "/", omittingEmptySubsequences: false)
        if topic.hasPrefix("$"), let first = levels.first, first == "#" || first == "+" { return false }
        var i = 0
        while i < levels.count {
            let level = levels[i]
            if level == "#" { return true }
            guard i < parts.count else { return false }
            if level != "+" && level != parts[i] { return false }
            i += 1
        }
        return parts.count == levels.count
    }

    public var description: String { text }
}

/// Why a topic filter is not valid.
public struct MQTTFilterProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The reason, in words.
    public let description: String
    init(_ description: String) { self.description = description }
}
