public import Metrics

/// The MQTT collector's metrics (swift-metrics; the daemon exposes them at `/metrics`):
///
/// - `envmon_mqtt_messages_total`: messages received (each delivery, re-deliveries included).
/// - `envmon_mqtt_messages_rejected_total`: messages of which nothing was stored (not JSON, no
///   readings, every reading refused); their good neighbours in a batch are stored all the same.
/// - `envmon_mqtt_connected`: 1 while connected to the broker, else 0.
/// - `envmon_mqtt_reconnects_total`: connections made again after a lost or failed one.
/// - `envmon_mqtt_batch_failures_total`: batches whose commit failed (not acknowledged, delivered again).
///
/// The readings themselves are counted by ``ReadingMetrics`` with `source="mqtt"`:
/// `envmon_readings_ingested_total`, `envmon_readings_duplicate_total` (a re-delivery after a
/// crash lands here) and `envmon_readings_rejected_total{reason}`.
public final class MQTTMetrics: Sendable {
    private let messages: Counter
    private let messagesRejected: Counter
    private let connected: Gauge
    private let reconnects: Counter
    private let batchFailures: Counter

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        messages = Counter(label: "envmon_mqtt_messages_total", factory: factory)
        messagesRejected = Counter(label: "envmon_mqtt_messages_rejected_total", factory: factory)
        connected = Gauge(label: "envmon_mqtt_connected", factory: factory)
        reconnects = Counter(label: "envmon_mqtt_reconnects_total", factory: factory)
        batchFailures = Counter(label: "envmon_mqtt_batch_failures_total", factory: factory)
        connected.record(0)
    }

    /// Messages arrived.
    func received(_ count: Int) { if count > 0 { messages.increment(by: count) } }
    /// A message held nothing readable.
    func messageRejected() { messagesRejected.increment() }
    /// The connection came up or went down.
    func connection(up: Bool) { connected.record(up ? 1 : 0) }
    /// A connection was made again.
    func reconnected() { reconnects.increment() }
    /// A batch was not committed.
    func batchFailed() { batchFailures.increment() }
}
