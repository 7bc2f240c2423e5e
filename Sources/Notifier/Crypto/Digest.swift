internal import COpenSSL
import Foundation

/// SHA-256 and HMAC-SHA256 (libcrypto), and the encodings signatures travel in: lowercase hex
/// and base64.
public enum Digest {
    /// The SHA-256 digest of `data` (32 bytes).
    public static func sha256(_ data: some Collection<UInt8>) -> [UInt8] {
        let input = Array(data)
        var out = [UInt8](repeating: 0, count: 32)
        let ok = input.withUnsafeBytes { bytes in
            out.withUnsafeMutableBufferPointer { copenssl_sha256(bytes.baseAddress, bytes.count, $0.baseAddress) }
        }
        precondition(ok == 1, "libcrypto SHA-256 failed")
        return out
    }

    /// The HMAC-SHA256 of `message` under `key` (32 bytes).
    public static func hmacSHA256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        let k = Array(key)
        let m = Array(message)
        var out = [UInt8](repeating: 0, count: 32)
        let ok = k.withUnsafeBytes { kb in
            m.withUnsafeBytes { mb in
                out.withUnsafeMutableBufferPointer {
                    copenssl_hmac_sha256(kb.baseAddress, kb.count, mb.baseAddress, mb.count, $0.baseAddress)
                }
            }
        }
        precondition(ok == 1, "libcrypto HMAC-SHA256 failed")
        return out
    }

    /// The HMAC-SHA256 of the UTF-8 of `message` under the UTF-8 of `key`.
    public static func hmacSHA256(key: String, message: String) -> [UInt8] {
        hmacSHA256(key: Array(key.utf8), message: Array(message.utf8))
    }

    /// Lowercase hexadecimal, two digits a byte.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Standard base64 (RFC 4648 §4) with padding, on one line.
    public static func base64(_ bytes: some Collection<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }
}
