public import Metrics

/// The HJ 212 server's metrics (swift-metrics; the daemon exposes them at `/metrics`):
///
/// - `envmon_hj212_frames_total{result}`: frames by what became of them: `accepted`,
///   `quarantined`, `unframeable` (dropped by the framer), or the ``HJ212Refusal`` code of a
///   frame refused whole (`bad_crc`, `unknown_mn`, `bad_password`, `bad_time`, …).
/// - `envmon_readings_ingested_total{source="hj212"}`: readings newly stored (or changed).
/// - `envmon_readings_duplicate_total{source="hj212"}`: readings re-sent with the value stored.
/// - `envmon_readings_rejected_total{reason}`: readings not stored, by ``HJ212Refusal`` code:
///   the values refused one by one, and every value of a frame refused whole.
/// - `envmon_hj212_connections`: connections open.
/// - `envmon_hj212_ack_duration_seconds`: for each frame whose readings were committed, from its
///   last byte read to its acknowledgement handed to the socket: the daemon's own share of the
///   latency a unit sees (the rest is the network and the unit's own queueing).
///
/// Every counter is made once, here: a frame costs one or two atomic increments, never a lookup
/// in the metrics backend. Made from the factory of the moment it is created, so create it
/// after `MetricsSystem.bootstrap`.
public final class HJ212Metrics: Sendable {
    private let accepted: Counter
    private let quarantined: Counter
    private let unframeable: Counter
    /// By ``HJ212Refusal`` raw value; `nil` for value-level refusals.
    private let refusedFrames: [Counter?]
    /// By ``HJ212Refusal`` raw value.
    private let rejectedReadings: [Counter]
    private let ingested: Counter
    private let duplicates: Counter
    private let connections: Meter
    private let ackDuration: Timer

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        func frames(_ result: String) -> Counter {
            Counter(label: "envmon_hj212_frames_total", dimensions: [("result", result)], factory: factory)
        }
        accepted = frames("accepted")
        quarantined = frames("quarantined")
        unframeable = frames("unframeable")
        refusedFrames = HJ212Refusal.allCases.map { $0.refusesFrame ? frames($0.code) : nil }
        rejectedReadings = HJ212Refusal.allCases.map {
            Counter(label: "envmon_readings_rejected_total", dimensions: [("reason", $0.code)], factory: factory)
        }
        ingested = Counter(label: "envmon_readings_ingested_total", dimensions: [("source", "hj212")], factory: factory)
        duplicates = Counter(label: "envmon_readings_duplicate_total", dimensions: [("source", "hj212")], factory: factory)
        connections = Meter(label: "envmon_hj212_connections", factory: factory)
        ackDuration = Timer(label: Self.ackDurationLabel, dimensions: [], factory: factory)
    }

    /// The label of the acknowledgement latency histogram, whose buckets are finer than the
    /// other timers' (the daemon sets them by this label).
    public static let ackDurationLabel = "envmon_hj212_ack_duration_seconds"

    /// A committed frame was acknowledged `nanoseconds` after it was read.
    func acknowledged(afterNanoseconds nanoseconds: Int64) { ackDuration.recordNanoseconds(nanoseconds) }

    /// A frame was accepted (answered, or committed and answered).
    func frameAccepted() { accepted.increment() }

    /// A frame went to the quarantine file.
    func frameQuarantined() { quarantined.increment() }

    /// The framer dropped bytes that made no frame.
    func frameUnframeable() { unframeable.increment() }

    /// A frame was refused whole; its `readings` count as rejected for the same reason.
    func frameRefused(_ reason: HJ212Refusal, readings: Int) {
        refusedFrames[reason.rawValue]?.increment()
        if readings > 0 { rejectedReadings[reason.rawValue].increment(by: readings) }
    }

    /// Values of an accepted frame were refused.
    func readingsRejected(_ reason: HJ212Refusal, count: Int) {
        if count > 0 { rejectedReadings[reason.rawValue].increment(by: count) }
    }

    /// A frame's readings were committed.
    func readingsStored(_ stored: Int, duplicates duplicated: Int) {
        if stored > 0 { ingested.increment(by: stored) }
        if duplicated > 0 { duplicates.increment(by: duplicated) }
    }

    /// A connection was admitted.
    func connectionOpened() { connections.increment() }

    /// An admitted connection closed.
    func connectionClosed() { connections.decrement() }
}

extension HJ212Decoded {
    /// The readings the frame holds: its codes with a real-time or average value (each once).
    /// Counted only for frames refused whole, to count their readings as rejected.
    var readingCount: Int {
        var codes: Set<UInt64> = []
        var count = 0
        for value in values where value.field == .rtd || value.field == .avg {
            if value.codeSpan.count > 7 || codes.insert(value.codeKey).inserted { count += 1 }
        }
        return count
    }
}
