import Monitoring
import Store

extension RuleEngine {
    /// Runs the state machine for one slot and records the transition it causes, if any.
    func apply(_ observation: Observation, slot: Slot, route r: Int, into out: inout [AlertTransition]) {
        let rule = rules[slot.rule]
        let lowerLimit = slot.below != nil && slot.above == nil
        let step = AlertStateMachine.step(
            instances[slot.instance], observation, holdFor: rule.holdFor, clearFor: rule.clearFor, peakIsMax: !lowerLimit)
        let before = instances[slot.instance]
        instances[slot.instance] = step.instance
        guard let from = step.changedFrom else {
            // The newest time observed alone is not worth a write: a replay after a restart
            // re-evaluates at most a few readings.
            let a = before, b = step.instance
            if a.state == .pending || a.state == .firing,
                a.value != b.value || a.peak != b.peak || a.pendingSince != b.pendingSince || a.clearingSince != b.clearingSince
            {
                dirty.insert(slot.instance)
            }
            return
        }
        record(step.instance, from: from, rule: slot.rule, at: step.instance.since, reason: observation.detail, into: &out)
    }

    /// Adds the transition, with the notification it causes.
    func record(_ instance: AlertInstance, from: AlertState, rule index: Int, at: Int64, reason: String, into out: inout [AlertTransition]) {
        instances[instanceIndex[instance.key]!] = instance
        let rule = rules[index]
        var notification: AlertNotification?
        switch instance.state {
        case .firing, .noData:
            notification = makeNotification(instance, rule: rule, status: .firing, reason: reason)
        case .resolved where from == .firing || from == .noData:
            notification = makeNotification(instance, rule: rule, status: .resolved, reason: reason)
        default:
            notification = nil
        }
        out.append(AlertTransition(instance: instance, from: from, at: at, reason: reason, notification: notification))
    }

    func makeNotification(_ i: AlertInstance, rule: Rule, status: AlertNotification.Status, reason: String) -> AlertNotification {
        var labels: [String: String] = [:]
        if let station = stations[i.key.station] {
            for (k, v) in station.labels { labels[k] = v }
            labels["station_name"] = station.name
            labels["station_kind"] = station.kind.rawValue
        }
        for (k, v) in rule.labels { labels[k] = v }
        labels["alertname"] = rule.name
        labels["station"] = i.key.station
        if i.key.parameter != "*" { labels["parameter"] = i.key.parameter }
        labels["severity"] = rule.severity.rawValue
        var annotations = ["description": reason]
        if let summary = rule.summary { annotations["summary"] = summary }
        if let v = i.value { annotations["value"] = Self.format(v) }
        if let p = i.peak { annotations["peak"] = Self.format(p) }
        annotations["state"] = i.state.rawValue
        return AlertNotification(
            idempotencyKey: "\(i.key.rule)/\(i.key.station)/\(i.key.parameter)/\(i.sequence)", status: status, severity: rule.severity,
            labels: labels, annotations: annotations, startsAt: i.pendingSince ?? i.since,
            endsAt: status == .resolved ? i.since : nil)
    }
}
