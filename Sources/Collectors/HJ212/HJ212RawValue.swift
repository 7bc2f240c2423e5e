import Monitoring

/// A `CP` item as the decoder stores it: byte ranges and small codes only, so that an array of them
/// needs no reference counting. ``HJ212Values`` turns them into ``HJ212Value``s on access.
struct HJ212RawValue: Sendable, Hashable {
    var code: HJ212Span
    var field: HJ212Span
    var text: HJ212Span
    var codeKey: UInt64
    var number: Double?
    /// ``HJ212Field/kind``.
    var kind: UInt8
    /// 0 for none, else 1 + the index of the flag in `DataFlag.allCases`.
    var flag: UInt8
    /// The index of the catalogue id in the code table's ids, or `UInt16.max`.
    var parameter: UInt16

    static let noParameter = UInt16.max

    static let flags = DataFlag.allCases

    var dataFlag: DataFlag? {
        get { flag == 0 ? nil : HJ212RawValue.flags[Int(flag) - 1] }
        set { flag = newValue.map { UInt8($0.rawIndex + 1) } ?? 0 }
    }

    /// Whether `other` has the same factor code (case-insensitively), given the bytes of both.
    @inline(__always) func hasSameCode(as other: HJ212RawValue, in p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard codeKey == other.codeKey else { return false }
        if code.count <= 7 { return true }
        for i in 0..<code.count {
            var a = p[Int(code.lower) + i]
            var b = p[Int(other.code.lower) + i]
            if a &- 0x41 < 26 { a |= 0x20 }
            if b &- 0x41 < 26 { b |= 0x20 }
            if a != b { return false }
        }
        return true
    }
}
