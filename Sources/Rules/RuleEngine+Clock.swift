public import Monitoring
public import Store

extension RuleEngine {
    /// A frame from a station whose time no working clock gives, as the collector reported it.
    /// Its clock rules count it; one that has counted its `faults` within its `window` fires.
    /// - Parameters:
    ///   - fault: what the collector saw.
    ///   - now: when it is judged (arrival time, like readings' for the deadman).
    /// - Returns: the transitions; persist them.
    public func clockFault(_ fault: StationClockFault, now: Int64) -> [AlertTransition] {
        guard var state = stationStates[fault.station], !state.clock.isEmpty else { return [] }
        var out: [AlertTransition] = []
        for c in state.clock.indices {
            let slot = state.clock[c]
            guard case .clock(let faults, let window) = rules[slot.rule].condition else { continue }
            var times = slot.faults.filter { $0 > now - window }
            times.append(now)
            if times.count > faults { times.removeFirst(times.count - faults) }
            state.clock[c].faults = times
            let verdict: Observation.Verdict = times.count >= faults ? .breach : .hold
            let detail =
                "\(fault.station) sent \(times.count) frame\(times.count == 1 ? "" : "s") in \(Self.duration(window)) with impossible DataTimes; the last: \(fault)"
            apply(
                Observation(verdict, start: now, value: Double(times.count), detail: detail),
                slot: Slot(rule: slot.rule, instance: slot.instance, above: nil, below: nil), into: &out)
        }
        stationStates[fault.station] = state
        statistics.transitions += out.count
        return out
    }

    /// Readings of the station were stored (their times within the collector's bounds): a correct
    /// time for its open clock alerts, which resolve once such readings span the rule's `clear_for`.
    func heardCorrectTime(_ clock: [ClockSlot], station: String, at now: Int64, into out: inout [AlertTransition]) {
        for slot in clock {
            let s = instances[slot.instance].state
            guard s == .firing || s == .pending else { continue }
            apply(
                Observation(.clear, start: now, value: 0, detail: "\(station) sends correct DataTimes again"),
                slot: Slot(rule: slot.rule, instance: slot.instance, above: nil, below: nil), into: &out)
        }
    }

    /// The clock rules of a station.
    func clockSlots(for station: Station) -> [ClockSlot] {
        rules.enumerated().compactMap { index, rule in
            guard case .clock = rule.condition, rule.match.matches(station) else { return nil }
            return ClockSlot(rule: index, instance: instanceSlot(AlertKey(rule: rule.name, station: station.id, parameter: "*")))
        }
    }
}
