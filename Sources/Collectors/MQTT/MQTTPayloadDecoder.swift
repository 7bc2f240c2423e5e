public import Monitoring

/// What one message's payload gave: the samples to store and the readings refused, by reason.
public struct MQTTDecodedPayload: Sendable {
    /// The samples to store.
    public var samples: [Sample] = []
    /// Readings refused, by stable reason code (the `reason` label of `envmon_readings_rejected_total`).
    public var rejected: [String: Int] = [:]
    /// The first few problems in words, each naming the reading (for the log).
    public var problems: [String] = []
    /// The payload as a whole could not be read (not JSON, no readings at all).
    public var unreadable = false

    /// Creates an empty result.
    public init() {}

    /// Counts a refused reading and keeps its description while the list is short.
    public mutating func refuse(_ reason: String, _ problem: @autoclosure () -> String) {
        rejected[reason, default: 0] += 1
        if problems.count < 5 { problems.append(problem()) }
    }
}

/// Turns a message's payload into samples of known series: the seam between the collector and
/// the shared readings parsers (JSON readings, line protocol) and their validation against the
/// stations.
public protocol MQTTPayloadDecoder: Sendable {
    /// Decodes and validates one payload.
    func decode(_ message: MQTTMessage) -> MQTTDecodedPayload
}
