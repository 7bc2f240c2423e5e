import Foundation
import Monitoring
public import Store

extension RuleEngine {
    /// Replaces the case register the `case_overdue` rules judge (the rule service reads it
    /// before each tick). The engine reads no store: the caller passes what it read.
    public func updateCases(_ records: [CaseRecord]) { cases = records }

    /// Whether any rule judges the case register.
    public var hasCaseRules: Bool {
        rules.contains { if case .caseOverdue = $0.condition { true } else { false } }
    }

    /// Each case past its deadline and not finished breaches (from the first instant after its
    /// deadline day); each other case clears, so a firing one resolves once it is done, closed
    /// or given a later deadline.
    func checkCases(now: Int64, into out: inout [AlertTransition]) {
        guard !cases.isEmpty else { return }
        for (index, rule) in rules.enumerated() {
            guard case .caseOverdue(let sources, let zone) = rule.condition else { continue }
            let calendar = ZoneCalendar(zone)
            let today = calendar.civil(at: now)
            let todayText = String(today.description.prefix(10))
            for c in cases where sources.isEmpty || sources.contains(c.source) {
                let key = AlertKey(rule: rule.name, station: "*", parameter: c.id)
                // A case that never was overdue has no instance, and gets none until it is.
                let overdue = c.isOverdue(today: todayText)
                if !overdue && instanceIndex[key] == nil { continue }
                let slot = Slot(rule: index, instance: instanceSlot(key), above: nil, below: nil)
                let observation: Observation
                if overdue, let deadline = c.deadline {
                    // Overdue from the first instant after the deadline day, in the rule's zone.
                    let parts = deadline.split(separator: "-").compactMap { Int($0) }
                    let midnight = CivilTime(year: parts[0], month: parts[1], day: parts[2]).secondsIfUTC
                    let due = calendar.day(containing: calendar.firstInstant(ofLocal: midnight)).upperBound
                    let days = max(1, (now - due) / 86_400 + 1)
                    let who = "unit \(c.unit.isEmpty ? "—" : c.unit), leader \(c.leader.isEmpty ? "—" : c.leader)"
                    let detail = "case \(c.id) \(c.title) is \(days) day\(days == 1 ? "" : "s") past its deadline \(deadline) (\(c.status.rawValue); \(who))"
                    observation = Observation(.breach, start: due, end: max(due, now), value: Double(days), detail: detail)
                } else {
                    let why = c.status.isFinished ? "is \(c.status.rawValue)" : "has a deadline of \(c.deadline ?? "none")"
                    observation = Observation(.clear, start: now, end: now, value: 0, detail: "case \(c.id) \(why)")
                }
                let before = out.count
                apply(observation, slot: slot, into: &out)
                // The case's own labels, for routing to its unit and for people.
                for i in before..<out.count where out[i].notification != nil {
                    out[i].notification!.labels["case"] = c.id
                    out[i].notification!.labels["case_source"] = c.source.rawValue
                    if !c.unit.isEmpty { out[i].notification!.labels["unit"] = c.unit }
                    if !c.leader.isEmpty { out[i].notification!.labels["leader"] = c.leader }
                    if let d = c.deadline { out[i].notification!.annotations["deadline"] = d }
                    out[i].notification!.annotations["title"] = c.title
                }
            }
        }
    }
}
