public import Monitoring

/// Decodes HJ 212 packets, tolerantly: it never throws and never traps, whatever the bytes.
///
/// ```swift
/// let decoded = HJ212Decoder.decode(Array(packet.utf8))
/// guard decoded.crcOK else { … }                       // or pin decoded.crcVariant per MN
/// for value in decoded.values where value.field == .rtd { … }
/// ```
///
/// What it tolerates (§12 of the protocol notes): header fields in any order and separated by `,`;
/// missing `QN` or `Flag` (2005 behaviour); CRCs in lowercase or with a dropped leading zero;
/// LF-only, CR-only or no terminator; declared lengths that do not fit (the segment is then found by
/// its closing `&&`); non-hex `MN`; vendor factor codes; empty items and a trailing `;` in `CP`;
/// `//…//` texts holding separators; 2005 data flags (letters and air-station digits).
///
/// Factor codes map to catalogue ids through ``ParameterCatalogue/byCode(_:)``. A 2005 code is only
/// taken when the packet's `ST` admits the parameter's medium (water: ST 21, 24, 26, 32–35, 52; gas:
/// 22, 27, 31, 39, 51; anything else admits both), because real 2005-style flue-gas units send local
/// codes such as `023` that the 2005 water table gives to total chromium.
public struct HJ212Decoder: Sendable {
    let codes: HJ212CodeTable
    /// Whether `CP` items become ``HJ212Decoded/values`` and ``HJ212Decoded/entries``; when `false`
    /// only the frame, the CRC and length verdicts and `DataTime` are decoded.
    public var parsesValues: Bool

    /// Creates a decoder.
    ///
    /// - Parameters:
    ///   - catalogue: where factor codes are looked up.
    ///   - parsesValues: `false` for a lighter pass that skips the `CP` items.
    public init(catalogue: ParameterCatalogue = .standard, parsesValues: Bool = true) {
        codes = HJ212CodeTable(catalogue)
        self.parsesValues = parsesValues
    }

    /// The decoder on the standard catalogue.
    public static let standard = HJ212Decoder()

    /// Decodes one packet with the standard catalogue (see ``decode(_:)-(some Collection<UInt8>)``).
    public static func decode(_ bytes: some Collection<UInt8>) -> HJ212Decoded { standard.decode(bytes) }

    /// Decodes one packet given as text.
    public static func decode(_ text: String) -> HJ212Decoded { standard.decode(text.utf8) }

    /// Decodes one packet: `##`, length, data segment, CRC and terminator.
    ///
    /// Whitespace before `##` and any run of CR and LF at the end are accepted. The packet should be
    /// a single frame, as ``HJ212FrameSplitter`` delivers them.
    ///
    /// - Parameter bytes: the packet.
    /// - Returns: the decoded packet; check ``HJ212Decoded/errors`` and ``HJ212Decoded/crcOK``.
    public func decode(_ bytes: some Collection<UInt8>) -> HJ212Decoded {
        if let decoded = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return decoded }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// Decodes one packet held in contiguous memory.
    public func decode(buffer p: UnsafeBufferPointer<UInt8>) -> HJ212Decoded {
        typealias S = HJ212Scan
        var errors: [String] = []
        var deviations: HJ212Deviations = []
        let n = p.count

        var s = 0
        while s < n, p[s] == 0x20 || p[s] == 0x09 || p[s] == S.cr || p[s] == S.lf { s += 1 }
        if s > 0 { deviations.insert(.leadingBytes) }
        var e = n
        while e > s, p[e - 1] == S.cr || p[e - 1] == S.lf { e -= 1 }
        let terminator: HJ212Frame.Terminator
        switch n - e {
        case 0: terminator = .none
        case 1: terminator = p[e] == S.lf ? .lf : .cr
        case 2 where p[e] == S.cr && p[e + 1] == S.lf: terminator = .crlf
        default: terminator = .other
        }
        switch terminator {
        case .crlf: break
        case .lf: deviations.insert(.lfTerminator)
        case .cr, .other: deviations.insert(.oddTerminator)
        case .none: deviations.insert(.noTerminator)
        }

        // `##` and the length.
        var declared: Int?
        var body = s
        if e - s >= 2 && p[s] == S.hash && p[s + 1] == S.hash {
            body = s + 2
            var k = 0
            while k < 4 && body + k < e && S.isDigit(p[body + k]) { k += 1 }
            if k == 4 {
                declared = S.parseUInt(p, body, body + 4)
                body += 4
            } else {
                let shown = S.string(p, body, Swift.min(body + 4, e))
                errors.append("the length after '##' is not four decimal digits: '\(shown)'")
                // A garbled length field is skipped when a header key follows it (`##01x5QN=…`); a
                // missing one (`##ST=…`) is not.
                let garbled = body + 5 < e && (p[body + 4] | 0x20) &- 0x61 < 26
                    && !(body..<(body + 4)).contains { p[$0] == S.equals || p[$0] == S.semicolon }
                body += garbled ? 4 : k
            }
        } else {
            errors.append(e > s ? "no '##' at the start of the packet" : "empty packet")
        }

        // The data segment: by the declared length when it lands on `&&` + hex, else up to the last `&&`.
        var segEnd = -1
        var crcEnd = -1
        if let length = declared, length >= 2, body + length <= e, p[body + length - 1] == S.amp, p[body + length - 2] == S.amp {
            let k = HJ212Decoder.hexRun(p, body + length, e)
            if k > 0 {
                segEnd = body + length
                crcEnd = segEnd + k
            }
        }
        if segEnd < 0 {
            var i = e - 1
            while i > body && !(p[i] == S.amp && p[i - 1] == S.amp) { i -= 1 }
            if i > body {
                segEnd = i + 1
                crcEnd = segEnd + HJ212Decoder.hexRun(p, segEnd, e)
            } else {
                if e > body { errors.append("the data segment has no closing '&&'") }
                var k = 0
                while k < 4 && e - k - 1 >= body && S.hexValue(p[e - k - 1]) != nil { k += 1 }
                segEnd = k == 4 && e - 4 > body ? e - 4 : e
                crcEnd = e
            }
        }
        if crcEnd < e { errors.append("\(e - crcEnd) unexpected bytes after the CRC") }

        // The CRC.
        var crcText: String?
        var crcSent: UInt16?
        if crcEnd > segEnd {
            var v: UInt16 = 0
            for i in segEnd..<crcEnd {
                let c = p[i]
                v = v << 4 | (S.hexValue(c) ?? 0)
                if c &- 0x61 < 6 { deviations.insert(.lowercaseCRC) }
            }
            crcSent = v
            crcText = S.string(p, segEnd, crcEnd)
            if crcEnd - segEnd < 4 { deviations.insert(.shortCRC) }
        } else {
            errors.append("no CRC after the data segment")
        }
        let segmentBuffer = UnsafeBufferPointer(rebasing: p[body..<segEnd])
        let expected = HJ212CRC.checksum(buffer: segmentBuffer)
        var variant = HJ212CRCVariant.unknown
        if let sent = crcSent {
            variant = HJ212CRC.classify(buffer: segmentBuffer, sent: sent, hj212: expected)
            let shown = crcText ?? ""
            switch variant {
            case .hj212: break
            case .modbus: errors.append("CRC \(shown) is CRC-16/MODBUS, not the HJ 212 CRC \(HJ212CRC.hex(expected))")
            case .modbusSwapped:
                errors.append("CRC \(shown) is CRC-16/MODBUS byte-swapped, not the HJ 212 CRC \(HJ212CRC.hex(expected))")
            case .unknown: errors.append("CRC mismatch: sent \(shown), expected \(HJ212CRC.hex(expected))")
            }
        }

        let actual = segEnd - body
        let lengthOK = declared == actual
        if let length = declared, !lengthOK {
            errors.append("declared length \(length) but the data segment has \(actual) bytes")
        }
        if actual > 1024 { deviations.insert(.overlong) }

        let segment = Array(segmentBuffer)
        var parsed = segment.withUnsafeBufferPointer { q in
            parseSegment(q, errors: &errors, deviations: &deviations)
        }
        parsed.frameFields.declaredLength = declared
        parsed.frameFields.crcText = crcText
        parsed.frameFields.crcSent = crcSent
        parsed.frameFields.terminator = terminator
        return HJ212Decoded(
            frame: parsed.frameFields.frame(segment), crcOK: variant == .hj212, crcExpected: expected, crcVariant: variant,
            lengthOK: lengthOK, dataTime: parsed.dataTime, dataTimeMilliseconds: parsed.milliseconds, dataTimeSpan: parsed.dataTimeSpan,
            values: HJ212Values(storage: segment, raw: parsed.values, ids: codes.ids), entries: parsed.entries, errors: errors,
            deviations: deviations)
    }

    /// The number of hex digits (at most four) from `start`.
    static func hexRun(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var k = 0
        while k < 4 && start + k < end && HJ212Scan.hexValue(p[start + k]) != nil { k += 1 }
        return k
    }
}
