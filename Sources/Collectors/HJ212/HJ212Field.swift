/// The sub-key of a pollutant item in `CP`, the text after the last `-` in `w01018-Rtd`.
///
/// Known sub-keys are matched case-insensitively and print in the standard's spelling; anything else
/// (vendor fields such as `100000-Ia`, the misspelled `LA-td`) is kept verbatim in ``other(_:)``.
public enum HJ212Field: Sendable, Hashable, CustomStringConvertible {
    /// `Rtd`: real-time value.
    case rtd
    /// `Min`: minimum over the period.
    case min
    /// `Avg`: mean over the period.
    case avg
    /// `Max`: maximum over the period.
    case max
    /// `Cou`: cumulative value or emission over the period.
    case cou
    /// `ZsRtd`: real-time value converted to the reference O2 (折算).
    case zsRtd
    /// `ZsMin`: converted minimum.
    case zsMin
    /// `ZsAvg`: converted mean.
    case zsAvg
    /// `ZsMax`: converted maximum.
    case zsMax
    /// `Flag`: the data flag (HJ 212-2017 Table 8, or the 2005 letters and digits).
    case flag
    /// `EFlag`: a device-defined flag of up to four characters (2017).
    case eFlag
    /// `SampleTime`: `YYYYMMDDhhmmss` of the sample (2017).
    case sampleTime
    /// `SN`: the 24-character id of the instrument (3019).
    case sn
    /// `Info`: field-unit information for `i…` codes (3020), possibly `//…//` text.
    case info
    /// `Data`: a noise measurement.
    case data
    /// `DayData`: daytime noise.
    case dayData
    /// `NightData`: night-time noise.
    case nightData
    /// `Ala`: the value during an alarm (2005).
    case ala
    /// `UpValue`: the upper alarm threshold (2005).
    case upValue
    /// `LowValue`: the lower alarm threshold (2005).
    case lowValue
    /// `RS`: running state of a treatment facility (`SBx-RS`).
    case rs
    /// `RT`: running time in a day, in hours (`SBx-RT`).
    case rt
    /// Any other sub-key, verbatim.
    case other(String)

    /// The sub-key as the standard spells it, or the verbatim text of ``other(_:)``.
    public var name: String {
        switch self {
        case .rtd: "Rtd"
        case .min: "Min"
        case .avg: "Avg"
        case .max: "Max"
        case .cou: "Cou"
        case .zsRtd: "ZsRtd"
        case .zsMin: "ZsMin"
        case .zsAvg: "ZsAvg"
        case .zsMax: "ZsMax"
        case .flag: "Flag"
        case .eFlag: "EFlag"
        case .sampleTime: "SampleTime"
        case .sn: "SN"
        case .info: "Info"
        case .data: "Data"
        case .dayData: "DayData"
        case .nightData: "NightData"
        case .ala: "Ala"
        case .upValue: "UpValue"
        case .lowValue: "LowValue"
        case .rs: "RS"
        case .rt: "RT"
        case .other(let text): text
        }
    }

    public var description: String { name }

    /// The field for a sub-key's text, matched case-insensitively.
    public init(name: String) {
        var copy = name
        self = copy.withUTF8 { HJ212Field(bytes: $0, 0, $0.count) }
    }

    /// Whether the field carries a measured or computed number (the fields a reading is made of).
    public var isMeasurement: Bool { HJ212Field.isMeasurement(kind: kind) }

    /// Whether a number is parsed from the value: every field but the textual ones.
    var parsesNumber: Bool { HJ212Field.parsesNumber(kind: kind) }

    /// The known sub-keys, indexed by ``kind``.
    static let known: [HJ212Field] = [
        .rtd, .min, .avg, .max, .cou, .zsRtd, .zsMin, .zsAvg, .zsMax, .flag, .eFlag, .sampleTime, .sn, .info, .data, .dayData,
        .nightData, .ala, .upValue, .lowValue, .rs, .rt,
    ]
    /// The ``kind`` of ``other(_:)``.
    static let otherKind: UInt8 = 255

    /// The index of a known sub-key in ``known``, or ``otherKind``.
    var kind: UInt8 {
        switch self {
        case .rtd: 0
        case .min: 1
        case .avg: 2
        case .max: 3
        case .cou: 4
        case .zsRtd: 5
        case .zsMin: 6
        case .zsAvg: 7
        case .zsMax: 8
        case .flag: 9
        case .eFlag: 10
        case .sampleTime: 11
        case .sn: 12
        case .info: 13
        case .data: 14
        case .dayData: 15
        case .nightData: 16
        case .ala: 17
        case .upValue: 18
        case .lowValue: 19
        case .rs: 20
        case .rt: 21
        case .other: HJ212Field.otherKind
        }
    }

    static let flagKind: UInt8 = 9
    static let sampleTimeKind: UInt8 = 11

    /// Whether a field of this kind is a measurement (see ``isMeasurement``).
    static func isMeasurement(kind: UInt8) -> Bool { kind <= 8 || (14...17).contains(kind) }
    /// Whether a number is parsed for this kind: all but Flag, EFlag, SampleTime, SN and Info.
    static func parsesNumber(kind: UInt8) -> Bool { !(9...13).contains(kind) }
    /// Whether the value must be a number: the known kinds that parse one.
    static func requiresNumber(kind: UInt8) -> Bool { kind != otherKind && parsesNumber(kind: kind) }

    /// Matches `p[start..<end]` without allocating for the known sub-keys.
    init(bytes p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        let kind = HJ212Field.kind(bytes: p, start, end)
        self = kind == HJ212Field.otherKind ? .other(HJ212Scan.string(p, start, end)) : HJ212Field.known[Int(kind)]
    }

    /// The kind of the sub-key `p[start..<end]`, matched case-insensitively, without allocating.
    static func kind(bytes p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UInt8 {
        func lower(_ i: Int) -> UInt8 { p[start + i] | 0x20 }
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == end - start else { return false }
            let w = word.utf8Start
            for i in 0..<(end - start) where lower(i) != (w[i] | 0x20) { return false }
            return true
        }
        let n = end - start
        switch n {
        case 2:
            if matches("RS") { return 20 }
            if matches("RT") { return 21 }
            if matches("SN") { return 12 }
        case 3:
            switch lower(0) {
            case UInt8(ascii: "r") where matches("Rtd"): return 0
            case UInt8(ascii: "a") where matches("Avg"): return 2
            case UInt8(ascii: "a") where matches("Ala"): return 17
            case UInt8(ascii: "m") where matches("Min"): return 1
            case UInt8(ascii: "m") where matches("Max"): return 3
            case UInt8(ascii: "c") where matches("Cou"): return 4
            default: break
            }
        case 4:
            if matches("Flag") { return 9 }
            if matches("Info") { return 13 }
            if matches("Data") { return 14 }
        case 5:
            if matches("ZsRtd") { return 5 }
            if matches("ZsAvg") { return 7 }
            if matches("ZsMin") { return 6 }
            if matches("ZsMax") { return 8 }
            if matches("EFlag") { return 10 }
        case 7:
            if matches("DayData") { return 15 }
            if matches("UpValue") { return 18 }
        case 8:
            if matches("LowValue") { return 19 }
        case 9:
            if matches("NightData") { return 16 }
        case 10:
            if matches("SampleTime") { return 11 }
        default:
            break
        }
        return otherKind
    }
}
