import Foundation
import Monitoring
import Store

extension RuleEngine {
    func accumulate(_ sample: Sample, route r: Int, now: Int64) {
        // The station's clock hour (on a half-hour zone it starts at :30 UTC).
        let hour = routes[r].calendar.hourStart(containing: sample.time)
        if hour < routes[r].hoursJudgedBefore {
            statistics.lateBeyondGrace += 1
            return
        }
        var a = routes[r].hours[hour] ?? HourAccumulator()
        a.count += 1
        if sample.flag.isValid {
            a.valid += 1
            a.sum += sample.value
        }
        routes[r].hours[hour] = a
        averagingRoutes.insert(r)
    }

    func closeBuckets(now: Int64, into out: inout [AlertTransition]) {
        for r in averagingRoutes.sorted() {
            let station = routes[r].station
            let cal = calendar(for: station)
            // Hours, oldest first; each closed hour feeds its day.
            for hour in routes[r].hours.keys.sorted() where hour + 3_600 + grace <= now {
                let a = routes[r].hours.removeValue(forKey: hour)!
                routes[r].hoursJudgedBefore = max(routes[r].hoursJudgedBefore, hour + 3_600)
                statistics.bucketsClosed += 1
                let perHour = Int(max(1, 3_600 / routes[r].interval))
                let mean: Double? = a.valid > 0 ? a.sum / Double(a.valid) : nil
                if routes[r].feedsOxygen, let mean, AmbientValidity.isValidHour(validReadings: a.valid, expectedReadings: perHour) {
                    stationStates[station.id]?.oxygen[hour] = mean
                }
                for slot in routes[r].hourSlots {
                    if case .completeness(_, let minimum) = rules[slot.rule].condition {
                        apply(
                            Self.completeness(a.valid, expected: perHour, minimum: minimum, start: hour, end: hour + 3_600, what: "\(routes[r].parameter) hour"),
                            slot: slot, into: &out)
                        continue
                    }
                    guard case .threshold(let t) = rules[slot.rule].condition else { continue }
                    let needed = Int((t.hourCoverage * Double(perHour)).rounded(.up))
                    let observation: Observation
                    if let mean, a.valid >= needed, t.oxygenReference != nil {
                        // Compared once the same hour's O2 is in (its route may close after this one).
                        stationStates[station.id]?.awaitingOxygen.append((slot, r, hour, mean))
                        continue
                    } else if let mean, a.valid >= needed {
                        guard let (above, below) = bucketLimits(slot, t, start: hour) else { continue }
                        observation = Self.compare(
                            mean, above: above, below: below, clearFraction: t.clearFraction, start: hour, end: hour + 3_600,
                            parameter: routes[r].parameter, what: "hour mean")
                    } else {
                        observation = Observation(.neutral, start: hour, end: hour + 3_600)
                    }
                    apply(observation, slot: slot, into: &out)
                }
                // An hour of a day judged already (before a restart) feeds no day.
                let dayJudged = cal.day(containing: hour).lowerBound < routes[r].daysJudgedBefore
                if routes[r].feedsStation, !dayJudged, let mean, AmbientValidity.isValidHour(validReadings: a.valid, expectedReadings: perHour) {
                    let day = cal.day(containing: hour)
                    let index = Int((hour - day.lowerBound) / 3_600)
                    if (0..<24).contains(index) {
                        var board = stationStates[station.id]?.days[day.lowerBound] ?? DayBoard(range: day)
                        board.hourly[routes[r].parameter, default: Array(repeating: nil, count: 24)][index] = mean
                        stationStates[station.id]?.days[day.lowerBound] = board
                    }
                }
                if !dayJudged && (!routes[r].daySlots.isEmpty || routes[r].feedsStation) {
                    let day = cal.day(containing: hour).lowerBound
                    var d = routes[r].days[day] ?? DayAccumulator()
                    d.hours += 1
                    d.validReadings += a.valid
                    // A day's hour is valid by the first day rule's coverage; they share the default.
                    let coverage = routes[r].daySlots.first.flatMap { slot -> Double? in
                        if case .threshold(let t) = rules[slot.rule].condition { return t.hourCoverage }
                        return nil
                    } ?? 0.75
                    if let mean, a.valid >= Int((coverage * Double(perHour)).rounded(.up)) {
                        d.validHours += 1
                        d.sumOfHourMeans += mean
                    }
                    routes[r].days[day] = d
                }
            }
            for day in routes[r].days.keys.sorted() {
                let range = cal.day(containing: day)
                guard range.upperBound + grace <= now else { continue }
                let d = routes[r].days.removeValue(forKey: day)!
                routes[r].daysJudgedBefore = max(routes[r].daysJudgedBefore, range.upperBound)
                statistics.bucketsClosed += 1
                // Stations reporting less often than hourly have fewer hours to give.
                let hoursWithData = Int(min(24, max(1, 86_400 / routes[r].interval)))
                if routes[r].feedsStation {
                    var board = stationStates[station.id]?.days[day] ?? DayBoard(range: range)
                    let needed = Int((Double(AmbientValidity.minimumHoursPerDay) * Double(hoursWithData) / 24).rounded(.up))
                    if d.validHours >= needed && d.validHours > 0 { board.means[routes[r].parameter] = d.sumOfHourMeans / Double(d.validHours) }
                    stationStates[station.id]?.days[day] = board
                }
                for slot in routes[r].daySlots {
                    if case .completeness(_, let minimum) = rules[slot.rule].condition {
                        let expected = Int(max(1, (range.upperBound - range.lowerBound) / routes[r].interval))
                        apply(
                            Self.completeness(d.validReadings, expected: expected, minimum: minimum, start: range.lowerBound, end: range.upperBound, what: "\(routes[r].parameter) day"),
                            slot: slot, into: &out)
                        continue
                    }
                    guard case .threshold(let t) = rules[slot.rule].condition else { continue }
                    let needed = Int((Double(t.minimumHours) * Double(hoursWithData) / 24).rounded(.up))
                    let observation: Observation
                    if d.validHours >= needed && d.validHours > 0 {
                        guard let (above, below) = bucketLimits(slot, t, start: day) else { continue }
                        observation = Self.compare(
                            d.sumOfHourMeans / Double(d.validHours), above: above, below: below, clearFraction: t.clearFraction,
                            start: range.lowerBound, end: range.upperBound, parameter: routes[r].parameter, what: "daily mean")
                    } else {
                        observation = Observation(.neutral, start: range.lowerBound, end: range.upperBound)
                    }
                    apply(observation, slot: slot, into: &out)
                }
            }
            if routes[r].hours.isEmpty && routes[r].days.isEmpty { averagingRoutes.remove(r) }
        }
        judgeCorrectedHours(now: now, into: &out)
        judgeStationDays(now: now, into: &out)
    }

    /// Hourly means of flue-gas limits at a reference O2, corrected with the station's O2 mean of
    /// the same hour: C × (21 − O2_ref) / (21 − O2). Without a valid O2 hour (or at the 20.5 %
    /// cut-off, a stopped source) nothing can be said about the hour.
    func judgeCorrectedHours(now: Int64, into out: inout [AlertTransition]) {
        for id in stationStates.keys.sorted() {
            guard let state = stationStates[id], let station = stations[id] else { continue }
            if !state.awaitingOxygen.isEmpty {
                stationStates[id]?.awaitingOxygen = []
                for (slot, r, hour, mean) in state.awaitingOxygen.sorted(by: { $0.hour < $1.hour }) {
                    guard case .threshold(let t) = rules[slot.rule].condition, let reference = t.oxygenReference,
                        let (above, below) = bucketLimits(slot, t, start: hour)
                    else { continue }
                    let what = "\(routes[r].parameter) hour mean"
                    let percent: Double?
                    switch reference {
                    case .percent(let p): percent = p
                    case .station: percent = station.labels["reference_o2"].flatMap { Double($0.replacingOccurrences(of: "%", with: "")) }
                    }
                    guard let percent, let o2 = state.oxygen[hour],
                        let factor = OxygenCorrection.factor(measuredOxygen: o2, referenceOxygen: percent)
                    else {
                        apply(Observation(.neutral, start: hour, end: hour + 3_600, detail: "\(what): no valid O2 to correct with"), slot: slot, into: &out)
                        continue
                    }
                    var o = Self.compare(
                        mean * factor, above: above, below: below, clearFraction: t.clearFraction, start: hour, end: hour + 3_600,
                        parameter: routes[r].parameter, what: "hour mean at \(Self.format(percent)) % O2")
                    o.note = .text(o.detail + " (measured \(Self.format((mean * 100).rounded() / 100)), O2 \(Self.format((o2 * 100).rounded() / 100)) %)")
                    apply(o, slot: slot, into: &out)
                }
            }
            if let oldest = state.oxygen.keys.min(), oldest < now - 2 * 86_400 {
                stationStates[id]?.oxygen = state.oxygen.filter { $0.key >= now - 2 * 86_400 }
            }
        }
    }

    static func completeness(_ valid: Int, expected: Int, minimum: Double, start: Int64, end: Int64, what: String) -> Observation {
        let share = Double(valid) / Double(expected)
        let text = "\(what) \(valid) of \(expected) expected readings valid (\(format((share * 1000).rounded() / 10))%)"
        return Observation(share < minimum ? .breach : .clear, start: start, end: end, value: share, detail: text)
    }

    /// The limits for one hour or day: fixed for a station or a rule, or the GB 3095 edition in force that day.
    func bucketLimits(_ slot: Slot, _ t: Threshold, start: Int64) -> (Double?, Double?)? {
        guard case .ambient(let grade) = t.source else { return (slot.above, slot.below) }
        let parameter = instances[slot.instance].key.parameter
        let limits = AmbientAirLimits.applicable(at: start)
        guard let limit = limits.limit(parameter, t.basis == .day ? .day : .hour, grade: grade) else { return nil }
        return (limit.limit.doubleValue, nil)
    }
}
