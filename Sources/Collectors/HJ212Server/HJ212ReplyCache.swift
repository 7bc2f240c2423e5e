/// Builds a connection's 9014 data replies from a cached tail: `ST=91;CN=9014;PW=…;MN=…;Flag=4;CP=&&&&`
/// is the same for every frame of one unit, so only `QN`, the length and the CRC change.
///
/// The tail is made by ``HJ212Encoder`` itself (so what it refuses is refused here too) the first
/// time a `(PW, MN)` is seen; a reply is then the encoder's bytes (a test checks every real
/// packet). For anything but a 2017 upload that asks for a reply, with a plain-digit `QN`,
/// ``reply(to:accepting:)`` returns nil and the caller asks the encoder.
struct HJ212ReplyCache {
    private var pw: String?
    private var mn: String?
    private var tail: [UInt8] = []

    /// The 9014 reply to `request`, or nil when the fast path does not apply.
    mutating func reply(to request: HJ212Decoded, accepting variants: Set<HJ212CRCVariant>) -> [UInt8]? {
        guard variants.contains(request.crcVariant), request.version.is2017OrLater, request.ackRequired,
            let command = request.frame.command, command != 1013, command / 1000 != 9,
            let qn = request.qn, !qn.isEmpty, qn.utf8.count <= 20, qn.utf8.allSatisfy(HJ212Scan.isDigit)
        else { return nil }
        if tail.isEmpty || request.pw != pw || request.mn != mn {
            // "QN=0;" + tail, from the encoder; refused PW or MN: no fast path (the encoder says why).
            guard let segment = try? HJ212Encoder.segment(HJ212Header(qn: "0", st: "91", cn: "9014", pw: request.pw, mn: request.mn, flag: 4), cp: "")
            else { return nil }
            tail = Array(segment.utf8.dropFirst(5))
            pw = request.pw
            mn = request.mn
        }
        // "QN=" + qn + ";" + tail, written straight into the frame: one allocation a reply.
        var qnText = qn
        let length = 4 + qn.utf8.count + tail.count
        guard length <= HJ212Encoder.maxSegmentLength else { return nil }
        return qnText.withUTF8 { qnBytes in
            tail.withUnsafeBufferPointer { tailBytes in
                HJ212Encoder.framed(segmentLength: length) { out in
                    out[0] = UInt8(ascii: "Q")
                    out[1] = UInt8(ascii: "N")
                    out[2] = UInt8(ascii: "=")
                    var at = 3
                    for b in qnBytes {
                        out[at] = b
                        at += 1
                    }
                    out[at] = UInt8(ascii: ";")
                    at += 1
                    for b in tailBytes {
                        out[at] = b
                        at += 1
                    }
                }
            }
        }
    }
}
