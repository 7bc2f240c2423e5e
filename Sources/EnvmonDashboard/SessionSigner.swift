import Foundation
import Notifier

/// Login sessions as signed cookies: the value names the token and when the session ends, and is
/// signed with a key the daemon draws at start. Nothing is kept on the server, a token removed
/// from the config (SIGHUP) ends its sessions at once, and a restart ends them all.
///
/// Value: `base64url(token name) "." expiry "." hex(HMAC-SHA256(key, name "." expiry))`.
public struct SessionSigner: Sendable {
    private let key: [UInt8]

    /// A signer with a fresh random key (`key` for tests).
    public init(key: [UInt8]? = nil) {
        if let key {
            self.key = key
        } else {
            var generator = SystemRandomNumberGenerator()
            self.key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
    }

    /// A session's cookie value for a token name, ending at `expiry` (seconds since 1970).
    public func value(tokenName: String, expiry: Int64) -> String {
        let payload = Self.base64url(Array(tokenName.utf8)) + "." + String(expiry)
        return payload + "." + Digest.hex(Digest.hmacSHA256(key: key, message: Array(payload.utf8)))
    }

    /// The token name of a cookie value, when its signature holds and it has not ended at `now`.
    public func tokenName(of value: String, now: Int64) -> String? {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int64(parts[1]), expiry > now else { return nil }
        let payload = parts[0] + "." + parts[1]
        let expected = Digest.hex(Digest.hmacSHA256(key: key, message: Array(payload.utf8)))
        guard Self.constantTimeEqual(expected, String(parts[2])), let name = Self.unbase64url(String(parts[0])) else { return nil }
        return name
    }

    /// The form token that proves a POST comes from a page this daemon served to this session
    /// (or, without a session, to this browser: `seed` is then the anonymous cookie).
    public func csrfToken(for seed: String) -> String {
        String(Digest.hex(Digest.hmacSHA256(key: key, message: Array(("csrf|" + seed).utf8))).prefix(32))
    }

    /// Compares without stopping at the first difference.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func unbase64url(_ text: String) -> String? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        return String(data: data, encoding: .utf8)
    }
}
