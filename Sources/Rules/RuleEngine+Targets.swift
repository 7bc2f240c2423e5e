import Foundation
public import Monitoring
import Store

/// A reduction-target rule's accounting.
struct TargetProgress {
    /// Kilograms by calendar year.
    var years: [Int: Double] = [:]
    /// Loads of judged days not yet counted: day start → (civil date, kg). Counted together once
    /// every station's day has been judged (they are judged in the same tick).
    var pending: [Int64: (date: CivilTime, kilograms: Double)] = [:]
    /// Days before this were counted from the store at start; later replays must not add them twice.
    var countedBefore: Int64 = .min
}

extension RuleEngine {
    /// A station's load of a judged day: Σ over hours with both a valid concentration and a
    /// valid flow of C × Q × 1 h. Hours without either add nothing (a gap is not filled here;
    /// HJ 75's substitution rules are for emission totals reported to the authority).
    func addLoad(_ board: DayBoard, station: Station, rule: Int) {
        guard case .reductionTarget(let goal) = rules[rule].condition, board.range.lowerBound >= targets[rule, default: .init()].countedBefore,
            let c = station.parameter(goal.pollutant), let q = station.parameter(goal.flow),
            let concentrations = board.hourly[goal.pollutant], let flows = board.hourly[goal.flow]
        else { return }
        var kilograms = 0.0
        for h in 0..<min(concentrations.count, flows.count) {
            guard let cv = concentrations[h], let qv = flows[h], let rate = EmissionLoad.rate(concentration: cv, unit: c.unit, flow: qv, flowUnit: q.unit)
            else { continue }
            kilograms += rate
        }
        let date = calendar(for: station).civil(at: board.range.lowerBound)
        var progress = targets[rule, default: .init()]
        progress.pending[board.range.lowerBound, default: (date, 0)].kilograms += kilograms
        targets[rule] = progress
    }

    /// Adds the loads of a day counted before a restart (from the store's hourly rollups).
    public func primeTargetLoad(rule name: String, day: Int64, date: CivilTime, kilograms: Double) {
        guard let rule = rules.firstIndex(where: { $0.name == name }) else { return }
        targets[rule, default: .init()].years[date.year, default: 0] += kilograms
    }

    /// Days from `day` on are counted from live data; earlier ones only through ``primeTargetLoad``.
    public func countTargetsFrom(_ day: Int64) {
        for i in rules.indices {
            if case .reductionTarget = rules[i].condition { targets[i, default: .init()].countedBefore = day }
        }
    }

    /// The reduction-target rules, with the pollutant and flow they need.
    public var targetRules: [(name: String, goal: ReductionGoal, stations: [Station])] {
        rules.compactMap { rule in
            guard case .reductionTarget(let goal) = rule.condition else { return nil }
            let list = stations.stations.filter {
                rule.match.matches($0) && $0.parameter(goal.pollutant) != nil && $0.parameter(goal.flow) != nil
            }
            return (rule.name, goal, list)
        }
    }

    func judgeTargets(into out: inout [AlertTransition]) {
        for rule in targets.keys.sorted() {
            guard case .reductionTarget(let goal) = rules[rule].condition, var progress = targets[rule], !progress.pending.isEmpty else { continue }
            let key = AlertKey(rule: rules[rule].name, station: "*", parameter: goal.pollutant)
            let slot = Slot(rule: rule, instance: instanceSlot(key), above: nil, below: nil)
            for day in progress.pending.keys.sorted() {
                let (date, kilograms) = progress.pending.removeValue(forKey: day)!
                progress.years[date.year, default: 0] += kilograms
                let total = progress.years[date.year]!
                let fraction = LoadAllowance.elapsedFraction(throughEndOf: date)
                // A year the definition gives no amount for is not judged: it never inherits the last one.
                guard let annual = goal.allowance.kilograms(in: date.year) else {
                    let note = "\(goal.pollutant): allowance '\(goal.allowance.name)' gives no amount for \(date.year)"
                    apply(Observation(.neutral, start: day, end: day + 86_400, detail: note), slot: slot, into: &out)
                    continue
                }
                let allowance = LoadAllowance(annualPermit: annual)
                let usage = allowance.usage(actualToDate: total, elapsedFraction: fraction) ?? 0
                let projected = LoadAllowance.projectedYearEnd(actualToDate: total, elapsedFraction: fraction) ?? 0
                let breach = usage >= goal.warnAt || projected >= goal.projectAt * annual
                let t = { (kg: Double) in Self.format((kg / 1_000 * 100).rounded() / 100) + " t" }
                let detail =
                    "\(goal.pollutant) \(t(total)) by \(date.year)-\(String(format: "%02d-%02d", date.month, date.day)): "
                    + "\(Self.format((usage * 1_000).rounded() / 10)) % of the pro-rated \(t(allowance.proRated(fraction))); "
                    + "projected year-end \(t(projected)) of \(t(annual))"
                let end = day + 86_400
                let observation = Observation(breach ? .breach : .clear, start: day, end: end, value: usage, detail: detail)
                apply(observation, slot: slot, into: &out)
            }
            targets[rule] = progress
        }
    }
}
