/// One message received from the broker, with the format its subscription names.
public struct MQTTMessage: Sendable, Hashable {
    /// The topic it was published to.
    public var topic: String
    /// The payload bytes.
    public var payload: [UInt8]
    /// How its payload is read (from the first subscription matching ``topic``).
    public var format: MQTTPayloadFormat
    /// The unit of line protocol timestamps (from the same subscription).
    public var precision: LineProtocolPrecision
    /// Whether it is a retained message (the last one of its topic, sent on subscribing).
    public var retained: Bool

    /// Creates a message.
    public init(
        topic: String, payload: [UInt8], format: MQTTPayloadFormat, precision: LineProtocolPrecision = .nanoseconds, retained: Bool = false
    ) {
        self.topic = topic
        self.payload = payload
        self.format = format
        self.precision = precision
        self.retained = retained
    }
}

/// Where the collector hands what it received: ``deliver(_:)`` returns once what the messages
/// carry is committed, and only then are they acknowledged to the broker (PUBACK). Throwing
/// means nothing of the batch may count as stored: the collector drops the connection without
/// acknowledging, and the broker delivers the messages again.
public protocol MQTTMessageSink: Sendable {
    /// Handles a batch of messages, in the order received; returns after their commit.
    func deliver(_ messages: [MQTTMessage]) async throws
}
