import Monitoring

extension HJ212Decoder {
    /// The frame's fields while they are being collected.
    struct FrameFields {
        var declaredLength: Int?
        var crcText: String?
        var crcSent: UInt16?
        var terminator: HJ212Frame.Terminator = .none
        var qn, st, cn, pw, mn, cp: HJ212Span?
        var flag, pnum, pno: Int?

        func frame(_ segment: [UInt8]) -> HJ212Frame {
            HJ212Frame(
                segment: segment, declaredLength: declaredLength, crcText: crcText, crcSent: crcSent, terminator: terminator,
                qn: qn, st: st, cn: cn, pw: pw, mn: mn, cp: cp, flag: flag, pnum: pnum, pno: pno)
        }
    }

    struct Parsed {
        var frameFields = FrameFields()
        var dataTime: CivilTime?
        var milliseconds: Int?
        /// Where the first `DataTime` value is, valid or not.
        var dataTimeSpan: HJ212Span?
        var values: [HJ212RawValue] = []
        var entries: [HJ212Entry] = []
    }

    /// Reads the header fields and the `CP` items of a data segment.
    func parseSegment(
        _ q: UnsafeBufferPointer<UInt8>, errors: inout [String], deviations: inout HJ212Deviations
    ) -> Parsed {
        typealias S = HJ212Scan
        var out = Parsed()
        let m = q.count

        // `CP=&&` splits the header from the data area.
        var cpKey = -1
        var i = 0
        while i + 5 <= m {
            if q[i + 3] == S.amp && q[i + 4] == S.amp && q[i + 2] == S.equals && q[i + 1] | 0x20 == UInt8(ascii: "p")
                && q[i] | 0x20 == UInt8(ascii: "c")
            {
                cpKey = i
                break
            }
            i += 1
        }
        var headerEnd = cpKey >= 0 ? cpKey : m
        if cpKey < 0 && m >= 2 && q[m - 1] == S.amp && q[m - 2] == S.amp { headerEnd = m - 2 }
        if cpKey > 0 && q[cpKey - 1] != S.semicolon { deviations.insert(.headerSeparator) }
        parseHeader(q, 0, headerEnd, into: &out.frameFields, errors: &errors, deviations: &deviations)

        guard cpKey >= 0 else {
            errors.append("the data segment has no 'CP=&&…&&' data area")
            return out
        }
        let cb = cpKey + 5
        var ce = m
        if m - 2 >= cb && q[m - 1] == S.amp && q[m - 2] == S.amp {
            ce = m - 2
        } else {
            errors.append("the data area 'CP=&&…' is not closed by '&&'")
        }
        out.frameFields.cp = HJ212Span(cb, ce)
        let is2005 = (out.frameFields.flag ?? 0) >> 2 == 0
        let media = HJ212CodeTable.MediaMask.forST(q, out.frameFields.st)
        parseCP(q, cb, ce, is2005: is2005, media: media, into: &out, errors: &errors, deviations: &deviations)
        return out
    }

    private func parseHeader(
        _ q: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, into f: inout FrameFields, errors: inout [String],
        deviations: inout HJ212Deviations
    ) {
        typealias S = HJ212Scan
        var flagSpan, pnumSpan, pnoSpan: HJ212Span?
        var lastRank = -1
        var i = start
        while i < end {
            var j = i
            var eq = -1
            while j < end {
                let c = q[j]
                if c == S.semicolon || c == S.comma { break }
                if c == S.equals && eq < 0 { eq = j }
                j += 1
            }
            if j < end && q[j] == S.comma { deviations.insert(.headerSeparator) }
            if eq > i {
                let value = HJ212Span(eq + 1, j)
                let n = eq - i
                let a = q[i] | 0x20
                let b = n > 1 ? q[i + 1] | 0x20 : 0
                var rank = -1
                func set(_ span: inout HJ212Span?, _ r: Int) {
                    if span == nil { span = value } else { deviations.insert(.unknownHeaderField) }
                    rank = r
                }
                switch (n, a, b) {
                case (2, UInt8(ascii: "q"), UInt8(ascii: "n")): set(&f.qn, 0)
                case (2, UInt8(ascii: "s"), UInt8(ascii: "t")): set(&f.st, 1)
                case (2, UInt8(ascii: "c"), UInt8(ascii: "n")): set(&f.cn, 2)
                case (2, UInt8(ascii: "p"), UInt8(ascii: "w")): set(&f.pw, 3)
                case (2, UInt8(ascii: "m"), UInt8(ascii: "n")): set(&f.mn, 4)
                case (4, UInt8(ascii: "f"), UInt8(ascii: "l")) where q[i + 2] | 0x20 == UInt8(ascii: "a") && q[i + 3] | 0x20 == UInt8(ascii: "g"):
                    set(&flagSpan, 5)
                case (4, UInt8(ascii: "p"), UInt8(ascii: "n")) where q[i + 2] | 0x20 == UInt8(ascii: "u") && q[i + 3] | 0x20 == UInt8(ascii: "m"):
                    set(&pnumSpan, 6)
                case (3, UInt8(ascii: "p"), UInt8(ascii: "n")) where q[i + 2] | 0x20 == UInt8(ascii: "o"):
                    set(&pnoSpan, 7)
                default:
                    deviations.insert(.unknownHeaderField)
                }
                if rank >= 0 {
                    if rank < lastRank { deviations.insert(.headerOrder) }
                    lastRank = Swift.max(lastRank, rank)
                }
            } else if j > i {
                deviations.insert(.unknownHeaderField)
            }
            i = j + 1
        }

        if let span = flagSpan {
            if let v = S.parseUInt(q, Int(span.lower), Int(span.upper)), v <= 255 {
                f.flag = v
            } else {
                errors.append("Flag '\(S.string(q, Int(span.lower), Int(span.upper)))' is not an integer 0…255")
            }
        } else {
            deviations.insert(.missingFlag)
        }
        if let span = pnumSpan {
            f.pnum = S.parseUInt(q, Int(span.lower), Int(span.upper))
            if f.pnum == nil || f.pnum == 0 { errors.append("PNUM '\(S.string(q, Int(span.lower), Int(span.upper)))' is not a count 1…9999") }
        }
        if let span = pnoSpan {
            f.pno = S.parseUInt(q, Int(span.lower), Int(span.upper))
            if f.pno == nil || f.pno == 0 { errors.append("PNO '\(S.string(q, Int(span.lower), Int(span.upper)))' is not a number 1…9999") }
        }
        if let pnum = f.pnum, let pno = f.pno, pno > pnum { errors.append("PNO \(pno) is beyond PNUM \(pnum)") }
        let split = (f.flag ?? 0) & 2 == 2
        let numbered = pnumSpan != nil || pnoSpan != nil
        if split && !numbered { deviations.insert(.splitBitWithoutNumbers) }
        if numbered && !split { deviations.insert(.numbersWithoutSplitBit) }
        if numbered && (pnumSpan == nil || pnoSpan == nil) { errors.append("the header has only one of PNUM and PNO") }

        if f.qn == nil { deviations.insert(.missingQN) }
        if f.pw == nil || f.mn == nil { deviations.insert(.missingIdentity) }
        if let st = f.st {
            if st.count != 2 { deviations.insert(.nonStandardST) }
        } else {
            errors.append("the header has no ST")
        }
        if let cn = f.cn {
            if cn.count != 4 || S.parseUInt(q, Int(cn.lower), Int(cn.upper)) == nil {
                errors.append("CN '\(S.string(q, Int(cn.lower), Int(cn.upper)))' is not four digits")
            }
        } else {
            errors.append("the header has no CN")
        }
    }

    private func parseCP(
        _ q: UnsafeBufferPointer<UInt8>, _ cb: Int, _ ce: Int, is2005: Bool, media: HJ212CodeTable.MediaMask,
        into out: inout Parsed, errors: inout [String], deviations: inout HJ212Deviations
    ) {
        typealias S = HJ212Scan
        guard cb < ce else { return }
        if parsesValues { out.values.reserveCapacity((ce - cb) / 12 + 1) }
        var sawDataTime = false
        var groupStart = 0
        var groupHasFlag = false
        var flagItems = 0
        var i = cb
        while true {
            // One item: up to `;` or `,`, not looking inside a `//…//` value.
            var j = i
            var eq = -1
            var dash = -1
            // The key: up to `=` (the last `-` before it splits code and field) or a separator.
            while true {
                j = S.firstKeyStop(q, j, ce)
                guard j < ce else { break }
                let c = q[j]
                if c == S.dash {
                    dash = j
                    j += 1
                    continue
                }
                if c == S.equals { eq = j }
                break
            }
            // The value: up to a separator, or past the closing `//` of a `//…//` text.
            if eq >= 0 {
                j = eq + 1
                if j + 1 < ce && q[j] == S.slash && q[j + 1] == S.slash {
                    var k = j + 2
                    while k + 1 < ce && !(q[k] == S.slash && q[k + 1] == S.slash) { k += 1 }
                    j = k + 1 < ce ? k + 2 : ce
                }
                j = S.firstSeparator(q, j, ce)
            }

            if j == i {
                deviations.insert(.emptyItem)
            } else if eq < 0 {
                errors.append("CP item '\(S.string(q, i, j))' has no '='")
            } else if dash > i {
                if parsesValues {
                    let kind = HJ212Field.kind(bytes: q, dash + 1, eq)
                    var number: Double?
                    var flag: UInt8 = 0
                    if kind == HJ212Field.flagKind {
                        if let f = DataFlag.hj212(q, eq + 1, j, is2005: is2005) {
                            flag = UInt8(f.rawIndex + 1)
                            groupHasFlag = true
                            flagItems += 1
                        } else {
                            deviations.insert(.unknownDataFlag)
                        }
                    } else if HJ212Field.parsesNumber(kind: kind) {
                        number = S.parseNumber(q, eq + 1, j)
                        if number == nil && HJ212Field.requiresNumber(kind: kind) {
                            errors.append("\(S.string(q, i, eq)): '\(S.string(q, eq + 1, j))' is not a number")
                        }
                    }
                    let key = S.codeKey(q, i, dash)
                    out.values.append(
                        HJ212RawValue(
                            code: HJ212Span(i, dash), field: HJ212Span(dash + 1, eq), text: HJ212Span(eq + 1, j), codeKey: key,
                            number: number, kind: kind, flag: flag, parameter: codes.lookup(q, i, dash, key: key, media: media)))
                }
            } else if eq - i == 8 && HJ212Decoder.isDataTime(q, i) {
                if sawDataTime {
                    deviations.insert(.repeatedDataTime)
                } else {
                    sawDataTime = true
                    out.dataTimeSpan = HJ212Span(eq + 1, j)
                    if let (time, ms) = S.parseTime(q, eq + 1, j) {
                        out.dataTime = time
                        out.milliseconds = ms
                        if ms != nil { deviations.insert(.dataTimeMilliseconds) }
                    } else {
                        errors.append("DataTime '\(S.string(q, eq + 1, j))' is not a YYYYMMDDhhmmss time")
                    }
                }
            } else if parsesValues {
                out.entries.append(HJ212Entry(name: S.string(q, i, eq), text: S.string(q, eq + 1, j)))
            }

            let groupEnds = j >= ce || q[j] == S.semicolon
            if groupEnds {
                if groupHasFlag { HJ212Decoder.spreadFlags(&out.values, from: groupStart, q) }
                groupStart = out.values.count
                groupHasFlag = false
            }
            if j >= ce { break }
            i = j + 1
        }
        if flagItems > 0 { HJ212Decoder.spreadFlagsAcrossGroups(&out.values, q) }
    }

    @inline(__always) private static func isDataTime(_ q: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let word: StaticString = "datatime"
        let w = word.utf8Start
        for k in 0..<8 where q[i + k] | 0x20 != w[k] { return false }
        return true
    }

    /// Gives each value of a `;` group without a flag the flag of its code's first `Flag` item in the group.
    private static func spreadFlags(_ values: inout [HJ212RawValue], from start: Int, _ q: UnsafeBufferPointer<UInt8>) {
        values.withUnsafeMutableBufferPointer { v in
            guard v.count - start > smallGroup else {
                for k in start..<v.count where v[k].kind == HJ212Field.flagKind && v[k].flag != 0 {
                    for m in start..<v.count where v[m].flag == 0 && v[m].hasSameCode(as: v[k], in: q) {
                        v[m].flag = v[k].flag
                    }
                }
                return
            }
            let all = UnsafeBufferPointer(v)
            var sources = HJ212CodeIndex(capacity: v.count - start)
            for k in start..<v.count where v[k].kind == HJ212Field.flagKind && v[k].flag != 0 { sources.insert(k, in: all, q) }
            for m in start..<v.count where v[m].flag == 0 {
                if let k = sources.lookup(v[m], in: all, q) { v[m].flag = v[k].flag }
            }
        }
    }

    /// Gives the values still without a flag the flag of their code's first `Flag` item anywhere in `CP`.
    private static func spreadFlagsAcrossGroups(_ values: inout [HJ212RawValue], _ q: UnsafeBufferPointer<UInt8>) {
        values.withUnsafeMutableBufferPointer { v in
            guard v.contains(where: { $0.flag == 0 && $0.kind != HJ212Field.flagKind }) else { return }
            guard v.count > smallGroup else {
                for m in v.indices where v[m].flag == 0 && v[m].kind != HJ212Field.flagKind {
                    for k in v.indices where v[k].kind == HJ212Field.flagKind && v[k].flag != 0 && v[k].hasSameCode(as: v[m], in: q) {
                        v[m].flag = v[k].flag
                        break
                    }
                }
                return
            }
            let all = UnsafeBufferPointer(v)
            var sources = HJ212CodeIndex()
            for k in v.indices where v[k].kind == HJ212Field.flagKind && v[k].flag != 0 { sources.insert(k, in: all, q) }
            for m in v.indices where v[m].flag == 0 && v[m].kind != HJ212Field.flagKind {
                if let k = sources.lookup(v[m], in: all, q) { v[m].flag = v[k].flag }
            }
        }
    }

    /// Up to this many values, flags are matched to codes pairwise (at most a few hundred
    /// comparisons, cheaper than a hash map); beyond, through an ``HJ212CodeIndex``, linear.
    private static let smallGroup = 16
}
