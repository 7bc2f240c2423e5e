/// The checksum algorithm a sender used, as told apart by ``HJ212CRC/classify(_:sent:)``.
public enum HJ212CRCVariant: String, Sendable, Hashable, Codable, CaseIterable {
    /// The HJ 212 algorithm of the standard (hex case does not matter).
    case hj212
    /// CRC-16/MODBUS printed high byte first.
    case modbus
    /// CRC-16/MODBUS printed low byte first, as several real field units do.
    case modbusSwapped = "modbus-swapped"
    /// None of the above, or no CRC was sent.
    case unknown
}
