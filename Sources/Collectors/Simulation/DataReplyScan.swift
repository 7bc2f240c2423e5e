/// Reads the `QN` of a 9014 data reply without decoding the whole frame: the simulator gets
/// one such reply for every frame it sends, and the full decoder (every field, typed) was a
/// sixth of its time. Anything it does not recognise (another shape, a bad CRC) returns nil, and
/// the caller falls back to ``HJ212Decoder``.
public enum DataReplyScan {
    /// The `QN` of `frame` when it is a well-formed `##dddd…CRC\r\n` frame with a right CRC,
    /// whose segment says `CN=9014`; otherwise nil.
    public static func qn(ofDataReply frame: [UInt8]) -> String? {
        frame.withUnsafeBufferPointer { p -> String? in
            let n = p.count
            guard n >= 12, p[0] == 0x23, p[1] == 0x23 else { return nil }
            var length = 0
            for i in 2..<6 {
                guard HJ212Scan.isDigit(p[i]) else { return nil }
                length = length * 10 + Int(p[i] - 0x30)
            }
            let end = 6 + length
            guard end + 4 <= n else { return nil }
            let segment = UnsafeBufferPointer(rebasing: p[6..<end])
            var sent: UInt16 = 0
            for i in end..<(end + 4) {
                guard let v = HJ212Scan.hexValue(p[i]) else { return nil }
                sent = sent << 4 | v
            }
            guard HJ212CRC.checksum(buffer: segment) == sent else { return nil }
            var qn: String?
            var cnIs9014 = false
            var fieldStart = 0
            // Header fields up to CP: `KEY=value;`.
            for i in 0...segment.count {
                guard i == segment.count || segment[i] == 0x3B else { continue }
                let field = UnsafeBufferPointer(rebasing: segment[fieldStart..<i])
                fieldStart = i + 1
                if field.starts(with: "CP=".utf8) { break }
                if field.starts(with: "QN=".utf8) {
                    qn = String(decoding: field.dropFirst(3), as: UTF8.self)
                } else if field.elementsEqual("CN=9014".utf8) {
                    cnIs9014 = true
                }
            }
            return cnIs9014 ? qn : nil
        }
    }
}
