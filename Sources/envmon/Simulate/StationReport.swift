import Monitoring

/// What one station's session did.
struct StationReport: Sendable {
    /// The station id.
    var station: String
    /// Frames sent once at least (resends not counted).
    var framesSent = 0
    /// Frames acknowledged.
    var acks = 0
    /// Sends beyond the first of a frame.
    var resends = 0
    /// Frames never acknowledged after all their resends.
    var givenUp = 0
    /// 9014 replies for frames not awaited (acknowledged before, or given up).
    var duplicateAcks = 0
    /// Connections established.
    var connections = 0
    /// Connections made again after one closed (by a dropout or by the collector).
    var reconnects = 0
    /// Connection attempts that failed.
    var connectFailures = 0
    /// Nanoseconds from each acknowledged frame's first send to its acknowledgement.
    var latencies: [Int64] = []
    /// For each of ``latencies``, when the frame was first sent: milliseconds since the run began.
    var sentAt: [Int32] = []
    /// Frames sent per device flag.
    var flags: [DataFlag: Int] = [:]
    /// The `QN`s of the first frames given up.
    var givenUpQNs: [String] = []
    /// Why the session stopped early, if it did.
    var error: String?
}
