import Foundation
import Monitoring
import Store

extension RuleEngine {
    func evaluateReading(_ sample: Sample, route r: Int, into out: inout [AlertTransition]) {
        for s in routes[r].readingSlots.indices {
            let slot = routes[r].readingSlots[s]
            let rule = rules[slot.rule]
            let observation: Observation
            switch rule.condition {
            case .threshold(let t):
                if rule.ignoredFlags.contains(sample.flag) {
                    observation = Observation(.neutral, start: sample.time)
                } else {
                    observation = Self.compare(
                        sample.value, above: slot.above, below: slot.below, clearFraction: t.clearFraction, start: sample.time,
                        end: sample.time, what: "\(routes[r].parameter) reading")
                }
            case .deviceFlag(let flags):
                if flags.contains(sample.flag) {
                    observation = Observation(
                        .breach, start: sample.time, value: sample.value,
                        detail: "\(routes[r].parameter) flagged \(sample.flag.rawValue) (\(sample.flag))")
                } else {
                    observation = Observation(
                        sample.flag.isValid ? .clear : .neutral, start: sample.time, value: sample.value,
                        detail: "\(routes[r].parameter) flagged \(sample.flag.rawValue)")
                }
            case .stuck(let n, let tolerance):
                guard !rule.ignoredFlags.contains(sample.flag) else { continue }
                var recent = routes[r].readingSlots[s].recent
                if let last = recent.last, sample.time <= last.time { continue }
                recent.append(StoredSample(time: sample.time, value: sample.value, flag: sample.flag))
                if recent.count > n { recent.removeFirst(recent.count - n) }
                routes[r].readingSlots[s].recent = recent
                let values = recent.map(\.value)
                if recent.count == n, let lo = values.min(), let hi = values.max(), hi - lo <= tolerance {
                    observation = Observation(
                        .breach, start: recent[0].time, end: sample.time, value: sample.value,
                        detail: "\(routes[r].parameter) stuck at \(Self.format(sample.value)) for \(n) readings")
                } else {
                    observation = Observation(.clear, start: sample.time, value: sample.value, detail: "\(routes[r].parameter) moving")
                }
            case .rateOfChange(let maxChange, let per):
                guard !rule.ignoredFlags.contains(sample.flag) else { continue }
                let previous = routes[r].readingSlots[s].recent.last
                if let previous, sample.time <= previous.time { continue }
                routes[r].readingSlots[s].recent = [StoredSample(time: sample.time, value: sample.value, flag: sample.flag)]
                guard let previous else { continue }
                let rate = abs(sample.value - previous.value) / Double(sample.time - previous.time) * Double(per)
                let text = "\(routes[r].parameter) changed \(Self.format(rate)) per \(Self.duration(per))"
                observation = Observation(
                    rate > maxChange ? .breach : .clear, start: sample.time, value: sample.value,
                    detail: rate > maxChange ? text + " (max \(Self.format(maxChange)))" : text)
            case .noData, .completeness, .waterClass, .airQuality, .reductionTarget:
                continue
            }
            apply(observation, slot: slot, into: &out)
        }
    }

    /// The verdict of a value against upper and lower limits, with the clear level.
    static func compare(
        _ value: Double, above: Double?, below: Double?, clearFraction: Double, start: Int64, end: Int64, what: String
    ) -> Observation {
        if let above, value > above {
            return Observation(.breach, start: start, end: end, value: value, detail: "\(what) \(format(value)) above \(format(above))")
        }
        if let below, value < below {
            return Observation(.breach, start: start, end: end, value: value, detail: "\(what) \(format(value)) below \(format(below))")
        }
        var clears = true
        if let above, value > above * clearFraction { clears = false }
        if let below, value < below * (2 - clearFraction) { clears = false }
        return Observation(clears ? .clear : .hold, start: start, end: end, value: value, detail: "\(what) \(format(value)) within limits")
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
