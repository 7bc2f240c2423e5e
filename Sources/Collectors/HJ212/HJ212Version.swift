/// The edition of the standard a packet follows, from the version bits of its `Flag` (`Flag >> 2`).
public enum HJ212Version: Sendable, Hashable, CustomStringConvertible {
    /// HJ/T 212-2005: version bits 0, and every packet without a `Flag`.
    case hjt2005
    /// HJ 212-2017: version bits 1 (Flag 4…7).
    case hj2017
    /// HJ 212-2025: version bits 2 (Flag 8…11).
    case hj2025
    /// Version bits 3…63, which no published edition defines.
    case other(Int)

    /// The version a `Flag` value announces; a missing Flag means 2005 behaviour.
    public init(flag: Int?) {
        switch (flag ?? 0) >> 2 {
        case 0: self = .hjt2005
        case 1: self = .hj2017
        case 2: self = .hj2025
        case let bits: self = .other(bits)
        }
    }

    /// Whether this is HJ 212-2017 or later (replies use the 2017 shape with `QN` in the header).
    public var is2017OrLater: Bool { self != .hjt2005 }

    /// `2005`, `2017`, `2025`, or `v<bits>` for undefined version bits.
    public var description: String {
        switch self {
        case .hjt2005: "2005"
        case .hj2017: "2017"
        case .hj2025: "2025"
        case .other(let bits): "v\(bits)"
        }
    }
}
