import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The daemon's local token: a fresh admin token written at every start to `<store>.token`, readable
/// by the daemon's own user only (mode 0600), so that commands on the same machine (`envmon alerts
/// silence`, `envmon import` beside a daemon) reach the API without a token in their arguments —
/// as PostgreSQL's peer authentication or bitcoind's cookie file do. Whoever can read the file
/// could read the store itself.
public enum LocalToken {
    /// The name the local token's requests carry in logs and audit fields.
    public static let name = "local"

    /// The file beside the store.
    public static func path(storePath: String) -> String { storePath + ".token" }

    /// Writes a new token to the file (replacing the old one) and returns its entry.
    /// - Throws: when the file cannot be written.
    public static func create(storePath: String) throws -> AccessToken {
        let token = AccessToken.generate()
        let path = path(storePath: storePath)
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw LocalTokenError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array((token + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw LocalTokenError(path: path, reason: String(cString: strerror(errno))) }
        return AccessToken(name: name, role: .admin, token: token)
    }

    /// The token in the file beside the store, or `nil` when there is none or it cannot be read
    /// (another user's daemon).
    public static func read(storePath: String) -> String? {
        guard let text = try? String(contentsOfFile: path(storePath: storePath), encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }

    /// Removes the file (at a clean shutdown).
    public static func remove(storePath: String) { unlink(path(storePath: storePath)) }
}

/// The local token file could not be written.
public struct LocalTokenError: Error, CustomStringConvertible {
    /// The file.
    public var path: String
    /// Why.
    public var reason: String
    public var description: String { "cannot write the local API token \(path): \(reason)" }
}
