import Foundation

/// One matcher of a route, a silence or an inhibit rule, in Alertmanager's syntax:
/// `severity="critical"`, `station=~"qinghe-.*"`, `alertname!="deadman"`, `district!~"Xihe.*"`.
///
/// As in Alertmanager, a regular expression must match the whole value (it is anchored), and a
/// label the notification does not have matches as the empty string.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    /// How the value is compared.
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case doesNotMatchRegex = "!~"
    }

    /// The label's name.
    public let name: String
    /// The comparison.
    public let op: Operator
    /// The value (or the pattern).
    public let value: String
    private let regex: CompiledRegex?

    /// Parses `name op "value"` (the value may also be unquoted); throws ``NotifierError``
    /// naming what is wrong.
    public init(parsing text: String) throws(NotifierError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let opRange = Self.operatorRange(in: trimmed) else {
            throw NotifierError(.badMatcher, "matcher '\(text)': expected name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"")
        }
        let name = trimmed[..<opRange.lowerBound].trimmingCharacters(in: .whitespaces)
        guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first),
            name.unicodeScalars.allSatisfy({ $0 == "_" || CharacterSet.alphanumerics.contains($0) })
        else {
            throw NotifierError(.badMatcher, "matcher '\(text)': '\(name)' is not a label name (letters, digits and _, not starting with a digit)")
        }
        let op = Operator(rawValue: String(trimmed[opRange]))!
        let value = try Self.unquote(trimmed[opRange.upperBound...].trimmingCharacters(in: .whitespaces), in: text)
        try self.init(name: name, op: op, value: value)
    }

    /// A matcher from its parts; throws when a regular expression does not compile.
    public init(name: String, op: Operator, value: String) throws(NotifierError) {
        self.name = name
        self.op = op
        self.value = value
        switch op {
        case .equal, .notEqual:
            regex = nil
        case .matchesRegex, .doesNotMatchRegex:
            do {
                regex = CompiledRegex(try NSRegularExpression(pattern: "^(?:\(value))$"))
            } catch {
                throw NotifierError(.badMatcher, "matcher '\(name)\(op.rawValue)\"\(value)\"': not a regular expression")
            }
        }
    }

    /// Whether `labels` satisfy this matcher (a missing label is the empty string).
    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return regex!.matches(actual)
        case .doesNotMatchRegex: return !regex!.matches(actual)
        }
    }

    public var description: String {
        "\(name)\(op.rawValue)\"\(value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    }

    public static func == (a: LabelMatcher, b: LabelMatcher) -> Bool { a.name == b.name && a.op == b.op && a.value == b.value }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(op)
        hasher.combine(value)
    }

    /// The operator's range: the first `=`, `!` or `~` run after the name.
    private static func operatorRange(in text: String) -> Range<String.Index>? {
        guard let start = text.firstIndex(where: { $0 == "=" || $0 == "!" }) else { return nil }
        for op in ["=~", "!~", "!=", "="] where text[start...].hasPrefix(op) {
            return start..<text.index(start, offsetBy: op.count)
        }
        return nil
    }

    /// A value as written: in double quotes with `\"` and `\\` escapes, or bare.
    private static func unquote(_ text: String, in whole: String) throws(NotifierError) -> String {
        guard text.hasPrefix("\"") else { return text }
        guard text.count >= 2, text.hasSuffix("\"") else {
            throw NotifierError(.badMatcher, "matcher '\(whole)': the value's closing quote is missing")
        }
        var out = ""
        var escaped = false
        for ch in text.dropFirst().dropLast() {
            if escaped {
                out.append(ch == "n" ? "\n" : ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

/// A compiled pattern; `NSRegularExpression` is immutable and safe to share between threads.
private final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
