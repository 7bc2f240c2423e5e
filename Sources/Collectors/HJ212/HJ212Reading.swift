public import Monitoring

/// The items of one factor code in a packet, such as `a34004-Avg`, `a34004-Max` and `a34004-Flag`,
/// with the standard measurements picked out.
///
/// When an item is repeated, the first one counts.
public struct HJ212Reading: Sendable, Hashable {
    let source: HJ212Values
    let first: Int

    /// The factor code as first sent.
    public var code: String { source.raw[first].code.text(in: source.storage) }
    /// The catalogue id of the code, or `nil`.
    public var parameter: String? {
        let index = source.raw[first].parameter
        return index == HJ212RawValue.noParameter ? nil : source.ids[Int(index)]
    }
    /// The data flag of the reading: that of its first item carrying one.
    public internal(set) var flag: DataFlag?
    /// The `SampleTime` of the reading, if sent.
    public internal(set) var sampleTime: CivilTime?
    /// `Rtd`.
    public internal(set) var rtd: Double?
    /// `Min`.
    public internal(set) var min: Double?
    /// `Avg`.
    public internal(set) var avg: Double?
    /// `Max`.
    public internal(set) var max: Double?
    /// `Cou`.
    public internal(set) var cou: Double?
    /// `ZsRtd`.
    public internal(set) var zsRtd: Double?
    /// `ZsMin`.
    public internal(set) var zsMin: Double?
    /// `ZsAvg`.
    public internal(set) var zsAvg: Double?
    /// `ZsMax`.
    public internal(set) var zsMax: Double?

    init(source: HJ212Values, first: Int) {
        self.source = source
        self.first = first
    }

    mutating func take(_ r: HJ212RawValue, _ q: UnsafeBufferPointer<UInt8>) {
        if flag == nil { flag = r.dataFlag }
        func set(_ slot: inout Double?) { if slot == nil { slot = r.number } }
        switch r.kind {
        case 0: set(&rtd)
        case 1: set(&min)
        case 2: set(&avg)
        case 3: set(&max)
        case 4: set(&cou)
        case 5: set(&zsRtd)
        case 6: set(&zsMin)
        case 7: set(&zsAvg)
        case 8: set(&zsMax)
        case HJ212Field.sampleTimeKind:
            if sampleTime == nil { sampleTime = HJ212Scan.parseTime(q, Int(r.text.lower), Int(r.text.upper))?.0 }
        default: break
        }
    }

    /// The items of this code, in packet order; never empty.
    public var values: [HJ212Value] {
        let head = source.raw[first]
        return source.storage.withUnsafeBufferPointer { q in
            source.indices.filter { source.raw[$0].hasSameCode(as: head, in: q) }.map { source[$0] }
        }
    }

    /// The number of the first item with this field (`reading[.avg]`, `reading[.other("Ia")]`).
    public subscript(field: HJ212Field) -> Double? {
        switch field {
        case .rtd: rtd
        case .min: min
        case .avg: avg
        case .max: max
        case .cou: cou
        case .zsRtd: zsRtd
        case .zsMin: zsMin
        case .zsAvg: zsAvg
        case .zsMax: zsMax
        default: values.first { $0.field == field }?.number
        }
    }

    /// The measured fields and their numbers, in packet order (`Rtd`, `Avg`, `Min`, `Max`, `Cou`, `Zs…`, noise data).
    public var measurements: [(field: HJ212Field, number: Double)] {
        values.compactMap { v in v.field.isMeasurement ? v.number.map { (v.field, $0) } : nil }
    }

    public static func == (a: HJ212Reading, b: HJ212Reading) -> Bool { a.values == b.values }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source.raw[first].codeKey)
        hasher.combine(flag)
    }
}
