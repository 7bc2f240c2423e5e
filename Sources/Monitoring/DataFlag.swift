/// The data flag a field unit attaches to a reading (HJ 212-2017 Table 8).
///
/// Only ``normal`` readings are valid data: the validity rules of HJ 75/76-2017 and HJ 353–356-2019
/// exclude readings taken while the instrument is stopped, in maintenance, in calibration, faulty,
/// over range, cut off from the data logger, or replaced by a manually set value.
public enum DataFlag: String, Sendable, Hashable, Codable, CaseIterable {
    /// `N`: instrument working normally.
    case normal = "N"
    /// `F`: instrument or source stopped (停运).
    case stopped = "F"
    /// `M`: produced during maintenance.
    case maintenance = "M"
    /// `S`: a manually entered set value.
    case manual = "S"
    /// `D`: instrument fault.
    case fault = "D"
    /// `C`: instrument in calibration.
    case calibration = "C"
    /// `T`: above the instrument's upper measuring limit.
    case overRange = "T"
    /// `B`: communication fault between instrument and data logger.
    case communication = "B"

    /// Whether a reading with this flag counts as valid data for averages and compliance.
    public var isValid: Bool { self == .normal }

    /// The bit of this flag in a ``DataFlagSet``.
    public var bit: UInt8 {
        switch self {
        case .normal: 1
        case .stopped: 2
        case .maintenance: 4
        case .manual: 8
        case .fault: 16
        case .calibration: 32
        case .overRange: 64
        case .communication: 128
        }
    }

    /// Parses a flag letter, case-insensitively; `nil` for anything else.
    public init?(letter: some StringProtocol) {
        guard letter.count == 1 else { return nil }
        self.init(rawValue: letter.uppercased())
    }
}

/// A set of data flags, as carried by an aggregate: which flags occurred among its readings.
public struct DataFlagSet: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The bit mask, one bit per ``DataFlag/bit``.
    public var rawValue: UInt8

    /// Creates a set from its bit mask.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Creates a set holding the given flags.
    public init(_ flags: [DataFlag]) {
        rawValue = flags.reduce(0) { $0 | $1.bit }
    }

    /// Adds a flag.
    public mutating func insert(_ flag: DataFlag) { rawValue |= flag.bit }

    /// Whether the set holds `flag`.
    public func contains(_ flag: DataFlag) -> Bool { rawValue & flag.bit != 0 }

    /// The flags in the set, in catalogue order.
    public var flags: [DataFlag] { DataFlag.allCases.filter { contains($0) } }

    /// The flag letters run together, e.g. `NM`.
    public var description: String { flags.map(\.rawValue).joined() }
}
