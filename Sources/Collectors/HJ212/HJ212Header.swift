/// The header fields of an HJ 212 data segment, in the standard's order, as the encoder takes them.
public struct HJ212Header: Sendable, Hashable {
    /// `QN`: the request number, `YYYYMMDDhhmmsszzz`; omitted when `nil`.
    public var qn: String?
    /// `ST`: the system code; required to encode.
    public var st: String?
    /// `CN`: the four-digit command code; required to encode.
    public var cn: String?
    /// `PW`: the access password.
    public var pw: String?
    /// `MN`: the device id.
    public var mn: String?
    /// `Flag`: 0…255; bit 0 asks for a reply, bit 1 marks a split packet, bits 2… are the version.
    public var flag: Int?
    /// `PNUM`: packets in a split transmission (requires the D bit of ``flag``).
    public var pnum: Int?
    /// `PNO`: this packet's 1-based number.
    public var pno: Int?

    /// Creates a header.
    public init(
        qn: String? = nil, st: String?, cn: String?, pw: String? = nil, mn: String? = nil, flag: Int? = nil, pnum: Int? = nil,
        pno: Int? = nil
    ) {
        self.qn = qn
        self.st = st
        self.cn = cn
        self.pw = pw
        self.mn = mn
        self.flag = flag
        self.pnum = pnum
        self.pno = pno
    }
}
