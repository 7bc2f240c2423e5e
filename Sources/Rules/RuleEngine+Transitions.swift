import Monitoring
public import Store

extension RuleEngine {
    /// Runs the state machine for one slot and records the transition it causes, if any; an
    /// open instance whose value, peak or timers moved is marked for the next write.
    func apply(_ observation: Observation, slot: Slot, into out: inout [AlertTransition]) {
        let lowerLimit = slot.below != nil && slot.above == nil
        let s = slot.instance
        // In place, keeping only the fields the dirty check needs: copying the whole instance
        // (its key's three strings) twice a reading showed in profiles.
        let state = instances[s].state, value = instances[s].value, peak = instances[s].peak
        let pendingSince = instances[s].pendingSince, clearingSince = instances[s].clearingSince
        let changed = AlertStateMachine.advance(
            &instances[s], observation, holdFor: rules[slot.rule].holdFor, clearFor: rules[slot.rule].clearFor, peakIsMax: !lowerLimit)
        guard let from = changed else {
            // The newest time observed alone is not worth a write: a replay after a restart
            // re-evaluates at most a few readings.
            if state == .pending || state == .firing,
                value != instances[s].value || peak != instances[s].peak || pendingSince != instances[s].pendingSince
                    || clearingSince != instances[s].clearingSince
            {
                dirty.insert(s)
            }
            return
        }
        var limit: (value: Double, source: String?)?
        if case .beyond(_, _, let value, _) = observation.note {
            limit = (value, limitSource(rule: rules[slot.rule], key: instances[s].key, at: observation.start))
        }
        record(instances[s], from: from, rule: slot.rule, at: instances[s].since, reason: observation.detail, limit: limit, into: &out)
    }

    /// Where a threshold's limit comes from, for people: the station's entry in sensors/ (its
    /// `source`), the GB 3095 edition in force, or the rule itself.
    func limitSource(rule: Rule, key: AlertKey, at t: Int64) -> String? {
        guard case .threshold(let threshold) = rule.condition else { return nil }
        switch threshold.source {
        case .fixed: return "rule \(rule.name)"
        case .station:
            let limits = stations[key.station]?.parameter(key.parameter)?.limits ?? []
            let basis = Limit.Basis(rawValue: threshold.basis.rawValue)
            return (limits.first { $0.basis == basis } ?? limits.first)?.source
        case .ambient(let grade):
            return "\(AmbientAirLimits.applicable(at: t).edition.documentName) grade \(grade)"
        }
    }

    /// Adds the transition, with the notification it causes.
    func record(
        _ instance: AlertInstance, from: AlertState, rule index: Int, at: Int64, reason: String, limit: (value: Double, source: String?)? = nil,
        into out: inout [AlertTransition]
    ) {
        instances[instanceIndex[instance.key]!] = instance
        let rule = rules[index]
        var notification: AlertNotification?
        switch instance.state {
        case .firing, .noData:
            notification = makeNotification(instance, rule: rule, status: .firing, reason: reason, limit: limit)
        case .resolved where from == .firing || from == .noData:
            notification = makeNotification(instance, rule: rule, status: .resolved, reason: reason, limit: limit)
        default:
            notification = nil
        }
        out.append(AlertTransition(instance: instance, from: from, at: at, reason: reason, notification: notification))
    }

    func makeNotification(
        _ i: AlertInstance, rule: Rule, status: AlertNotification.Status, reason: String, limit: (value: Double, source: String?)? = nil
    ) -> AlertNotification {
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
        if let unit = stations[i.key.station]?.parameter(i.key.parameter)?.unit.symbol { annotations["unit"] = unit }
        if let limit {
            annotations["limit"] = Self.format(limit.value)
            if let source = limit.source { annotations["source"] = source }
        }
        return AlertNotification(
            idempotencyKey: "\(i.key.rule)/\(i.key.station)/\(i.key.parameter)/\(i.sequence)", status: status, severity: rule.severity,
            labels: labels, annotations: annotations, startsAt: i.pendingSince ?? i.since,
            endsAt: status == .resolved ? i.since : nil)
    }
}

extension RuleEngine {
    /// Closes the instances of rules that are no longer in `names` (rules/ reloaded without them,
    /// or removed while the daemon was stopped): an active one resolves, with its notification, so
    /// nothing stays firing for a rule that no longer exists; a pending or resolved one goes back
    /// to inactive.
    public func retireRules(keeping names: Set<String>, now: Int64) -> [AlertTransition] {
        var out: [AlertTransition] = []
        for index in instances.indices where !names.contains(instances[index].key.rule) && instances[index].state != .inactive {
            var i = instances[index]
            let from = i.state
            i.pendingSince = from.isActive ? i.pendingSince : nil
            i.clearingSince = nil
            AlertStateMachine.enter(from.isActive ? .resolved : .inactive, &i, at: now)
            let reason = "rule \(i.key.rule) removed from rules/"
            if let rule = rules.firstIndex(where: { $0.name == i.key.rule }) {
                record(i, from: from, rule: rule, at: now, reason: reason, into: &out)
            } else {
                // Removed while the daemon was stopped: its labels are gone, the identity is not.
                instances[index] = i
                var labels = ["alertname": i.key.rule, "station": i.key.station, "severity": AlertSeverity.warning.rawValue]
                if i.key.parameter != "*" { labels["parameter"] = i.key.parameter }
                let notification = AlertNotification(
                    idempotencyKey: "\(i.key.rule)/\(i.key.station)/\(i.key.parameter)/\(i.sequence)", status: .resolved, severity: .warning,
                    labels: labels, annotations: ["description": reason, "state": i.state.rawValue], startsAt: i.pendingSince ?? i.since,
                    endsAt: now)
                out.append(AlertTransition(instance: i, from: from, at: now, reason: reason, notification: from.isActive ? notification : nil))
            }
        }
        return out
    }
}
