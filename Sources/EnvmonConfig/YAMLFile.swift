public import Yams
import Foundation

/// A YAML document read with positions, so every complaint can name its file, line and column.
public struct YAMLFile {
    /// The path, as given.
    public let path: String
    /// The root node, or `nil` for an empty document.
    public let root: Node?

    /// Reads and parses a file.
    /// - Throws: ``ConfigError`` with code `unreadable` or `syntax`.
    public init(path: String) throws(ConfigError) {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw ConfigError(.unreadable, "cannot read the file (missing, unreadable, or not UTF-8)", file: path)
        }
        try self.init(path: path, text: text)
    }

    /// Parses YAML text that came from `path`.
    public init(path: String, text: String) throws(ConfigError) {
        self.path = path
        do {
            // The basic resolver: every plain scalar stays a string, which is all our loaders
            // read (they convert numbers and booleans themselves, through `Node.float`, `.bool`,
            // which parse the text whatever its tag). Yams's default resolver matches each
            // mapping key against seven regular expressions to hash it for its duplicate check:
            // a third of the time `envmon query` took to read 100 station files.
            root = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw YAMLFile.located(error, path: path)
        } catch {
            throw ConfigError(.syntax, "\(error)", file: path)
        }
    }

    private static func located(_ error: YamlError, path: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return ConfigError(.syntax, "YAML syntax: \(text)", file: path, line: mark.line, column: mark.column)
        default:
            return ConfigError(.syntax, "YAML syntax: \(error)", file: path)
        }
    }

    /// An error located at `node`.
    public func error(_ code: ConfigError.Code, _ message: String, at node: Node?) -> ConfigError {
        ConfigError(code, message, file: path, line: node?.mark?.line, column: node?.mark?.column)
    }
}

extension Node {
    /// The value under `key` in a mapping node.
    public func value(forKey key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        for (k, v) in mapping where k.string == key { return v }
        return nil
    }

    /// The key node itself, for locating complaints about a key.
    public func keyNode(_ key: String) -> Node? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.first { $0.key.string == key }?.key
    }

    /// The mapping's pairs in file order, or `nil` when this is not a mapping.
    public var pairs: [(key: Node, value: Node)]? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping.map { ($0.key, $0.value) }
    }

    /// The items of a sequence node, or `nil` when this is not a sequence.
    public var items: [Node]? {
        guard case .sequence(let sequence) = self else { return nil }
        return Array(sequence)
    }

    /// The scalar's text, or `nil` when this is not a scalar.
    public var text: String? { scalar?.string }
}
