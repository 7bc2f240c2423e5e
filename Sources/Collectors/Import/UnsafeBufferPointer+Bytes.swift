import Foundation

extension UnsafeBufferPointer<UInt8> {
    /// Whether two byte strings are equal (`memcmp`; no `String` made).
    func sameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard let a = baseAddress, let b = other.baseAddress else { return true }  // both empty
        return memcmp(a, b, count) == 0
    }

    /// Whether these bytes equal `other`'s.
    func sameBytes(as other: [UInt8]) -> Bool {
        other.withUnsafeBufferPointer { sameBytes(as: $0) }
    }
}
