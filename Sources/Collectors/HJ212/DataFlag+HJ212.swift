public import Monitoring

extension DataFlag {
    /// The data flag an HJ 212 `xxxxxx-Flag` value stands for, read per the packet's version (§8).
    ///
    /// * Letters `N F M S D C T B` (either case) in every version (2017 Table 8; 2005 has all but `B`).
    /// * `P`, the 2005 "power failure" of a pollution source's instrument, maps to ``fault``: the
    ///   monitoring failed, so the hour counts against data capture.
    /// * In 2005 packets only, the air-station digits: `0` calibration → ``calibration``,
    ///   `1` meteorological parameter → ``normal``, `2` abnormal → ``fault``, `3` normal → ``normal``.
    ///
    /// - Parameters:
    ///   - text: the flag as sent.
    ///   - version: the packet's version (``HJ212Version/hjt2005`` when it carries no Flag).
    /// - Returns: `nil` for anything else; keep the raw text for those.
    public init?(hj212 text: some StringProtocol, version: HJ212Version) {
        let bytes = Array(text.utf8)
        guard let flag = bytes.withUnsafeBufferPointer({ DataFlag.hj212($0, 0, $0.count, is2005: version == .hjt2005) })
        else { return nil }
        self = flag
    }

    /// The position of the flag in `allCases`.
    var rawIndex: Int {
        switch self {
        case .normal: 0
        case .stopped: 1
        case .maintenance: 2
        case .manual: 3
        case .fault: 4
        case .calibration: 5
        case .overRange: 6
        case .communication: 7
        }
    }

    /// The flag of `p[start..<end]`, without allocating.
    static func hj212(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, is2005: Bool) -> DataFlag? {
        guard end - start == 1 else { return nil }
        switch p[start] | 0x20 {
        case UInt8(ascii: "n"): return .normal
        case UInt8(ascii: "f"): return .stopped
        case UInt8(ascii: "m"): return .maintenance
        case UInt8(ascii: "s"): return .manual
        case UInt8(ascii: "d"): return .fault
        case UInt8(ascii: "c"): return .calibration
        case UInt8(ascii: "t"): return .overRange
        case UInt8(ascii: "b"): return .communication
        case UInt8(ascii: "p"): return .fault
        case UInt8(ascii: "0") where is2005: return .calibration
        case UInt8(ascii: "1") where is2005: return .normal
        case UInt8(ascii: "2") where is2005: return .fault
        case UInt8(ascii: "3") where is2005: return .normal
        default: return nil
        }
    }
}
