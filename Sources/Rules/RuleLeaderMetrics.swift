public import Metrics

/// The rule leader's figures when several daemons share one database (swift-metrics; at `/metrics`):
///
/// - `envmon_rule_leader{term}`: 1 while this daemon leads in `term`, 0 once it stopped leading in it.
/// - `envmon_rule_evaluated_seq`: the last commit-log batch this daemon's leader evaluated.
/// - `envmon_rule_lag`: commit-log batches committed but not evaluated yet, as this leader last saw.
///
/// Made from the factory of the moment it is created, so create it after `MetricsSystem.bootstrap`.
public struct RuleLeaderMetrics: Sendable {
    private let factory: any MetricsFactory
    private let evaluated: Gauge
    private let lag: Gauge

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
        evaluated = Gauge(label: "envmon_rule_evaluated_seq", dimensions: [], factory: factory)
        lag = Gauge(label: "envmon_rule_lag", dimensions: [], factory: factory)
    }

    /// This daemon leads in `term` (true) or stopped leading in it (false).
    public func leading(_ leading: Bool, term: Int64) {
        Gauge(label: "envmon_rule_leader", dimensions: [("term", String(term))], factory: factory).record(leading ? 1 : 0)
    }

    /// Evaluated through `seq`, with `last` the newest batch committed.
    public func progress(evaluated seq: Int64, last: Int64) {
        evaluated.record(Double(seq))
        lag.record(Double(max(0, last - seq)))
    }
}
