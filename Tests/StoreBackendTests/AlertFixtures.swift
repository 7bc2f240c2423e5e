import EnvmonTesting
import Monitoring
import Store

/// Transitions and notifications as the rule engine makes them, for the alert, outbox and case
/// suites.
enum AlertFixtures {
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    static let stations = TestStations.registry(TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD"]))
    static let cod = AlertKey(rule: "cod-high", station: "outlet", parameter: "COD")

    /// A notification of `key`'s transition number `sequence`.
    static func notification(_ key: AlertKey = cod, sequence: Int, status: AlertNotification.Status = .firing) -> AlertNotification {
        AlertNotification(
            idempotencyKey: "\(key.rule)/\(key.station)/\(key.parameter)/\(sequence)", status: status, severity: .critical,
            labels: ["alertname": key.rule, "station": key.station], annotations: ["summary": "COD above 90"], startsAt: t0)
    }

    /// `key` moves from `from` to `to` at `at`, with a notification when it fires or resolves.
    static func transition(
        _ key: AlertKey = cod, from: AlertState, to: AlertState, at: Int64, sequence: Int, value: Double? = 120, peak: Double? = 120,
        pendingSince: Int64? = t0
    ) -> AlertTransition {
        let n: AlertNotification? =
            switch to {
            case .firing, .noData: notification(key, sequence: sequence)
            case .resolved: notification(key, sequence: sequence, status: .resolved)
            default: nil
            }
        return AlertTransition(
            instance: AlertInstance(
                key: key, state: to, since: at, pendingSince: to == .resolved ? nil : pendingSince, value: value, peak: peak,
                lastObserved: at, sequence: sequence),
            from: from, at: at, reason: "COD \(value ?? 0) above 90", notification: n)
    }

    /// A store with `count` firing notifications queued by the journal, one per outlet.
    static func queue(_ count: Int, in store: any InspectableStore) async throws {
        let transitions = (0..<count).map { i in
            transition(AlertKey(rule: "cod-high", station: "outlet-\(i)", parameter: "COD"), from: .pending, to: .firing, at: t0, sequence: 1)
        }
        try await store.record(transitions, updates: [], recordedAt: t0)
    }

    /// ``queue(_:in:)``, each notification then routed to `target`, due at `t0`.
    static func queueRouted(_ count: Int, to target: String, in store: any InspectableStore) async throws {
        try await queue(count, in: store)
        for entry in try await store.unroutedNotifications(limit: count) { try await store.route(entry.id, to: [target], now: t0) }
    }
}
