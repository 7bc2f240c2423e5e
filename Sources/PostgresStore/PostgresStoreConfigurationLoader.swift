public import EnvmonConfig
public import Foundation
import Store
public import Yams

/// Reads the PostgreSQL keys of the `store:` section of the daemon's config file into a
/// ``PostgresStoreConfiguration``:
///
/// ```yaml
/// store:
///   url: "postgres://envmon@db.example:5432/envmon?sslmode=require"   # absent: SQLite at store.path
///   password_file: /etc/envmon/pg-password                              # or PGPASSWORD
/// ```
///
/// The section's other keys are the daemon's to check. A URL that is not a `postgres://` URL
/// envmon can use, a password file that cannot be read, a `password_file` without `url`, and the
/// SQLite store's own keys (``sqliteKeys``) beside `url` are errors located at `file:line:column`.
public struct PostgresStoreConfigurationLoader {
    /// The keys this loader reads.
    public static let keys = ["url", "password_file"]
    /// The keys that only the SQLite store uses: with `url`, they would be silently ignored.
    public static let sqliteKeys = ["path", "page_size", "staging", "synchronous"]

    private let environment: [String: String]

    /// Creates a loader.
    /// - Parameter environment: where `PGPASSWORD` is looked up without a password file.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Reads `node`, the value of `store:` in `file`, appending every problem to `errors`.
    /// - Returns: the configuration, or nil when the section names no `url` (the SQLite store)
    ///   or the URL has an error.
    public func read(_ node: Node, in file: YAMLFile, errors: inout [ConfigError]) -> PostgresStoreConfiguration? {
        guard let pairs = node.pairs else { return nil }  // the daemon reports a section that is not a mapping
        var url: (key: Node, value: Node)?
        var passwordFile: (key: Node, value: Node)?
        for (key, value) in pairs {
            switch key.string ?? "" {
            case "url": url = (key, value)
            case "password_file": passwordFile = (key, value)
            default: continue
            }
        }
        guard let url else {
            if let passwordFile {
                errors.append(
                    file.error(.missingField, "store.password_file needs store.url (the SQLite store takes no password)", at: passwordFile.key))
            }
            return nil
        }
        for (key, _) in pairs where Self.sqliteKeys.contains(key.string ?? "") {
            errors.append(
                file.error(
                    .badValue, "store.\(key.string ?? "") is for the SQLite store; with store.url the store is PostgreSQL: remove one",
                    at: key))
        }
        guard let text = url.value.text, !text.isEmpty else {
            errors.append(file.error(.wrongType, "store.url: expected text such as postgres://envmon@db.example:5432/envmon", at: url.value))
            return nil
        }
        var passwordPath: String?
        if let passwordFile {
            guard let path = passwordFile.value.text, !path.isEmpty else {
                errors.append(file.error(.wrongType, "store.password_file: expected a file name", at: passwordFile.value))
                return nil
            }
            let folder = (file.path as NSString).deletingLastPathComponent
            let resolved = path.hasPrefix("/") ? path : (folder as NSString).appendingPathComponent(path)
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                errors.append(file.error(.unreadable, "store.password_file: cannot read \(resolved)", at: passwordFile.value))
                return nil
            }
            passwordPath = resolved
        }
        do {
            return try PostgresStoreConfiguration(url: text, passwordFile: passwordPath, environment: environment)
        } catch {
            // The message names the URL; a password written in it stays out of the log.
            errors.append(file.error(.badValue, "store.url: \(Self.redacting(error.message, in: text))", at: url.value))
            return nil
        }
    }

    /// `message` with the password of `url` (if it has one) replaced by `***`.
    static func redacting(_ message: String, in url: String) -> String {
        guard let password = URLComponents(string: url)?.percentEncodedPassword, !password.isEmpty else { return message }
        return message.replacingOccurrences(of: ":\(password)@", with: ":***@")
    }
}
