import Metrics
public import Prometheus

/// The daemon's metrics backend: swift-metrics, exposed by a Prometheus registry at `/metrics`.
///
/// Modules create their metrics with swift-metrics alone (`Counter`, `Meter`, `Recorder`,
/// `Timer`) and never import Prometheus; serve bootstraps this backend before it creates them:
///
/// ```swift
/// let registry = PrometheusMetrics.bootstrap()          // once, first thing
/// let listener = HTTPListener(metrics: registry, …)     // GET /metrics
/// ```
///
/// A swift-metrics object keeps the backend of the moment it was created: one made before the
/// bootstrap counts into nothing.
public enum PrometheusMetrics {
    /// The buckets of every `Timer` (a Prometheus histogram in seconds): fine at the low end,
    /// where commits and rule evaluations lie, up to 10 s.
    public static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
        .seconds(5), .seconds(10),
    ]

    /// The buckets of HJ 212 acknowledgement latency: fine from 1 ms to 200 ms, where the
    /// 50 ms goal and the commit interval lie, so percentiles read off them are close.
    public static let ackBuckets: [Duration] = [1, 2, 3, 5, 7, 10, 15, 20, 25, 30, 40, 50, 60, 75, 100, 125, 150, 200, 300, 500, 1_000, 2_500, 5_000, 10_000]
        .map { .milliseconds($0) }

    /// The buckets of every aggregating `Recorder` (a Prometheus histogram): counts, by powers of
    /// ten from 1 to a million (batch sizes).
    public static let valueBuckets: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// A swift-metrics factory that registers in `registry`, with the daemon's buckets: for tests,
    /// which pass it to the code they check without bootstrapping the process.
    /// - Parameter registry: where the metrics go.
    /// - Returns: the factory.
    public static func factory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        factory.defaultValueHistogramBuckets = valueBuckets
        // HJ212Metrics.ackDurationLabel (Collectors, which this module does not import).
        factory.durationHistogramBuckets["envmon_hj212_ack_duration_seconds"] = ackBuckets
        return factory
    }

    /// Makes a registry the process-wide swift-metrics backend. Call it once, before any metric
    /// is created.
    /// - Returns: the registry, for `/metrics`.
    @discardableResult
    public static func bootstrap() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(factory(registry: registry))
        return registry
    }
}
