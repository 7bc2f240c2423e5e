import CoreMetrics
import Foundation
import Monitoring

/// The notifier's figures for `/metrics` (swift-metrics; the daemon bootstraps the Prometheus
/// backend): notifications sent, retried, dead-lettered and held per target, failures by a
/// stable reason code, and how long a send takes.
final class NotifierMetrics: Sendable {
    private let counters = Locked([String: Counter]())

    func sent(target: String, notifications: Int, seconds: Double) {
        counter("envmon_notifications_sent_total", ["target": target]).increment(by: notifications)
        counter("envmon_notification_messages_total", ["target": target]).increment()
        Timer(label: "envmon_notification_send_duration_seconds", dimensions: [("target", target)]).recordSeconds(seconds)
    }

    func retried(target: String, reason: String, count: Int) {
        counter("envmon_notifications_retried_total", ["target": target, "reason": Self.code(reason)]).increment(by: count)
        counter("envmon_notifications_failed_total", ["target": target, "reason": Self.code(reason)]).increment(by: count)
    }

    func deadLettered(target: String, reason: String, count: Int) {
        counter("envmon_notifications_dead_lettered_total", ["target": target, "reason": Self.code(reason)]).increment(by: count)
        counter("envmon_notifications_failed_total", ["target": target, "reason": Self.code(reason)]).increment(by: count)
    }

    func held(target: String, count: Int) {
        counter("envmon_notifications_held_total", ["target": target]).increment(by: count)
    }

    private let gauges = Locked([String: Gauge]())
    private let lastDepth = Locked<(at: Int64, skipped: Bool)>((0, false))

    /// Whether the depth gauges are due a refresh: at most once a second while busy; `settling`
    /// (a worker about to wait) also when a refresh was skipped since the last one, so the
    /// gauges end true.
    func depthDue(nowMillis: Int64, settling: Bool) -> Bool {
        lastDepth.withLock { last in
            guard nowMillis - last.at >= 1_000 || (settling && last.skipped) else {
                last.skipped = true
                return false
            }
            last = (nowMillis, false)
            return true
        }
    }

    /// `envmon_outbox_pending{target}`: deliveries not finished, per target (0 for those with none).
    func depth(_ counts: [String: Int], targets: [String]) {
        for target in Set(targets).union(counts.keys) {
            let gauge = gauges.withLock { g in
                if let existing = g[target] { return existing }
                let made = Gauge(label: "envmon_outbox_pending", dimensions: [("target", target)])
                g[target] = made
                return made
            }
            gauge.record(counts[target] ?? 0)
        }
    }

    private func counter(_ label: String, _ dimensions: [String: String]) -> Counter {
        let key = label + dimensions.sorted { $0.key < $1.key }.map { "|\($0.key)=\($0.value)" }.joined()
        return counters.withLock { c in
            if let existing = c[key] { return existing }
            let made = Counter(label: label, dimensions: dimensions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            c[key] = made
            return made
        }
    }

    /// A stable code for a failure text: `http_503`, `timeout`, `connection`, `max_age`, `exec`, `io`, `other`.
    static func code(_ reason: String) -> String {
        let lower = reason.lowercased()
        if lower.contains("max_age") { return "max_age" }
        if let r = lower.range(of: "http "), let status = Int(lower[r.upperBound...].prefix(3)) { return "http_\(status)" }
        if lower.contains("timed out") || lower.contains("timeout") { return "timeout" }
        if lower.contains("connect") || lower.contains("resolve") { return "connection" }
        if lower.contains("smtp") { return "smtp" }
        if lower.contains("exit") || lower.contains("command") { return "exec" }
        if lower.contains("write") || lower.contains("file") { return "io" }
        return "other"
    }
}
