public import Metrics

/// The metrics of readings that come in by a transport other than HJ 212 (swift-metrics; the
/// daemon exposes them at `/metrics`), labelled with the transport as `source` (`http`, `mqtt`):
///
/// - `envmon_readings_ingested_total{source}`: readings newly stored (or changed);
/// - `envmon_readings_duplicate_total{source}`: readings re-sent with the value stored;
/// - `envmon_readings_rejected_total{reason, source}`: readings (or lines, items) not stored, by
///   ``HJ212Refusal`` code: `malformed` (a line or item that does not parse), `unknown_station`,
///   `unknown_code`, `not_configured`, `not_a_number`, `out_of_range`, `bad_time`,
///   `store_refused` (its series was removed meanwhile, or it is older than the retention).
///
/// Made once, from the factory of the moment: create it after `MetricsSystem.bootstrap`.
public final class ReadingMetrics: Sendable {
    /// The transport.
    public let source: String
    private let ingested: Counter
    private let duplicates: Counter
    /// By ``HJ212Refusal`` raw value.
    private let rejected: [Counter]

    /// Creates the metrics of one transport.
    /// - Parameters:
    ///   - source: the transport, the `source` label (`http`).
    ///   - factory: the backend (the bootstrapped one by default).
    public init(source: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.source = source
        ingested = Counter(label: "envmon_readings_ingested_total", dimensions: [("source", source)], factory: factory)
        duplicates = Counter(label: "envmon_readings_duplicate_total", dimensions: [("source", source)], factory: factory)
        rejected = HJ212Refusal.allCases.map {
            Counter(label: "envmon_readings_rejected_total", dimensions: [("reason", $0.code), ("source", source)], factory: factory)
        }
    }

    /// Readings were committed.
    func stored(_ stored: Int, duplicates duplicated: Int) {
        if stored > 0 { ingested.increment(by: stored) }
        if duplicated > 0 { duplicates.increment(by: duplicated) }
    }

    /// Readings (lines, items) were refused.
    public func rejected(_ reason: HJ212Refusal, count: Int = 1) {
        if count > 0 { rejected[reason.rawValue].increment(by: count) }
    }
}
