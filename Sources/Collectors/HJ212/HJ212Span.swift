/// A byte range of a frame's data segment, kept instead of a `String` until someone asks.
struct HJ212Span: Sendable, Hashable {
    var lower: Int32
    var upper: Int32

    init(_ lower: Int, _ upper: Int) {
        self.lower = Int32(truncatingIfNeeded: lower)
        self.upper = Int32(truncatingIfNeeded: upper)
    }

    var count: Int { Int(upper - lower) }
    var range: Range<Int> { Int(lower)..<Int(upper) }

    /// The text of this range of `bytes`.
    func text(in bytes: [UInt8]) -> String { String(decoding: bytes[range], as: UTF8.self) }
}
