/// Why the HJ 212 server refused a frame or a value (and why HTTP ingest refused a reading, with
/// the same codes for the same faults): the stable codes of the metrics
/// `envmon_hj212_frames_total{result}` (frame-level ones) and
/// `envmon_readings_rejected_total{reason}` (all). Codes never change; the logs say more.
public enum HJ212Refusal: Int, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// The frame's CRC is wrong (and `bad_crc: drop`).
    case badCRC
    /// The frame has no MN: it cannot be attributed.
    case noMN
    /// No station has the frame's MN (and it was not quarantined).
    case unknownMN
    /// The frame's password is not its station's.
    case badPassword
    /// The frame has no CN.
    case noCommand
    /// An upload without a DataTime.
    case noDataTime
    /// A DataTime no working clock gives (a fault of the station's clock), or one that does not
    /// exist in the station's zone.
    case badTime
    /// Over its address's quarantine rate, or the quarantine file failed: no reply.
    case quarantineRefused
    /// The store refused values of series removed from sensors/ meanwhile: no reply.
    case storeRefused
    /// The commit failed (a full disk, a lost store file): no reply.
    case storeFailed
    /// A value's code is not in the parameter catalogue.
    case unknownCode
    /// A value of a parameter the station does not have configured.
    case notConfigured
    /// A value that is not a number, or whose unit does not convert.
    case notANumber
    /// A value outside the instrument's range.
    case outOfRange
    /// A reading from HTTP (or MQTT) names no station, or one the daemon does not know.
    case unknownStation
    /// A line or item that does not parse (line protocol, JSON): nothing of it can be read.
    case malformed

    /// The code: a metric label value.
    public var code: String {
        switch self {
        case .badCRC: "bad_crc"
        case .noMN: "no_mn"
        case .unknownMN: "unknown_mn"
        case .badPassword: "bad_password"
        case .noCommand: "no_command"
        case .noDataTime: "no_data_time"
        case .badTime: "bad_time"
        case .quarantineRefused: "quarantine_refused"
        case .storeRefused: "store_refused"
        case .storeFailed: "store_failed"
        case .unknownCode: "unknown_code"
        case .notConfigured: "not_configured"
        case .notANumber: "not_a_number"
        case .outOfRange: "out_of_range"
        case .unknownStation: "unknown_station"
        case .malformed: "malformed"
        }
    }

    /// Whether it refuses a whole frame (else one value of a frame that is otherwise accepted).
    public var refusesFrame: Bool {
        switch self {
        case .unknownCode, .notConfigured, .notANumber, .outOfRange, .unknownStation, .malformed: false
        default: true
        }
    }

    public var description: String { code }
}
