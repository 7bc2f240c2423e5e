/// Departures from the standard that the decoder tolerates, as seen on real field units (§3, §4, §12).
///
/// They are not errors: a packet with deviations and no ``HJ212Decoded/errors`` is fully understood.
/// Collectors may count them per device, or reject by policy.
public struct HJ212Deviations: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// The CRC is in lowercase hex.
    public static let lowercaseCRC = HJ212Deviations(rawValue: 1 << 0)
    /// The CRC has fewer than four digits (a dropped leading zero).
    public static let shortCRC = HJ212Deviations(rawValue: 1 << 1)
    /// The packet ends in LF alone.
    public static let lfTerminator = HJ212Deviations(rawValue: 1 << 2)
    /// The packet ends in CR alone, or in some other run of CR and LF.
    public static let oddTerminator = HJ212Deviations(rawValue: 1 << 3)
    /// The packet has no terminator.
    public static let noTerminator = HJ212Deviations(rawValue: 1 << 4)
    /// The data segment is longer than the nominal 1024 bytes.
    public static let overlong = HJ212Deviations(rawValue: 1 << 5)
    /// The header has no `QN`.
    public static let missingQN = HJ212Deviations(rawValue: 1 << 6)
    /// The header has no `Flag` (2005 behaviour is assumed).
    public static let missingFlag = HJ212Deviations(rawValue: 1 << 7)
    /// The header has no `PW` or no `MN`.
    public static let missingIdentity = HJ212Deviations(rawValue: 1 << 8)
    /// Header fields are out of the standard order (e.g. `MN` before `PW`, `PNO` before `PNUM`).
    public static let headerOrder = HJ212Deviations(rawValue: 1 << 9)
    /// Header fields are separated by `,` or `CP` follows without `;` (errors of the standard's own examples).
    public static let headerSeparator = HJ212Deviations(rawValue: 1 << 10)
    /// The header repeats a field or has a field the standard does not define; the first is kept.
    public static let unknownHeaderField = HJ212Deviations(rawValue: 1 << 11)
    /// `ST` is not two characters (`101`).
    public static let nonStandardST = HJ212Deviations(rawValue: 1 << 12)
    /// The Flag's D bit is set but `PNUM`/`PNO` are missing.
    public static let splitBitWithoutNumbers = HJ212Deviations(rawValue: 1 << 13)
    /// `PNUM`/`PNO` are present but the Flag's D bit is not set (or there is no Flag).
    public static let numbersWithoutSplitBit = HJ212Deviations(rawValue: 1 << 14)
    /// `CP` ends in a `;` or `,` before the closing `&&`, or has empty items.
    public static let emptyItem = HJ212Deviations(rawValue: 1 << 15)
    /// A `-Flag` value is not a flag of the packet's version.
    public static let unknownDataFlag = HJ212Deviations(rawValue: 1 << 16)
    /// `DataTime` carries milliseconds (17 digits).
    public static let dataTimeMilliseconds = HJ212Deviations(rawValue: 1 << 17)
    /// Bytes before `##` (whitespace) were skipped.
    public static let leadingBytes = HJ212Deviations(rawValue: 1 << 18)
    /// `DataTime` appears more than once; the first is kept.
    public static let repeatedDataTime = HJ212Deviations(rawValue: 1 << 19)

    private static let names: [(HJ212Deviations, String)] = [
        (.lowercaseCRC, "lowercase-crc"), (.shortCRC, "short-crc"), (.lfTerminator, "lf-terminator"),
        (.oddTerminator, "odd-terminator"), (.noTerminator, "no-terminator"), (.overlong, "overlong"),
        (.missingQN, "missing-qn"), (.missingFlag, "missing-flag"), (.missingIdentity, "missing-pw-or-mn"),
        (.headerOrder, "header-order"), (.headerSeparator, "header-separator"), (.unknownHeaderField, "unknown-header-field"),
        (.nonStandardST, "non-standard-st"), (.splitBitWithoutNumbers, "split-bit-without-pnum"),
        (.numbersWithoutSplitBit, "pnum-without-split-bit"), (.emptyItem, "empty-item"), (.unknownDataFlag, "unknown-data-flag"),
        (.dataTimeMilliseconds, "datatime-milliseconds"), (.leadingBytes, "leading-bytes"), (.repeatedDataTime, "repeated-datatime"),
    ]

    /// Short kebab-case names of the deviations present, e.g. `["lowercase-crc", "missing-qn"]`.
    public var names: [String] { HJ212Deviations.names.filter { contains($0.0) }.map(\.1) }

    /// The names joined by commas.
    public var description: String { names.joined(separator: ",") }
}
