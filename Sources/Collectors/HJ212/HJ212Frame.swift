/// One received HJ 212 packet split into its parts: the data segment, its declared length and CRC,
/// and the header fields, read by name in any order.
///
/// Header texts stay bytes of ``segment`` until read. The `Flag` bits are decoded per §4:
/// `version = Flag >> 2`, `A` (bit 0) asks for a reply, `D` (bit 1) marks a split packet.
public struct HJ212Frame: Sendable, Hashable {
    /// How a packet ended.
    public enum Terminator: String, Sendable, Hashable {
        /// CR LF, as the standard requires.
        case crlf
        /// LF alone.
        case lf
        /// CR alone.
        case cr
        /// Another run of CR and LF bytes.
        case other
        /// Nothing after the CRC.
        case none
    }

    /// The data segment exactly as received: from `QN=`/`ST=` through the closing `&&`.
    public let segment: [UInt8]
    /// The four-digit length after `##`, or `nil` when those were not four decimal digits.
    public let declaredLength: Int?
    /// The CRC text as sent (one to four hex digits, either case), or `nil` when none was found.
    public let crcText: String?
    /// The value of ``crcText``.
    public let crcSent: UInt16?
    /// What followed the CRC.
    public let terminator: Terminator

    let qnSpan: HJ212Span?
    let stSpan: HJ212Span?
    let cnSpan: HJ212Span?
    let pwSpan: HJ212Span?
    let mnSpan: HJ212Span?
    let cpSpan: HJ212Span?

    /// The `Flag` value, when present and an integer 0…255.
    public let flag: Int?
    /// `PNUM`, the number of packets in a split transmission.
    public let pnum: Int?
    /// `PNO`, this packet's 1-based number in a split transmission.
    public let pno: Int?

    init(
        segment: [UInt8], declaredLength: Int?, crcText: String?, crcSent: UInt16?, terminator: Terminator,
        qn: HJ212Span?, st: HJ212Span?, cn: HJ212Span?, pw: HJ212Span?, mn: HJ212Span?, cp: HJ212Span?,
        flag: Int?, pnum: Int?, pno: Int?
    ) {
        self.segment = segment
        self.declaredLength = declaredLength
        self.crcText = crcText
        self.crcSent = crcSent
        self.terminator = terminator
        qnSpan = qn
        stSpan = st
        cnSpan = cn
        pwSpan = pw
        mnSpan = mn
        cpSpan = cp
        self.flag = flag
        self.pnum = pnum
        self.pno = pno
    }

    /// The data segment as text (UTF-8; invalid bytes become U+FFFD).
    public var segmentText: String { String(decoding: segment, as: UTF8.self) }

    /// `QN`, the request number (`YYYYMMDDhhmmsszzz`); replies echo it.
    public var qn: String? { qnSpan?.text(in: segment) }
    /// `ST`, the system code (`22` ambient air, `31` flue gas, `32` wastewater, `91` replies…).
    public var st: String? { stSpan?.text(in: segment) }
    /// `CN`, the command code (`2011` real-time data, `2051` minute data, `9014` data reply…).
    public var cn: String? { cnSpan?.text(in: segment) }
    /// `PW`, the access password.
    public var pw: String? { pwSpan?.text(in: segment) }
    /// `MN`, the device id; an opaque string (real devices send 7 to 24 characters of any kind).
    public var mn: String? { mnSpan?.text(in: segment) }
    /// The data area of `CP=&&…&&`, without the `&&`; `nil` when the segment has no `CP=&&`.
    public var cp: String? { cpSpan?.text(in: segment) }

    /// `CN` as a number, when it is one.
    public var command: Int? {
        guard let cnSpan else { return nil }
        return segment.withUnsafeBufferPointer { HJ212Scan.parseUInt($0, Int(cnSpan.lower), Int(cnSpan.upper)) }
    }

    /// The edition of the standard, from the Flag's version bits; 2005 when there is no Flag.
    public var version: HJ212Version { HJ212Version(flag: flag) }

    /// Whether the sender asks for a reply (Flag bit A): a 9014 for data uploads.
    public var ackRequired: Bool { (flag ?? 0) & 1 == 1 }

    /// Whether the Flag's D bit marks this packet as one of a split transmission.
    ///
    /// Some senders send `PNUM`/`PNO` without the bit, or the bit without them: see ``pnum``/``pno``.
    public var isSplit: Bool { (flag ?? 0) & 2 == 2 }

    /// The header fields as strings, for echoing or re-encoding.
    public var header: HJ212Header {
        HJ212Header(qn: qn, st: st, cn: cn, pw: pw, mn: mn, flag: flag, pnum: pnum, pno: pno)
    }
}
