public import Metrics

/// The store writer's metrics (swift-metrics; the daemon exposes them at `/metrics`), counted
/// once per batch, never per sample:
///
/// - `envmon_writer_batch_samples`: samples per committed batch (a histogram).
/// - `envmon_writer_commit_duration_seconds`: how long each commit took (a histogram).
/// - `envmon_writer_commits_total{result}`: commits, `ok` or `failed`.
///
/// Made from the factory of the moment it is created, so create it after `MetricsSystem.bootstrap`.
public struct WriterMetrics: Sendable {
    let batchSamples: Recorder
    let commitDuration: Timer
    let committed: Counter
    let failed: Counter

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        batchSamples = Recorder(label: "envmon_writer_batch_samples", dimensions: [], aggregate: true, factory: factory)
        commitDuration = Timer(label: "envmon_writer_commit_duration_seconds", dimensions: [], factory: factory)
        committed = Counter(label: "envmon_writer_commits_total", dimensions: [("result", "ok")], factory: factory)
        failed = Counter(label: "envmon_writer_commits_total", dimensions: [("result", "failed")], factory: factory)
    }

    /// A batch of `samples` was committed (or not) in `duration`.
    func commit(samples: Int, duration: Duration, succeeded: Bool) {
        commitDuration.recordNanoseconds(duration.nanoseconds)
        if succeeded {
            batchSamples.record(samples)
            committed.increment()
        } else {
            failed.increment()
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled &+ attoseconds / 1_000_000_000
    }
}
