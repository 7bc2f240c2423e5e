/// The MQTT collector's settings: the `mqtt:` section of `envmon.yaml`.
///
/// ```yaml
/// mqtt:
///   url: mqtt://127.0.0.1:1883   # the broker (port 1883 when left out)
///   client_id: envmon-office-1   # the broker keeps the persistent session under this name
///   username: envmon             # optional
///   password_file: /etc/envmon/mqtt.password   # optional: the password, the file's first line
///   keepalive: 60s
///   reconnect_min: 1s            # the first retry after a lost connection…
///   reconnect_max: 1m            # …doubling up to this, each with jitter
///   subscriptions:
///     - {topic: "envmon/readings/#", format: json}
///     - {topic: "telegraf/+/lp", format: line_protocol, precision: s}   # ns by default
/// ```
public struct MQTTConfiguration: Sendable, Hashable {
    /// The broker's host name or address.
    public var host = "127.0.0.1"
    /// The broker's TCP port.
    public var port = 1883
    /// The MQTT client identifier: the key of the broker's persistent session.
    public var clientID = ""
    /// The user name of the broker, if it asks for one.
    public var username: String?
    /// The password (read from `password_file` when the settings are loaded).
    public var password: String?
    /// Seconds between keep-alive pings when nothing else is sent.
    public var keepAliveSeconds = 60
    /// Backoff of reconnection attempts.
    public var reconnect = MQTTBackoff()
    /// What the collector subscribes to, in order (a topic matching several uses the first).
    public var subscriptions: [MQTTSubscription] = []

    /// Creates the defaults (no subscription).
    public init() {}

    /// `mqtt://host:port`, for logs.
    public var brokerDescription: String { "mqtt://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// The subscription whose filter matches `topic`, first in the configured order.
    public func subscription(for topic: String) -> MQTTSubscription? {
        subscriptions.first { $0.filter.matches(topic) }
    }
}

/// One subscription: a topic filter and the payload format of its messages.
public struct MQTTSubscription: Sendable, Hashable {
    /// The topic filter (`+` and `#` wildcards).
    public var filter: MQTTTopicFilter
    /// How its payloads are read.
    public var format: MQTTPayloadFormat
    /// The unit of line protocol timestamps (nanoseconds, as Telegraf sends by default).
    public var precision: LineProtocolPrecision

    /// Creates a subscription.
    public init(filter: MQTTTopicFilter, format: MQTTPayloadFormat, precision: LineProtocolPrecision = .nanoseconds) {
        self.filter = filter
        self.format = format
        self.precision = precision
    }
}

/// The payload formats a subscription can carry.
public enum MQTTPayloadFormat: String, Sendable, Hashable, CaseIterable {
    /// JSON readings: one `{station, parameter, time, value, flag}` object, a list of them, or
    /// `{"readings": [...]}`.
    case json
    /// InfluxDB line protocol, one point a line.
    case lineProtocol = "line_protocol"
}
