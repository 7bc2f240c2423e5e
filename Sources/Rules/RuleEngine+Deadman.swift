import Monitoring
import Store

extension RuleEngine {
    /// Readings arrived from a station (its last one with `flag`): it is alive, and an open
    /// no-data alert resolves. Called once per run of a station's readings, not per reading.
    func heard(_ station: String, flag: DataFlag, at now: Int64, into out: inout [AlertTransition]) {
        guard let at = stationStates.index(forKey: station) else { return }
        // In place, through the dictionary's modify accessor: a copy written back hashed the id
        // twice, and reading a field through the subscript's getter copied the whole state
        // (retaining every array in it), once for every frame.
        let (clock, deadman) = Self.markHeard(&stationStates.values[at], at: now, flag: flag)
        if !clock.isEmpty { heardCorrectTime(clock, station: station, at: now, into: &out) }
        for d in deadman where instances[d.instance].state == .noData || instances[d.instance].state == .suppressed {
            var i = instances[d.instance]
            let from = i.state
            AlertStateMachine.enter(.resolved, &i, at: now)
            i.lastObserved = now
            record(i, from: from, rule: d.rule, at: now, reason: "\(station) reports again", into: &out)
        }
    }

    private static func markHeard(
        _ state: inout StationState, at now: Int64, flag: DataFlag
    ) -> (clock: [ClockSlot], deadman: [(rule: Int, instance: Int)]) {
        state.lastSeen = now
        state.lastFlag = flag
        return (state.clock, state.deadman)
    }

    /// Stations silent for longer than their rule allows get one no-data alert each — or a
    /// suppressed one when their last reading said the source was stopped or in maintenance.
    func checkSilence(now: Int64, into out: inout [AlertTransition]) {
        for (id, s) in stationStates {
            guard let lastSeen = s.lastSeen, !s.deadman.isEmpty, let station = stations[id], !station.retired else { continue }
            for d in s.deadman {
                guard case .noData(let after, let multiple) = rules[d.rule].condition else { continue }
                let limit = after ?? Int64((Double(station.expectedInterval) * multiple).rounded(.up))
                var i = instances[d.instance]
                guard now - lastSeen > limit, !i.state.isActive else { continue }
                // Seen since the last episode ended? Otherwise the same silence would alert twice.
                if let last = i.lastObserved, last > lastSeen { continue }
                let from = i.state
                let quiet = s.lastFlag == .stopped || s.lastFlag == .maintenance
                i.pendingSince = lastSeen
                i.value = Double(now - lastSeen)
                i.peak = i.value
                i.lastObserved = now
                AlertStateMachine.enter(quiet ? .suppressed : .noData, &i, at: now)
                let reason =
                    quiet
                    ? "\(id) silent for \(Self.duration(now - lastSeen)) after reporting \(s.lastFlag) (\(s.lastFlag.rawValue))"
                    : "\(id) silent for \(Self.duration(now - lastSeen)) (expected every \(Self.duration(Int64(station.expectedInterval))), last heard \(lastSeen))"
                record(i, from: from, rule: d.rule, at: now, reason: reason, into: &out)
            }
        }
    }
}
