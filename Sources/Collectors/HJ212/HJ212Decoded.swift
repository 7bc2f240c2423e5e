public import Monitoring

/// What ``HJ212Decoder`` made of one packet: the frame, the verdicts on its CRC and length, the
/// data time, the values, and everything that was wrong with it.
///
/// A decoded packet is never thrown away by the decoder: ``errors`` lists what is wrong, and a
/// collector decides by policy. ``errors`` is empty for a clean packet; tolerated departures from
/// the standard are in ``deviations`` instead.
public struct HJ212Decoded: Sendable, Hashable {
    /// The frame: data segment, length, CRC text and header fields.
    public var frame: HJ212Frame
    /// Whether the CRC sent is the HJ 212 checksum of the data segment (compared case-insensitively).
    public var crcOK: Bool
    /// The CRC sent, or `nil` when none was found.
    public var crcSent: UInt16? { frame.crcSent }
    /// The HJ 212 checksum of the data segment.
    public var crcExpected: UInt16
    /// The algorithm the sender used; ``HJ212CRCVariant/hj212`` exactly when ``crcOK``.
    public var crcVariant: HJ212CRCVariant
    /// Whether the declared length is the data segment's length in bytes.
    public var lengthOK: Bool
    /// `DataTime` in the sender's local clock (the standard names no zone; it is normally Beijing time).
    public var dataTime: CivilTime?
    /// The milliseconds of a 17-digit `DataTime`, `nil` for the standard 14 digits.
    public var dataTimeMilliseconds: Int?
    /// Where the `DataTime` value is in the data segment, also when it is not a valid time.
    var dataTimeSpan: HJ212Span?
    /// The pollutant items of `CP` (`code-Field=value`), in packet order.
    public var values: HJ212Values
    /// The other items of `CP` (`RestartTime=…`, `QnRtn=1`, `BeginTime=…`), in packet order.
    public var entries: [HJ212Entry]
    /// What is wrong with the packet, one sentence each; empty when it is clean.
    public var errors: [String]
    /// Departures from the standard that were tolerated.
    public var deviations: HJ212Deviations

    /// The `DataTime` value exactly as sent, also when it is not a valid time (``dataTime`` is then
    /// `nil`), or `nil` when the packet has none: `20261306080000` names a month 13.
    public var dataTimeText: String? { dataTimeSpan?.text(in: frame.segment) }

    /// Whether the packet is clean: no errors at all (deviations allowed).
    public var isClean: Bool { errors.isEmpty }

    /// `QN`.
    public var qn: String? { frame.qn }
    /// `ST`.
    public var st: String? { frame.st }
    /// `CN`.
    public var cn: String? { frame.cn }
    /// `PW`.
    public var pw: String? { frame.pw }
    /// `MN`.
    public var mn: String? { frame.mn }
    /// `Flag`.
    public var flag: Int? { frame.flag }
    /// The edition of the standard.
    public var version: HJ212Version { frame.version }
    /// Whether the sender asks for a reply (Flag bit A).
    public var ackRequired: Bool { frame.ackRequired }
    /// Whether the Flag's D bit is set.
    public var isSplit: Bool { frame.isSplit }

    /// The values grouped per factor code, in order of first appearance: the reading of each parameter.
    ///
    /// ```swift
    /// for reading in decoded.readings where reading.parameter != nil {
    ///     if let value = reading.rtd ?? reading.avg, reading.flag?.isValid ?? true { … }
    /// }
    /// ```
    public var readings: [HJ212Reading] {
        let raw = values.raw
        guard !raw.isEmpty else { return [] }
        var result: [HJ212Reading] = []
        // The reading of each value's code, through an index of codes: linear in the values.
        var readingOfFirst = [Int](repeating: -1, count: raw.count)
        var codes = HJ212CodeIndex()
        return values.storage.withUnsafeBufferPointer { q in
            raw.withUnsafeBufferPointer { all in
                for (i, r) in raw.enumerated() {
                    let first = codes.insert(i, in: all, q)
                    if first == i {
                        readingOfFirst[i] = result.count
                        result.append(HJ212Reading(source: values, first: i))
                    }
                    result[readingOfFirst[first]].take(r, q)
                }
            }
            return result
        }
    }
}
