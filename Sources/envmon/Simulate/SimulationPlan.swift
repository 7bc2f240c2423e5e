import Collectors
import Monitoring
import NIOCore

/// What every station's session of one `envmon simulate` run shares: where to send, how much,
/// how fast, and how to treat missing acknowledgements.
struct SimulationPlan: Sendable {
    /// The collector's address.
    var host: String
    /// The collector's port.
    var port: Int
    /// The collector's address, resolved once for every station (`nil`: each connection resolves `host`).
    var address: SocketAddress? = nil
    /// Local addresses to connect from, spread over the stations round-robin (empty: the system's choice).
    var sourceAddresses: [String]
    /// What the stations send.
    var kind: SeriesKind
    /// Frames per station, or `nil` to run until ``deadline``.
    var count: Int?
    /// When to stop sending new frames, or `nil` to run until ``count``.
    var deadline: NIODeadline?
    /// The pause between two new frames of a station, or `nil` for as fast as acknowledgements allow.
    var sendInterval: TimeAmount?
    /// Frames of a station awaiting acknowledgement at most.
    var window: Int
    /// The wait for an acknowledgement before resending.
    var ackTimeout: TimeAmount
    /// Resends before a frame is given up.
    var maxResends: Int
    /// The probability per frame of closing the connection after sending it, and reconnecting.
    var dropout: Double
    /// The seed of the values, the flags and the dropouts.
    var seed: UInt64
    /// The device-flag rates.
    var flags: DeviceFlagRates
    /// Where acknowledged frames are logged, if anywhere.
    var ackedLog: AckedLog?
    /// Frames first sent in this first part of the run (milliseconds) are left out of the steady
    /// latency figures, or none is.
    var warmupMilliseconds: Int64? = nil
    /// When the run began: the origin of each frame's ``StationReport/sentAt``.
    var began: NIODeadline = .now()
}
