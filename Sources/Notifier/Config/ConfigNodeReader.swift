import EnvmonConfig
import Foundation
import Yams

/// Reads typed values out of YAML nodes for ``NotifyConfigurationLoader``, collecting every
/// problem as a ``ConfigError`` located at the offending node instead of stopping at the first.
///
/// Each reader takes the node and `what`, the dotted place in the file used in messages
/// (`route.routes[1].group_wait`), and returns nil after recording an error.
struct ConfigNodeReader {
    /// The file being read, for locating errors.
    let file: YAMLFile
    /// The folder of the file: `*_file` paths are relative to it.
    let folder: String
    /// Every problem found so far.
    var errors: [ConfigError] = []

    init(file: YAMLFile) {
        self.file = file
        let folder = (file.path as NSString).deletingLastPathComponent
        self.folder = folder.isEmpty ? "." : folder
    }

    /// Records an error at `node`.
    mutating func fail(_ code: ConfigError.Code, _ message: String, at node: Node?) {
        errors.append(file.error(code, message, at: node))
    }

    /// A mapping's fields, in file order; keys outside `known` are reported with the known ones.
    struct Fields {
        /// The mapping node itself.
        let node: Node
        /// Known keys with their key and value nodes, in file order (null values left out).
        let pairs: [(name: String, key: Node, value: Node)]

        /// The value under `name`, nil when absent or null.
        subscript(name: String) -> Node? { pairs.first { $0.name == name }?.value }

        /// The key node of `name`, for locating complaints about the key itself.
        func key(_ name: String) -> Node? { pairs.first { $0.name == name }?.key }
    }

    /// Reads a mapping whose keys must be among `known`.
    mutating func fields(_ node: Node, _ what: String, known: [String]) -> Fields? {
        guard let pairs = node.pairs else {
            fail(.wrongType, "\(what): expected a mapping", at: node)
            return nil
        }
        var out: [(name: String, key: Node, value: Node)] = []
        for (key, value) in pairs {
            let name = key.text ?? ""
            guard known.contains(name) else {
                fail(.unknownField, "\(what): unknown key '\(name)' (known: \(known.joined(separator: ", ")))", at: key)
                continue
            }
            if value.null == nil { out.append((name, key, value)) }
        }
        return Fields(node: node, pairs: out)
    }

    /// The items of a sequence.
    mutating func items(_ node: Node, _ what: String) -> [Node]? {
        guard let items = node.items else {
            fail(.wrongType, "\(what): expected a list", at: node)
            return nil
        }
        return items
    }

    /// Non-empty text.
    mutating func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar = node, let text = node.text, !text.isEmpty else {
            fail(.wrongType, "\(what): expected text", at: node)
            return nil
        }
        return text
    }

    /// A list of non-empty texts.
    mutating func strings(_ node: Node, _ what: String) -> [String]? {
        guard let items = items(node, what) else { return nil }
        var out: [String] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let s = string(item, "\(what)[\(i)]") { out.append(s) } else { ok = false }
        }
        return ok ? out : nil
    }

    /// `true` or `false`.
    mutating func bool(_ node: Node, _ what: String) -> Bool? {
        switch node.text {
        case "true", "True", "TRUE", "yes", "on": return true
        case "false", "False", "FALSE", "no", "off": return false
        default:
            fail(.wrongType, "\(what): expected true or false", at: node)
            return nil
        }
    }

    /// A whole number in `range`.
    mutating func int(_ node: Node, _ what: String, _ range: ClosedRange<Int>) -> Int? {
        guard case .scalar = node, let n = node.text.flatMap({ Int($0) }), range.contains(n) else {
            fail(.badValue, "\(what): expected a whole number from \(range.lowerBound) to \(range.upperBound)", at: node)
            return nil
        }
        return n
    }

    /// A duration in whole seconds (`30s`, `5m`, `4h`, `7d`, `1h30m`), at least `minimum`.
    mutating func seconds(_ node: Node, _ what: String, minimum: Int64 = 0) -> Int64? {
        guard case .scalar = node, let n = node.text.flatMap({ DurationText.seconds($0) }), Int64(n) >= minimum else {
            let least = minimum > 0 ? ", at least \(minimum) s" : ""
            fail(.badValue, "\(what): '\(node.text ?? "")' is not a duration such as 30s, 5m or 4h\(least)", at: node)
            return nil
        }
        return Int64(n)
    }

    /// A duration down to milliseconds (`500ms`, `10s`), above zero.
    mutating func milliseconds(_ node: Node, _ what: String) -> Int? {
        guard case .scalar = node, let n = node.text.flatMap({ DurationText.milliseconds($0) }), n > 0 else {
            fail(.badValue, "\(what): '\(node.text ?? "")' is not a duration above zero such as 500ms, 10s or 1m", at: node)
            return nil
        }
        return n
    }

    /// A timeout in seconds, from a duration such as `10s`.
    mutating func timeout(_ node: Node, _ what: String) -> Double? {
        milliseconds(node, what).map { Double($0) / 1_000 }
    }

    /// An `http` or `https` address with a host.
    mutating func url(_ node: Node, _ what: String) -> URL? {
        guard let text = string(node, what) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            fail(.badValue, "\(what): '\(text)' is not an http or https address with a host", at: node)
            return nil
        }
        return url
    }

    /// A message language.
    mutating func language(_ node: Node, _ what: String) -> MessageLanguage? {
        guard let language = node.text.flatMap({ MessageLanguage(rawValue: $0) }) else {
            let known = MessageLanguage.allCases.map(\.rawValue).joined(separator: ", ")
            fail(.badValue, "\(what): unknown language '\(node.text ?? "")' (known: \(known))", at: node)
            return nil
        }
        return language
    }

    /// A list of Alertmanager matchers (`['severity="critical"', …]`).
    mutating func matchers(_ node: Node, _ what: String) -> [LabelMatcher] {
        guard let items = items(node, what) else { return [] }
        var out: [LabelMatcher] = []
        for (i, item) in items.enumerated() {
            guard let text = string(item, "\(what)[\(i)]") else { continue }
            do {
                out.append(try LabelMatcher(parsing: text))
            } catch {
                fail(.badValue, "\(what)[\(i)]: \(error.message)", at: item)
            }
        }
        return out
    }

    /// The older `match: {label: value}` (or `match_re: {label: regex}`) as matchers.
    mutating func equalities(_ node: Node, _ what: String, op: LabelMatcher.Operator) -> [LabelMatcher] {
        guard let pairs = node.pairs else {
            fail(.wrongType, "\(what): expected a mapping of label names to values", at: node)
            return []
        }
        var out: [LabelMatcher] = []
        for (key, value) in pairs {
            guard let name = string(key, what), let text = value.null != nil ? "" : string(value, "\(what).\(name)") else { continue }
            do {
                out.append(try LabelMatcher(name: name, op: op, value: text))
            } catch {
                fail(.badValue, "\(what).\(name): \(error.message)", at: value)
            }
        }
        return out
    }

    /// Matchers from any of the keys `matchers` (Alertmanager's list), `match` and `match_re`
    /// (the older mappings), under `prefix` (`source_`, `target_` or none).
    mutating func allMatchers(_ fields: Fields, _ what: String, prefix: String = "") -> [LabelMatcher] {
        var out: [LabelMatcher] = []
        if let v = fields[prefix + "matchers"] { out += matchers(v, "\(what).\(prefix)matchers") }
        if let v = fields[prefix + "match"] { out += equalities(v, "\(what).\(prefix)match", op: .equal) }
        if let v = fields[prefix + "match_re"] { out += equalities(v, "\(what).\(prefix)match_re", op: .matchesRegex) }
        return out
    }

    /// A secret given inline under `key` or read from the file under `key_file` (relative to the
    /// config file's folder, trailing newlines removed); at most one of the two.
    mutating func secret(_ fields: Fields, _ key: String, _ what: String) -> String? {
        let inline = fields[key]
        let path = fields[key + "_file"]
        if inline != nil && path != nil {
            fail(.badValue, "\(what): give \(key) or \(key)_file, not both", at: fields.key(key + "_file"))
            return nil
        }
        if let inline { return string(inline, "\(what).\(key)") }
        guard let path, let relative = string(path, "\(what).\(key)_file") else { return nil }
        let full = relative.hasPrefix("/") ? relative : folder + "/" + relative
        guard let data = FileManager.default.contents(atPath: full), var text = String(data: data, encoding: .utf8) else {
            fail(.unreadable, "\(what).\(key)_file: cannot read '\(full)'", at: path)
            return nil
        }
        while let last = text.last, last.isNewline { text.removeLast() }
        guard !text.isEmpty else {
            fail(.badValue, "\(what).\(key)_file: '\(full)' is empty", at: path)
            return nil
        }
        return text
    }
}
