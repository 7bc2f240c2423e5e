public import Monitoring

/// Builds HJ 212 frames, strictly: whatever it returns is a well-formed packet of the standard.
///
/// ```swift
/// let cp = try HJ212Encoder.cp(dataTime: time, values: [HJ212Value(code: "a34004", field: .rtd, text: "33", flag: .normal)])
/// let header = HJ212Header(qn: HJ212Encoder.qn(time), st: "22", cn: "2011", pw: "123456", mn: "STATION01", flag: 5)
/// let packet = try HJ212Encoder.frame(header, cp: cp)   // ##LLLL…CCCC\r\n
/// ```
///
/// Frames carry a four-digit byte length, the uppercase HJ 212 CRC and CR LF. Header values may not
/// hold separators (`;` `,` `=` `&`) or line breaks; `CP` may not hold `&&` or line breaks.
public enum HJ212Encoder {
    /// The largest data segment a four-digit length can declare.
    public static let maxSegmentLength = 9_999

    /// Frames a data segment: `##` + four-digit length + segment + four uppercase hex CRC digits + CR LF.
    ///
    /// - Parameter segment: the data segment, `QN=…` or `ST=…` through the closing `&&`.
    /// - Returns: the packet's bytes.
    /// - Throws: ``CollectorError`` with code ``CollectorError/Code/encoding`` when the segment is
    ///   longer than 9999 bytes, holds CR or LF, or lacks `CP=&&` or the closing `&&`.
    public static func frame(segment: some Collection<UInt8>) throws -> [UInt8] {
        let bytes = Array(segment)
        guard bytes.count <= maxSegmentLength else {
            throw CollectorError(.encoding, "an HJ 212 data segment of \(bytes.count) bytes is longer than \(maxSegmentLength)")
        }
        guard !bytes.contains(HJ212Scan.cr), !bytes.contains(HJ212Scan.lf) else {
            throw CollectorError(.encoding, "an HJ 212 data segment may not hold CR or LF")
        }
        guard HJ212Scan.contains(bytes, "CP=&&"), bytes.count >= 7, bytes.suffix(2).elementsEqual("&&".utf8) else {
            throw CollectorError(
                .encoding, "an HJ 212 data segment must hold 'CP=&&' and end with '&&': \(String(decoding: bytes, as: UTF8.self))")
        }
        return framed(bytes)
    }

    /// `##` + length + `segment` + CRC + CR LF, without the checks of ``frame(segment:)-(some Collection<UInt8>)``:
    /// for fast paths whose segments are known good (their fixed parts made by this encoder).
    static func framed(_ segment: [UInt8]) -> [UInt8] {
        framed(segmentLength: segment.count) { out in
            _ = out.initialize(from: segment)
        }
    }

    /// `##` + length + the segment `write` puts into the `segmentLength` bytes it is handed +
    /// CRC + CR LF, in one allocation: the collector answers every frame and the simulator sends
    /// every frame through here, and the arrays, the CRC's string and the small literals of the
    /// plain way were five allocations a frame. `write` must initialize every byte it is handed.
    static func framed(segmentLength n: Int, _ write: (UnsafeMutableBufferPointer<UInt8>) -> Void) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: n + 12) { out, count in
            out[0] = UInt8(ascii: "#")
            out[1] = UInt8(ascii: "#")
            var m = n
            for i in (2..<6).reversed() {
                out[i] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
            }
            let segment = UnsafeMutableBufferPointer(rebasing: out[6..<(6 + n)])
            write(segment)
            let crc = HJ212CRC.checksum(buffer: UnsafeBufferPointer(segment))
            for i in 0..<4 { out[6 + n + i] = hexDigits[Int(crc >> (12 - 4 * UInt16(i)) & 0xF)] }
            out[n + 10] = HJ212Scan.cr
            out[n + 11] = HJ212Scan.lf
            count = n + 12
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Frames a data segment given as text (see ``frame(segment:)-(some Collection<UInt8>)``).
    public static func frame(segment: String) throws -> [UInt8] { try frame(segment: Array(segment.utf8)) }

    /// Frames a header and a `CP` data area.
    ///
    /// - Parameters:
    ///   - header: the header fields; `ST` and `CN` are required.
    ///   - cp: the data area without the enclosing `&&`, e.g. from ``cp(dataTime:milliseconds:entries:values:)``.
    /// - Throws: ``CollectorError`` (``CollectorError/Code/encoding``) as ``segment(_:cp:)`` and ``frame(segment:)-(some Collection<UInt8>)``.
    public static func frame(_ header: HJ212Header, cp: String) throws -> [UInt8] {
        try frame(segment: segment(header, cp: cp))
    }

    /// The data segment `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;[PNUM=…;PNO=…;]CP=&&…&&`, fields in the standard's order.
    ///
    /// - Throws: ``CollectorError`` (``CollectorError/Code/encoding``) when `ST` or `CN` is missing, `CN`
    ///   is not four digits, `QN` is not digits, a field holds a separator, `Flag` is outside 0…255,
    ///   `PNUM`/`PNO` are not both given with the Flag's D bit and `1 ≤ PNO ≤ PNUM ≤ 9999`, or `cp` holds `&&`.
    public static func segment(_ header: HJ212Header, cp: String) throws -> String {
        var out = ""
        if let qn = header.qn {
            guard !qn.isEmpty, qn.utf8.count <= 20, qn.utf8.allSatisfy(HJ212Scan.isDigit) else { throw bad("QN", qn) }
            out += "QN=\(qn);"
        }
        guard let st = header.st, !st.isEmpty, st.utf8.count <= 3,
            st.utf8.allSatisfy({ c in HJ212Scan.isDigit(c) || (c | 0x20) &- 0x61 < 26 })
        else { throw bad("ST", header.st ?? "(none)") }
        guard let cn = header.cn, cn.utf8.count == 4, cn.utf8.allSatisfy(HJ212Scan.isDigit) else { throw bad("CN", header.cn ?? "(none)") }
        out += "ST=\(st);CN=\(cn);"
        if let pw = header.pw {
            try checkToken("PW", pw)
            out += "PW=\(pw);"
        }
        if let mn = header.mn {
            try checkToken("MN", mn)
            out += "MN=\(mn);"
        }
        if let flag = header.flag {
            guard (0...255).contains(flag) else { throw bad("Flag", String(flag)) }
            out += "Flag=\(flag);"
        }
        switch (header.pnum, header.pno) {
        case (nil, nil):
            break
        case (let pnum?, let pno?):
            guard (header.flag ?? 0) & 2 == 2 else {
                throw CollectorError(.encoding, "PNUM and PNO need the D bit (2) of Flag, which is \(header.flag.map(String.init) ?? "absent")")
            }
            guard (1...9_999).contains(pnum), (1...pnum).contains(pno) else { throw bad("PNUM/PNO", "\(pnum)/\(pno)") }
            out += "PNUM=\(pnum);PNO=\(pno);"
        default:
            throw CollectorError(.encoding, "PNUM and PNO go together")
        }
        guard !HJ212Scan.contains(cp.utf8, "&&"), cp.utf8.first != HJ212Scan.amp, cp.utf8.last != HJ212Scan.amp,
            !cp.utf8.contains(HJ212Scan.cr), !cp.utf8.contains(HJ212Scan.lf)
        else { throw CollectorError(.encoding, "the CP data area may not hold '&&', start or end with '&', or hold line breaks: \(cp)") }
        out += "CP=&&\(cp)&&"
        return out
    }

    /// A `CP` data area: `DataTime`, then the entries, then the values; a code's consecutive values are
    /// joined by `,` and codes by `;`.
    ///
    /// A value whose ``HJ212Value/flag`` is set and whose code has no `Flag` item among `values` gets
    /// one (`code-Flag=N`) after its code's last consecutive value, so a hand-built value list still
    /// carries its flags.
    ///
    /// - Parameters:
    ///   - dataTime: `DataTime`, the sender's local time; omitted when `nil`.
    ///   - milliseconds: three millisecond digits to append to `DataTime` (17 digits), for senders that do.
    ///   - entries: items without a factor code, such as `RestartTime`.
    ///   - values: the pollutant items.
    /// - Throws: ``CollectorError`` (``CollectorError/Code/encoding``) when a name or text holds a separator
    ///   or line break (a text wrapped in `//…//` may hold separators), or a code or field is empty.
    public static func cp(
        dataTime: CivilTime? = nil, milliseconds: Int? = nil, entries: [HJ212Entry] = [], values: some Sequence<HJ212Value> = [HJ212Value]()
    ) throws -> String {
        let values = Array(values)
        var items: [String] = []
        if let dataTime {
            guard dataTime.isValid, (0...9_999).contains(dataTime.year) else { throw bad("DataTime", dataTime.description) }
            var text = "DataTime=" + timeText(dataTime)
            if let ms = milliseconds {
                guard (0...999).contains(ms) else { throw bad("DataTime milliseconds", String(ms)) }
                text += pad(ms, 3)
            }
            items.append(text)
        }
        for entry in entries {
            try checkToken("CP key", entry.name, allowDash: true)
            try checkText(entry.name, entry.text)
            items.append("\(entry.name)=\(entry.text)")
        }
        var run = ""
        var runStart = 0
        for (i, value) in values.enumerated() {
            let code = value.code
            let field = value.field.name
            try checkToken("factor code", code, allowDash: true)
            try checkToken("field", field, allowDash: false)
            try checkText("\(code)-\(field)", value.text)
            if i > 0 && !value.hasSameCode(as: values[i - 1]) {
                items.append(run + flagItem(values, runStart..<i))
                run = ""
                runStart = i
            }
            run += (run.isEmpty ? "" : ",") + "\(code)-\(field)=\(value.text)"
        }
        if !values.isEmpty { items.append(run + flagItem(values, runStart..<values.count)) }
        return items.joined(separator: ";")
    }

    /// `,code-Flag=X` for a run of values whose flag is set and whose code has no Flag item at all.
    private static func flagItem(_ values: [HJ212Value], _ run: Range<Int>) -> String {
        guard let flag = values[run].first(where: { $0.flag != nil })?.flag else { return "" }
        let first = values[run.lowerBound]
        if values.contains(where: { v in
            if case .flag = v.field { return v.hasSameCode(as: first) }
            return false
        }) {
            return ""
        }
        return ",\(first.code)-Flag=\(flag.rawValue)"
    }

    /// A `QN` for a request or reply sent at `time`: `YYYYMMDDhhmmsszzz`.
    public static func qn(_ time: CivilTime, milliseconds: Int = 0) -> String {
        timeText(time) + pad(Swift.max(0, Swift.min(999, milliseconds)), 3)
    }

    /// `YYYYMMDDhhmmss`, as `DataTime`, `SystemTime` and the other time fields are written.
    public static func timeText(_ time: CivilTime) -> String {
        pad(time.year, 4) + pad(time.month, 2) + pad(time.day, 2) + pad(time.hour, 2) + pad(time.minute, 2) + pad(time.second, 2)
    }

    // MARK: - Checks

    static func bad(_ what: String, _ value: String) -> CollectorError {
        CollectorError(.encoding, "\(what) '\(value)' cannot be sent in an HJ 212 header")
    }

    /// A header value or CP key: printable ASCII without separators.
    static func checkToken(_ what: String, _ value: String, allowDash: Bool = true) throws {
        guard !value.isEmpty,
            value.utf8.allSatisfy({ c in
                c > 0x20 && c < 0x7F && c != HJ212Scan.semicolon && c != HJ212Scan.comma && c != HJ212Scan.equals && c != HJ212Scan.amp
                    && (allowDash || c != HJ212Scan.dash)
            })
        else { throw CollectorError(.encoding, "\(what) '\(value)' is empty or holds a separator, space or non-ASCII character") }
    }

    /// A CP value: no separators or line breaks, unless wrapped in `//…//` (then no `//` or `&&` inside).
    static func checkText(_ key: String, _ text: String) throws {
        let bytes = Array(text.utf8)
        if bytes.count >= 4, text.hasPrefix("//"), text.hasSuffix("//") {
            let inner = bytes[2..<(bytes.count - 2)]
            guard !HJ212Scan.contains(inner, "//"), !HJ212Scan.contains(inner, "&&"), !inner.contains(HJ212Scan.cr), !inner.contains(HJ212Scan.lf)
            else { throw CollectorError(.encoding, "the //…// text of \(key) may not hold '//', '&&' or line breaks") }
            return
        }
        guard
            !bytes.contains(where: { c in
                c == HJ212Scan.semicolon || c == HJ212Scan.comma || c == HJ212Scan.equals || c == HJ212Scan.amp || c == HJ212Scan.cr
                    || c == HJ212Scan.lf
            })
        else { throw CollectorError(.encoding, "the value of \(key) holds a separator or line break: '\(text)'") }
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
