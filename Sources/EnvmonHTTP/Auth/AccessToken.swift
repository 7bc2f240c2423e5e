import Foundation
import Notifier

/// A token the API accepts: its name (for logs and audit, never the token itself), its role, and
/// the SHA-256 of the token, which is all the config holds.
///
/// ```yaml
/// http:
///   tokens:
///     - {name: telegraf-plant-3, role: ingest, sha256: "9f86d08…"}
/// ```
public struct AccessToken: Sendable, Hashable {
    /// Who holds the token, as logs and acknowledgements name them.
    public var name: String
    /// What it may do.
    public var role: Role
    /// The SHA-256 of the token, 64 lowercase hex digits.
    public var sha256: String

    /// Creates a token entry from its hash.
    public init(name: String, role: Role, sha256: String) {
        self.name = name
        self.role = role
        self.sha256 = sha256.lowercased()
    }

    /// Creates a token entry from the token itself (for the daemon's local token and tests).
    public init(name: String, role: Role, token: String) {
        self.init(name: name, role: role, sha256: Self.hash(token))
    }

    /// The SHA-256 of a token in hex, as the config holds it.
    public static func hash(_ token: String) -> String { Digest.hex(Digest.sha256(Array(token.utf8))) }

    /// A new random token: 32 bytes from the system's generator, as 64 hex digits with an
    /// `envmon_` prefix, so a leaked one is recognisable in a scan.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "envmon_" + Digest.hex(bytes)
    }

    /// Whether `text` is a well-formed hash (64 hex digits).
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0 | 0x20) }
    }
}
