/// The HJ 212 checksum and the CRC-16/MODBUS variants real field units send instead.
///
/// The HJ 212 algorithm ("ANSI CRC16" in HJ 212-2017 Appendix A) is **not** CRC-16/MODBUS, although
/// both start from 0xFFFF and use the reflected polynomial 0xA001: HJ 212 replaces the register with
/// `(reg >> 8) ^ byte` before the eight shifts, Modbus XORs the byte into the whole register.
///
/// ```swift
/// let crc = HJ212CRC.checksum(Array("QN=…;CP=&&RtdInterval=30&&".utf8))
/// print(HJ212CRC.hex(crc))   // four uppercase hex digits, e.g. 1C80
/// ```
///
/// Because only 8 bits of state survive each byte, there are just 256 possible HJ 212 values, and
/// their low byte is always one of `00 01 40 41 80 81 C0 C1` (see ``canBeHJ212(_:)``).
public enum HJ212CRC {
    /// The HJ 212 checksum of a data segment (the bytes from `QN=`/`ST=` through the closing `&&`).
    ///
    /// - Parameter bytes: the data segment, exactly as sent.
    /// - Returns: the checksum; `0xFFFF` for no bytes.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        if let crc = bytes.withContiguousStorageIfAvailable({ checksum(buffer: $0) }) { return crc }
        var reg: UInt16 = 0xFFFF
        for byte in bytes { reg = arc[Int((reg >> 8) ^ UInt16(byte))] }
        return reg
    }

    /// The CRC-16/MODBUS of the bytes (initial 0xFFFF, reflected 0xA001, no final XOR), high byte first.
    ///
    /// - Parameter bytes: the data segment.
    /// - Returns: the checksum as a number; a "byte-swapped" sender prints it low byte first.
    public static func modbus(_ bytes: some Sequence<UInt8>) -> UInt16 {
        if let crc = bytes.withContiguousStorageIfAvailable({ modbus(buffer: $0) }) { return crc }
        var reg: UInt16 = 0xFFFF
        for byte in bytes { reg = (reg >> 8) ^ arc[Int((reg ^ UInt16(byte)) & 0xFF)] }
        return reg
    }

    /// The checksum a sender using `variant` puts on `bytes`, or `nil` for ``HJ212CRCVariant/unknown``.
    ///
    /// - Parameters:
    ///   - bytes: the data segment.
    ///   - variant: the algorithm and byte order.
    public static func checksum(_ bytes: some Sequence<UInt8>, variant: HJ212CRCVariant) -> UInt16? {
        switch variant {
        case .hj212: checksum(bytes)
        case .modbus: modbus(bytes)
        case .modbusSwapped: modbus(bytes).byteSwapped
        case .unknown: nil
        }
    }

    /// Which algorithm produced `sent` for this data segment.
    ///
    /// The HJ 212 algorithm is tried first, then CRC-16/MODBUS high byte first, then byte-swapped.
    ///
    /// - Parameters:
    ///   - segment: the data segment the sender checksummed.
    ///   - sent: the value of the four hex digits the sender appended.
    /// - Returns: the matching variant, or ``HJ212CRCVariant/unknown`` when none matches.
    public static func classify(_ segment: some Sequence<UInt8>, sent: UInt16) -> HJ212CRCVariant {
        if let variant = segment.withContiguousStorageIfAvailable({ classify(buffer: $0, sent: sent, hj212: nil) }) {
            return variant
        }
        return Array(segment).withUnsafeBufferPointer { classify(buffer: $0, sent: sent, hj212: nil) }
    }

    /// Whether `value` can be an HJ 212 checksum at all: its low byte is one of the eight the
    /// algorithm can produce. A cheap first test that a sender uses another algorithm.
    public static func canBeHJ212(_ value: UInt16) -> Bool {
        switch value & 0xFF {
        case 0x00, 0x01, 0x40, 0x41, 0x80, 0x81, 0xC0, 0xC1: true
        default: false
        }
    }

    /// Four uppercase hex digits, high byte first, as HJ 212 prints a CRC.
    public static func hex(_ value: UInt16) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        let bytes = [
            digits[Int(value >> 12)], digits[Int(value >> 8 & 0xF)], digits[Int(value >> 4 & 0xF)], digits[Int(value & 0xF)],
        ]
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Fast paths

    static func classify(buffer: UnsafeBufferPointer<UInt8>, sent: UInt16, hj212: UInt16?) -> HJ212CRCVariant {
        if (hj212 ?? checksum(buffer: buffer)) == sent { return .hj212 }
        let modbus = modbus(buffer: buffer)
        if modbus == sent { return .modbus }
        if modbus.byteSwapped == sent { return .modbusSwapped }
        return .unknown
    }

    /// The HJ 212 checksum, eight bytes per step.
    ///
    /// With `y` the 8-bit table index of one step, `y' = M(y) ^ b` where `M(v) = arc[v] >> 8` is
    /// linear over GF(2). Unrolling eight steps, `y₈ = M⁸(y) ^ M⁷(b₁) ^ … ^ M(b₇) ^ b₈`: one dependent
    /// table load per eight bytes instead of one per byte.
    static func checksum(buffer: UnsafeBufferPointer<UInt8>) -> UInt16 {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0xFFFF }
        let n = buffer.count
        return powers.withUnsafeBufferPointer { t in
            var y = Int(0xFF ^ base[0])
            var i = 1
            while i + 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let a = t[2048 + y] ^ t[1792 + Int(w & 0xFF)] ^ t[1536 + Int(w >> 8 & 0xFF)] ^ t[1280 + Int(w >> 16 & 0xFF)]
                let b = t[1024 + Int(w >> 24 & 0xFF)] ^ t[768 + Int(w >> 32 & 0xFF)] ^ t[512 + Int(w >> 40 & 0xFF)]
                    ^ t[256 + Int(w >> 48 & 0xFF)] ^ UInt8(truncatingIfNeeded: w >> 56)
                y = Int(a ^ b)
                i += 8
            }
            while i < n {
                y = Int(t[256 + y] ^ base[i])
                i += 1
            }
            return arc[y]
        }
    }

    /// CRC-16/MODBUS by slicing-by-8: `modbusSlices[k * 256 + v]` is the table entry of byte `v`
    /// followed by `k` zero bytes.
    static func modbus(buffer: UnsafeBufferPointer<UInt8>) -> UInt16 {
        guard let base = buffer.baseAddress else { return 0xFFFF }
        let n = buffer.count
        return modbusSlices.withUnsafeBufferPointer { t in
            var reg: UInt16 = 0xFFFF
            var i = 0
            while i + 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                let x = reg ^ UInt16(truncatingIfNeeded: w)
                let a = t[1792 + Int(x & 0xFF)] ^ t[1536 + Int(x >> 8)] ^ t[1280 + Int(w >> 16 & 0xFF)] ^ t[1024 + Int(w >> 24 & 0xFF)]
                let b = t[768 + Int(w >> 32 & 0xFF)] ^ t[512 + Int(w >> 40 & 0xFF)] ^ t[256 + Int(w >> 48 & 0xFF)] ^ t[Int(w >> 56)]
                reg = a ^ b
                i += 8
            }
            while i < n {
                reg = (reg >> 8) ^ t[Int((reg ^ UInt16(base[i])) & 0xFF)]
                i += 1
            }
            return reg
        }
    }

    static let modbusSlices: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 8 * 256)
        for v in 0..<256 { table[v] = arc[v] }
        for k in 1..<8 {
            for v in 0..<256 {
                let prev = table[(k - 1) * 256 + v]
                table[k * 256 + v] = (prev >> 8) ^ arc[Int(prev & 0xFF)]
            }
        }
        return table
    }()

    /// The CRC-16/ARC table: eight reflected 0xA001 shifts of each byte value.
    static let arc: [UInt16] = (0..<256).map { value in
        var reg = UInt16(value)
        for _ in 0..<8 { reg = reg & 1 == 1 ? (reg >> 1) ^ 0xA001 : reg >> 1 }
        return reg
    }

    /// `powers[j * 256 + v]` is `Mʲ(v)` for j in 0…8, with `M(v) = arc[v] >> 8`.
    static let powers: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 9 * 256)
        for v in 0..<256 { table[v] = UInt8(v) }
        for j in 1...8 {
            for v in 0..<256 { table[j * 256 + v] = UInt8(arc[Int(table[(j - 1) * 256 + v])] >> 8) }
        }
        return table
    }()
}
