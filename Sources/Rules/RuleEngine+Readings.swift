import Foundation
import Monitoring
import Store

extension RuleEngine {
    func evaluateReading(_ sample: Sample, route r: Int, into out: inout [AlertTransition]) {
        let parameter = routes[r].parameter
        let bit = sample.flag.bit
        for s in routes[r].readingSlots.indices {
            let slot = routes[r].readingSlots[s]
            let ignored = slot.ignoredFlags & bit != 0
            let observation: Observation
            switch slot.kind {
            case .threshold(let clearFraction):
                if ignored {
                    observation = Observation(.neutral, start: sample.time, note: .moving(parameter: parameter))
                } else {
                    observation = Self.compare(
                        sample.value, above: slot.above, below: slot.below, clearFraction: clearFraction, start: sample.time,
                        end: sample.time, parameter: parameter, what: "reading")
                }
            case .deviceFlag(let flags):
                if flags & bit != 0 {
                    observation = Observation(.breach, start: sample.time, value: sample.value, note: .flagged(parameter: parameter, flag: sample.flag))
                } else {
                    observation = Observation(
                        sample.flag.isValid ? .clear : .neutral, start: sample.time, value: sample.value,
                        note: .flagged(parameter: parameter, flag: sample.flag))
                }
            case .stuck(let n, let tolerance):
                guard !ignored else { continue }
                if let last = routes[r].readingSlots[s].recent.last, sample.time <= last.time { continue }
                routes[r].readingSlots[s].recent.append(StoredSample(time: sample.time, value: sample.value, flag: sample.flag))
                let count = routes[r].readingSlots[s].recent.count
                if count > n { routes[r].readingSlots[s].recent.removeFirst(count - n) }
                let recent = routes[r].readingSlots[s].recent
                var lo = Double.infinity, hi = -Double.infinity
                for v in recent { lo = min(lo, v.value); hi = max(hi, v.value) }
                if recent.count == n, hi - lo <= tolerance {
                    observation = Observation(.breach, start: recent[0].time, end: sample.time, value: sample.value, note: .stuck(parameter: parameter, count: n))
                } else {
                    observation = Observation(.clear, start: sample.time, value: sample.value, note: .moving(parameter: parameter))
                }
            case .rateOfChange(let maxChange, let per):
                guard !ignored else { continue }
                let previous = routes[r].readingSlots[s].recent.last
                if let previous, sample.time <= previous.time { continue }
                if routes[r].readingSlots[s].recent.isEmpty {
                    routes[r].readingSlots[s].recent.append(StoredSample(time: sample.time, value: sample.value, flag: sample.flag))
                } else {
                    routes[r].readingSlots[s].recent[0] = StoredSample(time: sample.time, value: sample.value, flag: sample.flag)
                }
                guard let previous else { continue }
                let rate = abs(sample.value - previous.value) / Double(sample.time - previous.time) * Double(per)
                observation = Observation(
                    rate > maxChange ? .breach : .clear, start: sample.time, value: sample.value,
                    note: .rate(parameter: parameter, rate: rate, per: per, max: rate > maxChange ? maxChange : nil))
            case .averaged:
                continue
            }
            apply(observation, slot: slot, into: &out)
        }
    }

    /// The verdict of a value against upper and lower limits, with the clear level.
    static func compare(
        _ value: Double, above: Double?, below: Double?, clearFraction: Double, start: Int64, end: Int64, parameter: String, what: String
    ) -> Observation {
        if let above, value > above {
            return Observation(.breach, start: start, end: end, value: value, note: .beyond(parameter: parameter, what: what, limit: above, above: true))
        }
        if let below, value < below {
            return Observation(.breach, start: start, end: end, value: value, note: .beyond(parameter: parameter, what: what, limit: below, above: false))
        }
        var clears = true
        if let above, value > above * clearFraction { clears = false }
        if let below, value < below * (2 - clearFraction) { clears = false }
        return Observation(clears ? .clear : .hold, start: start, end: end, value: value, note: .within(parameter: parameter, what: what))
    }

    static func format(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        var s = String(format: "%.4f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func duration(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
