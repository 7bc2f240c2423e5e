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
    public var isMeasurement: Bool {
        switch self {
        case .rtd, .min, .avg, .max, .cou, .zsRtd, .zsMin, .zsAvg, .zsMax, .data, .dayData, .nightData, .ala: true
        default: false
        }
    }

    /// Whether the field's value must be a number (measurements, thresholds, states, times).
    var requiresNumber: Bool {
        switch self {
        case .flag, .eFlag, .sampleTime, .sn, .info, .other: false
        default: true
        }
    }

    /// Whether a number is parsed from the value: every field but the textual ones.
    var parsesNumber: Bool {
        switch self {
        case .flag, .eFlag, .sampleTime, .sn, .info: false
        default: true
        }
    }

    /// Matches `p[start..<end]` without allocating for the known sub-keys.
    init(bytes p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
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
            if matches("RS") { self = .rs; return }
            if matches("RT") { self = .rt; return }
            if matches("SN") { self = .sn; return }
        case 3:
            switch lower(0) {
            case UInt8(ascii: "r") where matches("Rtd"): self = .rtd; return
            case UInt8(ascii: "a") where matches("Avg"): self = .avg; return
            case UInt8(ascii: "a") where matches("Ala"): self = .ala; return
            case UInt8(ascii: "m") where matches("Min"): self = .min; return
            case UInt8(ascii: "m") where matches("Max"): self = .max; return
            case UInt8(ascii: "c") where matches("Cou"): self = .cou; return
            default: break
            }
        case 4:
            if matches("Flag") { self = .flag; return }
            if matches("Info") { self = .info; return }
            if matches("Data") { self = .data; return }
        case 5:
            if matches("ZsRtd") { self = .zsRtd; return }
            if matches("ZsAvg") { self = .zsAvg; return }
            if matches("ZsMin") { self = .zsMin; return }
            if matches("ZsMax") { self = .zsMax; return }
            if matches("EFlag") { self = .eFlag; return }
        case 7:
            if matches("DayData") { self = .dayData; return }
            if matches("UpValue") { self = .upValue; return }
        case 8:
            if matches("LowValue") { self = .lowValue; return }
        case 9:
            if matches("NightData") { self = .nightData; return }
        case 10:
            if matches("SampleTime") { self = .sampleTime; return }
        default:
            break
        }
        self = .other(String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self))
    }
}
