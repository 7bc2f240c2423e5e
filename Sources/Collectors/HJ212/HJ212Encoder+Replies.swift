public import Monitoring

extension HJ212Encoder {
    /// The reply a collector sends to a received packet, or `nil` when it must send none (§6, §12).
    ///
    /// * No reply when the CRC variant is not accepted (HJ 212-2017: "if the CRC is wrong, execution
    ///   ends"), or the packet has no `CN`.
    /// * `CN=1013` (time-calibration request) gets a 9013 notification reply.
    /// * Replies (`CN=9xxx`) get nothing.
    /// * Anything else with Flag bit A gets a 9014 data reply; without A, nothing.
    ///
    /// - Parameters:
    ///   - request: the decoded packet.
    ///   - variants: the CRC variants accepted from this sender (pin one per MN if a device needs it).
    ///   - time: the collector's local time, used for the reply's `QN` only when the packet has none.
    /// - Returns: the reply's bytes, or `nil`.
    /// - Throws: ``CollectorError`` (``CollectorError/Code/encoding``) when the packet's `PW`, `MN` or `QN`
    ///   cannot be echoed in a well-formed reply.
    public static func reply(
        to request: HJ212Decoded, accepting variants: Set<HJ212CRCVariant> = [.hj212], at time: CivilTime? = nil
    ) throws -> [UInt8]? {
        guard variants.contains(request.crcVariant), let command = request.frame.command else { return nil }
        if command == 1013 { return try notificationReply(to: request, at: time) }
        if command / 1000 == 9 { return nil }
        return request.ackRequired ? try dataReply(to: request, at: time) : nil
    }

    /// A 9014 data reply to an upload.
    ///
    /// For HJ 212-2017 and later, the "2017 reply packet shape": the upload's `QN`, `ST=91`,
    /// `CN=9014`, its `PW` and `MN`, `Flag=4`, `CP=&&&&`. For 2005 packets, the 2005 shape
    /// `ST=91;CN=9014;CP=&&QN=…;CN=<upload CN>[;PNO=…;PNUM=…]&&`.
    ///
    /// - Parameters:
    ///   - request: the upload.
    ///   - time: used for `QN` only when the upload has none; without either, `QN` is left out.
    public static func dataReply(to request: HJ212Decoded, at time: CivilTime? = nil) throws -> [UInt8] {
        let qn = replyQN(request, time)
        if request.version.is2017OrLater {
            return try frame(reply2017(request, cn: "9014", qn: qn), cp: "")
        }
        var cp: [String] = []
        if let qn { cp.append("QN=\(qn)") }
        if let cn = request.cn { cp.append("CN=\(cn)") }
        if let pnum = request.frame.pnum, let pno = request.frame.pno { cp.append("PNO=\(pno);PNUM=\(pnum)") }
        return try frame(HJ212Header(st: "91", cn: "9014"), cp: cp.joined(separator: ";"))
    }

    /// A 9013 notification reply, e.g. to a 1013 time-calibration request.
    ///
    /// 2017 shape: `QN=…;ST=91;CN=9013;PW=…;MN=…;Flag=4;CP=&&&&`; 2005 shape:
    /// `ST=91;CN=9013;PW=…;MN=…;CP=&&QN=…&&`.
    public static func notificationReply(to request: HJ212Decoded, at time: CivilTime? = nil) throws -> [UInt8] {
        let qn = replyQN(request, time)
        if request.version.is2017OrLater {
            return try frame(reply2017(request, cn: "9013", qn: qn), cp: "")
        }
        let header = HJ212Header(st: "91", cn: "9013", pw: request.pw, mn: request.mn)
        return try frame(header, cp: qn.map { "QN=\($0)" } ?? "")
    }

    /// A 9011 request reply (`QnRtn`), as a field unit answers a command.
    ///
    /// 2017 shape: `QN=…;ST=91;CN=9011;PW=…;MN=…;Flag=4;CP=&&QnRtn=1&&`; 2005 shape:
    /// `ST=91;CN=9011;PW=…;MN=…;Flag=0;CP=&&QN=…;QnRtn=1&&`.
    public static func requestReply(to request: HJ212Decoded, _ result: HJ212RequestReturn, at time: CivilTime? = nil) throws -> [UInt8] {
        try interactionReply(request, cn: "9011", item: "QnRtn=\(result.rawValue)", time: time)
    }

    /// A 9012 execution reply (`ExeRtn`), as a field unit reports a command's result.
    ///
    /// 2017 shape: `QN=…;ST=91;CN=9012;PW=…;MN=…;Flag=4;CP=&&ExeRtn=1&&`; for 2005 the shape of the
    /// 9011 reply (`Flag=0`, `QN` inside `CP`), which the 2005 text implies but does not print.
    public static func executionReply(to request: HJ212Decoded, _ result: HJ212ExecutionReturn, at time: CivilTime? = nil) throws -> [UInt8] {
        try interactionReply(request, cn: "9012", item: "ExeRtn=\(result.rawValue)", time: time)
    }

    /// A 1012 "set field-unit time" request, which a host typically sends after answering a 1013.
    ///
    /// - Parameters:
    ///   - device: a packet of the device (its `ST`, `PW`, `MN` and version are used).
    ///   - systemTime: the time to set, in the device's local clock.
    ///   - qn: the request's own `QN` (see ``qn(_:milliseconds:)``).
    /// - Returns: `QN=…;ST=<device ST>;CN=1012;PW=…;MN=…;Flag=5;CP=&&SystemTime=…&&` (Flag=1 for 2005 devices).
    public static func setTimeRequest(to device: HJ212Decoded, systemTime: CivilTime, qn: String) throws -> [UInt8] {
        let flag = device.version.is2017OrLater ? 5 : 1
        let header = HJ212Header(qn: qn, st: device.st, cn: "1012", pw: device.pw, mn: device.mn, flag: flag)
        return try frame(header, cp: "SystemTime=" + timeText(systemTime))
    }

    private static func interactionReply(_ request: HJ212Decoded, cn: String, item: String, time: CivilTime?) throws -> [UInt8] {
        let qn = replyQN(request, time)
        if request.version.is2017OrLater {
            return try frame(reply2017(request, cn: cn, qn: qn), cp: item)
        }
        let header = HJ212Header(st: "91", cn: cn, pw: request.pw, mn: request.mn, flag: 0)
        let items = (qn.map { ["QN=\($0)"] } ?? []) + [item]
        return try frame(header, cp: items.joined(separator: ";"))
    }

    private static func reply2017(_ request: HJ212Decoded, cn: String, qn: String?) -> HJ212Header {
        HJ212Header(qn: qn, st: "91", cn: cn, pw: request.pw, mn: request.mn, flag: 4)
    }

    private static func replyQN(_ request: HJ212Decoded, _ time: CivilTime?) -> String? {
        request.qn ?? time.map { qn($0) }
    }
}
