public import Metrics

/// The MQTT collector's metrics (swift-metrics; the daemon exposes them at `/metrics`):
///
/// - `envmon_mqtt_messages_total`: messages received (each delivery, re-deliveries included).
/// - `envmon_mqtt_messages_rejected_total`: messages of which nothing could be read (not JSON, no
///   readings); their good neighbours in a batch are stored all the same.
/// - `envmon_readings_ingested_total{source="mqtt"}`: readings newly stored (or changed).
/// - `envmon_readings_duplicate_total{source="mqtt"}`: readings already stored with that value
///   (a re-delivery after a crash lands here).
/// - `envmon_readings_rejected_total{reason}`: readings not stored, by stable reason code.
/// - `envmon_mqtt_connected`: 1 while connected to the broker, else 0.
/// - `envmon_mqtt_reconnects_total`: connections made again after a lost or failed one.
/// - `envmon_mqtt_batch_failures_total`: batches whose commit failed (not acknowledged, delivered again).
public final class MQTTMetrics: Sendable {
    private let messages: Counter
    private let messagesRejected: Counter
    private let ingested: Counter
    private let duplicates: Counter
    private let connected: Gauge
    private let reconnects: Counter
    private let batchFailures: Counter
    private let factory: any MetricsFactory

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        messages = Counter(label: "envmon_mqtt_messages_total", factory: factory)
        messagesRejected = Counter(label: "envmon_mqtt_messages_rejected_total", factory: factory)
        ingested = Counter(label: "envmon_readings_ingested_total", dimensions: [("source", "mqtt")], factory: factory)
        duplicates = Counter(label: "envmon_readings_duplicate_total", dimensions: [("source", "mqtt")], factory: factory)
        connected = Gauge(label: "envmon_mqtt_connected", factory: factory)
        reconnects = Counter(label: "envmon_mqtt_reconnects_total", factory: factory)
        batchFailures = Counter(label: "envmon_mqtt_batch_failures_total", factory: factory)
        connected.record(0)
    }

    /// Messages arrived.
    func received(_ count: Int) { if count > 0 { messages.increment(by: count) } }
    /// A message held nothing readable.
    func messageRejected() { messagesRejected.increment() }
    /// Readings committed.
    func stored(_ stored: Int, duplicates duplicated: Int) {
        if stored > 0 { ingested.increment(by: stored) }
        if duplicated > 0 { duplicates.increment(by: duplicated) }
    }
    /// Readings refused, by reason code (the labels of `envmon_readings_rejected_total`).
    func rejected(_ reason: String, count: Int) {
        guard count > 0 else { return }
        // Reason codes are a small fixed set; the backend caches the counter per label.
        Counter(label: "envmon_readings_rejected_total", dimensions: [("reason", reason)], factory: factory).increment(by: count)
    }
    /// The connection came up or went down.
    func connection(up: Bool) { connected.record(up ? 1 : 0) }
    /// A connection was made again.
    func reconnected() { reconnects.increment() }
    /// A batch was not committed.
    func batchFailed() { batchFailures.increment() }
}
