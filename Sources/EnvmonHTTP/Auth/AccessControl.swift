import Foundation
public import Hummingbird
import Monitoring
import Notifier

/// The tokens the API accepts, replaceable while the daemon runs (`SIGHUP`), and the one question
/// every route asks: who is this request from?
///
/// Credentials are taken, in this order, from `Authorization: Bearer T`, `Authorization: Token T`
/// (InfluxDB 2's form; `Token user:T` too), basic auth with the token as the password (InfluxDB
/// 1.x clients), and the `p` query parameter (InfluxDB 1.x). Tokens are compared by their SHA-256,
/// so the daemon never holds the configured tokens themselves.
public final class AccessControl: Sendable {
    private let tokens: Locked<[String: AccessToken]>

    /// Creates the control with the configured tokens (and the daemon's local one).
    public init(_ tokens: [AccessToken]) {
        self.tokens = Locked(Self.index(tokens))
    }

    /// Replaces the tokens (a reloaded config).
    public func replace(_ tokens: [AccessToken]) {
        let index = Self.index(tokens)
        self.tokens.withLock { $0 = index }
    }

    /// The token entries, in no order.
    public var entries: [AccessToken] { tokens.withLock { Array($0.values) } }

    /// What the credentials of a request say.
    public enum Verdict: Sendable, Equatable {
        /// No credentials at all.
        case missing
        /// Credentials that match no token.
        case unknown
        /// A known token.
        case token(AccessToken)
    }

    /// Who `request` is from.
    public func verdict(for request: Request) -> Verdict {
        guard let presented = Self.credential(of: request) else { return .missing }
        let hash = AccessToken.hash(presented)
        return tokens.withLock { $0[hash] }.map(Verdict.token) ?? .unknown
    }

    /// The token a request presents, if any.
    static func credential(of request: Request) -> String? {
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            if parts.count == 2 {
                let scheme = parts[0].lowercased()
                let value = String(parts[1]).trimmingCharacters(in: .whitespaces)
                switch scheme {
                case "bearer": return value.isEmpty ? nil : value
                case "token":
                    // InfluxDB's `Token user:password` form carries the token as the password.
                    if let colon = value.firstIndex(of: ":") { return String(value[value.index(after: colon)...]) }
                    return value.isEmpty ? nil : value
                case "basic":
                    guard let data = Data(base64Encoded: value), let text = String(data: data, encoding: .utf8),
                        let colon = text.firstIndex(of: ":")
                    else { return nil }
                    let password = String(text[text.index(after: colon)...])
                    return password.isEmpty ? nil : password
                default: return nil
                }
            }
        }
        if let p = request.uri.queryParameters.get("p"), !p.isEmpty { return p }
        return nil
    }

    private static func index(_ tokens: [AccessToken]) -> [String: AccessToken] {
        Dictionary(tokens.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
