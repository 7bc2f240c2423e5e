public import Metrics
public import Store

/// The rule service's metrics (swift-metrics; the daemon exposes them at `/metrics`), counted
/// once per batch or tick, never per reading:
///
/// - `envmon_rule_evaluations_total{trigger}`: evaluations, by what caused them: `batch` (readings
///   committed), `tick` (time-based conditions), `clock_fault`, `reload`.
/// - `envmon_rule_readings_evaluated_total`: readings evaluated.
/// - `envmon_rule_evaluation_duration_seconds`: how long an evaluation of a batch or a tick took
///   (a histogram).
/// - `envmon_alert_transitions_total{to}`: alert transitions written, by the state entered.
/// - `envmon_alerts{state}`: alert instances in each state, after the last change.
/// - `envmon_alert_journal_failures_total`: journal writes that failed (retried).
///
/// Made from the factory of the moment it is created, so create it after `MetricsSystem.bootstrap`.
public struct RuleMetrics: Sendable {
    /// What caused an evaluation.
    enum Trigger: Int, CaseIterable {
        case batch, tick, clockFault, reload

        var label: String {
            switch self {
            case .batch: "batch"
            case .tick: "tick"
            case .clockFault: "clock_fault"
            case .reload: "reload"
            }
        }
    }

    private let evaluations: [Counter]
    private let readings: Counter
    private let duration: Timer
    /// By `AlertState.allCases` index.
    private let transitions: [Counter]
    private let alerts: [Gauge]
    private let journalFailures: Counter

    /// Creates the metrics.
    /// - Parameter factory: the backend (the bootstrapped one by default; tests pass their own).
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        evaluations = Trigger.allCases.map {
            Counter(label: "envmon_rule_evaluations_total", dimensions: [("trigger", $0.label)], factory: factory)
        }
        readings = Counter(label: "envmon_rule_readings_evaluated_total", dimensions: [], factory: factory)
        duration = Timer(label: "envmon_rule_evaluation_duration_seconds", dimensions: [], factory: factory)
        transitions = AlertState.allCases.map {
            Counter(label: "envmon_alert_transitions_total", dimensions: [("to", $0.rawValue)], factory: factory)
        }
        alerts = AlertState.allCases.map { Gauge(label: "envmon_alerts", dimensions: [("state", $0.rawValue)], factory: factory) }
        journalFailures = Counter(label: "envmon_alert_journal_failures_total", dimensions: [], factory: factory)
    }

    /// An evaluation of `readings` readings (none for a tick) took `elapsed`.
    func evaluated(_ trigger: Trigger, readings count: Int, elapsed: Duration?) {
        evaluations[trigger.rawValue].increment()
        if count > 0 { readings.increment(by: count) }
        if let elapsed {
            let (seconds, attoseconds) = elapsed.components
            duration.recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        }
    }

    /// Transitions were written.
    func recorded(_ written: some Sequence<AlertTransition>) {
        for t in written {
            if let i = AlertState.allCases.firstIndex(of: t.to) { transitions[i].increment() }
        }
    }

    /// A journal write failed.
    func journalFailed() { journalFailures.increment() }

    /// The instances per state, by `AlertState.allCases` index.
    func alertCounts(_ counts: [Int]) {
        for (gauge, count) in zip(alerts, counts) { gauge.record(count) }
    }
}

extension RuleEngine {
    /// How many instances are in each state, by `AlertState.allCases` index.
    func stateCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: AlertState.allCases.count)
        for instance in instances {
            if let i = AlertState.allCases.firstIndex(of: instance.state) { counts[i] += 1 }
        }
        return counts
    }
}
