import Foundation
import EnvmonConfig
import Monitoring
import Store
import Yams

/// Reads one rule's mapping, collecting every problem with its position.
struct RuleNode {
    let file: YAMLFile
    let node: Node
    let loader: RuleLoader
    /// The yearly allowances target rules name, and why they could not be read, if so.
    var allowances: AllowanceBook?
    var allowanceProblem: String?
    var errors: [ConfigError] = []
    /// Problems that do not make the rule wrong, only useless here (it selects nothing).
    var warnings: [ConfigError] = []

    static let commonFields: Set<String> = [
        "name", "kind", "match", "for", "clear_for", "severity", "labels", "summary", "ignore_flags", "series",
    ]
    static let kindFields: [String: Set<String>] = [
        "threshold": ["basis", "limit", "above", "below", "grade", "clear_fraction", "hour_coverage", "minimum_hours", "o2_reference", "average", "flow"],
        "rate": ["max_change", "per"],
        "stuck": ["readings", "tolerance"],
        "flag": ["flags"],
        "no_data": ["after"],
        "clock": ["faults", "window"],
        "completeness": ["basis", "minimum"],
        "water_class": ["target", "water_body"],
        "aqi": ["standard", "level"],
        "target": ["pollutant", "flow", "allowance", "baseline", "reduction", "warn_at", "project_at"],
        "case_overdue": ["sources", "zone"],
    ]

    init(file: YAMLFile, node: Node, loader: RuleLoader) {
        self.file = file
        self.node = node
        self.loader = loader
    }

    mutating func fail(_ code: ConfigError.Code, _ message: String, at n: Node?) {
        errors.append(file.error(code, message, at: n ?? node))
    }

    mutating func rule() -> Rule? {
        guard let pairs = node.pairs else {
            fail(.wrongType, "a rule must be a mapping (name:, kind:, …)", at: node)
            return nil
        }
        let before = errors.count
        guard let name = node.value(forKey: "name")?.text, !name.isEmpty else {
            fail(.missingField, "a rule needs a 'name'", at: node)
            return nil
        }
        guard let kindNode = node.value(forKey: "kind"), let kind = kindNode.text else {
            fail(.missingField, "rule '\(name)' needs a 'kind' (\(Self.kindFields.keys.sorted().joined(separator: ", ")))", at: node)
            return nil
        }
        guard let allowed = Self.kindFields[kind] else {
            fail(.badValue, "unknown rule kind '\(kind)' (expected one of \(Self.kindFields.keys.sorted().joined(separator: ", ")))", at: kindNode)
            return nil
        }
        for (key, _) in pairs {
            let k = key.text ?? ""
            if !Self.commonFields.contains(k) && !allowed.contains(k) {
                fail(.unknownField, "unknown field '\(k)' for a \(kind) rule (expected one of \(Self.commonFields.union(allowed).sorted().joined(separator: ", ")))", at: key)
            }
        }
        let match = matcher(node.value(forKey: "match"))
        var rule = Rule(name: name, condition: .deviceFlag([]), match: match, origin: "\(file.path):\(node.mark?.line ?? 0)")
        rule.holdFor = duration("for") ?? 0
        rule.clearFor = duration("clear_for") ?? 0
        if let s = node.value(forKey: "severity") {
            if let v = s.text.flatMap(AlertSeverity.init(rawValue:)) { rule.severity = v } else {
                fail(.badValue, "severity must be info, warning or critical", at: s)
            }
        }
        if let l = node.value(forKey: "labels") { rule.labels = stringMap(l, "labels") }
        rule.summary = node.value(forKey: "summary")?.text
        if let f = node.value(forKey: "ignore_flags") { rule.ignoredFlags = flags(f) }
        if let s = node.value(forKey: "series") {
            if let k = s.text.flatMap(SeriesKind.init(rawValue:)) { rule.kind = k } else {
                fail(.badValue, "series must be realtime, minute, hour or day", at: s)
            }
        }
        switch kind {
        case "threshold": rule.condition = threshold(name, match)
        case "rate":
            guard let change = number("max_change", required: true), let per = duration("per") ?? Optional(3_600) else { break }
            if change <= 0 { fail(.badValue, "max_change must be above 0", at: node.value(forKey: "max_change")) }
            rule.condition = .rateOfChange(maxChange: change, per: per)
        case "stuck":
            let n = Int(number("readings", required: true) ?? 0)
            if n < 2 { fail(.badValue, "readings must be at least 2", at: node.value(forKey: "readings")) }
            rule.condition = .stuck(readings: n, tolerance: number("tolerance") ?? 0)
        case "flag":
            guard let f = node.value(forKey: "flags") else {
                fail(.missingField, "a flag rule needs 'flags' (fault, maintenance, calibration, stopped…)", at: node)
                break
            }
            rule.condition = .deviceFlag(flags(f))
        case "completeness":
            var basis = Threshold.Basis.day
            if let b = node.value(forKey: "basis") {
                if let v = b.text.flatMap(Threshold.Basis.init(rawValue:)), v != .reading { basis = v } else {
                    fail(.badValue, "basis must be hour or day", at: b)
                }
            }
            let minimum = number("minimum", required: true) ?? 0.75
            if !(0...1).contains(minimum) || minimum == 0 { fail(.badValue, "minimum must be a share above 0 and at most 1 (0.75 = 75 %)", at: node.value(forKey: "minimum")) }
            rule.condition = .completeness(basis: basis, minimum: minimum)
        case "water_class":
            var target: WaterQualityClass?
            if let t = node.value(forKey: "target") {
                if let v = t.text.flatMap(WaterQualityClass.init(parsing:)), v != .worseThanV { target = v } else {
                    fail(.badValue, "target must be a class I…V", at: t)
                }
            }
            var body = WaterBodyType.river
            if let b = node.value(forKey: "water_body") {
                if let v = b.text.flatMap(WaterBodyType.init(rawValue:)) { body = v } else {
                    fail(.badValue, "water_body must be \(WaterBodyType.allCases.map(\.rawValue).joined(separator: " or "))", at: b)
                }
            }
            if !match.parameters.isEmpty { fail(.badValue, "a water_class rule judges the whole section: drop 'match.parameters'", at: node.value(forKey: "match")) }
            rule.condition = .waterClass(target: target, waterBody: body)
        case "aqi":
            var standard: AQIStandard?
            if let s = node.value(forKey: "standard") {
                if let v = s.text.flatMap(AQIStandard.init(rawValue:)), v.isChinese { standard = v } else {
                    fail(.badValue, "standard must be hj633-2012 or hj633-2026 (omit it for the edition in force on each day)", at: s)
                }
            }
            let level = Int(number("level", required: true) ?? 4)
            if !(2...6).contains(level) { fail(.badValue, "level must be 2…6 (HJ 633: 2 good … 6 severely polluted)", at: node.value(forKey: "level")) }
            if !match.parameters.isEmpty { fail(.badValue, "an aqi rule judges the station's pollutants together: drop 'match.parameters'", at: node.value(forKey: "match")) }
            rule.condition = .airQuality(standard: standard, level: level)
        case "target":
            if let (goal, scope) = target(name) {
                rule.condition = .reductionTarget(goal)
                rule.match = scope
            }
        case "clock":
            let faults = number("faults") ?? 3
            if faults < 1 || faults != faults.rounded() { fail(.badValue, "faults must be a whole number, at least 1", at: node.value(forKey: "faults")) }
            let window = duration("window") ?? 3_600
            if window <= 0 { fail(.badValue, "window must be a duration above 0 (1h)", at: node.value(forKey: "window")) }
            if !match.parameters.isEmpty { fail(.badValue, "a clock rule is per station: drop 'match.parameters'", at: node.value(forKey: "match")) }
            rule.condition = .clock(faults: Int(max(1, min(faults, 1_000_000))), window: window)
        case "case_overdue":
            rule.condition = caseOverdue()
            if node.value(forKey: "match") != nil { fail(.badValue, "a case_overdue rule judges the case register: drop 'match'", at: node.value(forKey: "match")) }
        case "no_data":
            rule.condition = noData()
            if !match.parameters.isEmpty {
                fail(.badValue, "a no_data rule is per station: drop 'match.parameters'", at: node.value(forKey: "match"))
            }
        default: break
        }
        checkSelects(rule, name)
        return errors.count == before ? rule : nil
    }

    mutating func threshold(_ name: String, _ match: RuleMatcher) -> RuleCondition {
        var basis = Threshold.Basis.reading
        if let b = node.value(forKey: "basis") {
            if let v = b.text.flatMap(Threshold.Basis.init(rawValue:)) { basis = v } else {
                fail(.badValue, "basis must be reading, hour or day", at: b)
            }
        }
        let above = number("above"), below = number("below")
        var source = Threshold.Source.fixed(above: above, below: below)
        if let l = node.value(forKey: "limit") {
            if above != nil || below != nil { fail(.badValue, "give either 'limit' or 'above'/'below', not both", at: l) }
            switch l.text {
            case "station": source = .station
            case "gb3095":
                let g = Int(number("grade") ?? 2)
                guard let grade = AmbientGrade(rawValue: g) else {
                    fail(.badValue, "grade must be 1 or 2", at: node.value(forKey: "grade"))
                    break
                }
                if basis == .reading { fail(.badValue, "GB 3095 limits apply to hour or day means: set 'basis: hour' or 'basis: day'", at: l) }
                source = .ambient(grade: grade)
            default: fail(.badValue, "limit must be 'station' (sensors/ limits) or 'gb3095'", at: l)
            }
        } else if above == nil && below == nil {
            fail(.missingField, "threshold rule '\(name)' needs 'above', 'below' or 'limit'", at: node)
        }
        if case .fixed = source, match.parameters.isEmpty {
            fail(.missingField, "a fixed limit needs 'match.parameters': a number means nothing across parameters", at: node.value(forKey: "above") ?? node.value(forKey: "below"))
        }
        var t = Threshold(basis: basis, source: source)
        if let c = number("clear_fraction") {
            if !(0...1).contains(c) || c == 0 { fail(.badValue, "clear_fraction must be above 0 and at most 1", at: node.value(forKey: "clear_fraction")) }
            t.clearFraction = c
        }
        if let c = number("hour_coverage") {
            if !(0...1).contains(c) { fail(.badValue, "hour_coverage must be between 0 and 1", at: node.value(forKey: "hour_coverage")) }
            t.hourCoverage = c
        }
        if let h = number("minimum_hours") {
            if !(1...24).contains(h) { fail(.badValue, "minimum_hours must be 1…24", at: node.value(forKey: "minimum_hours")) }
            t.minimumHours = Int(h)
        }
        if let o = node.value(forKey: "o2_reference") {
            if o.text == "station" {
                t.oxygenReference = .station
            } else if let text = o.text, let v = Double(text.replacingOccurrences(of: "%", with: "")), (0..<21).contains(v) {
                t.oxygenReference = .percent(v)
            } else {
                fail(.badValue, "o2_reference must be a percentage (6, 6%) or 'station' (its reference_o2 label)", at: o)
            }
            if basis != .hour { fail(.badValue, "O2 correction applies to hourly means (HJ 76-2017): set 'basis: hour'", at: o) }
        }
        if let a = node.value(forKey: "average") {
            switch a.text {
            case "arithmetic":
                if let f = node.value(forKey: "flow") { fail(.badValue, "'flow' weighs a flow-weighted mean: drop it, or set 'average: flow-weighted'", at: f) }
            case "flow-weighted":
                if basis != .day { fail(.badValue, "a flow-weighted mean is a daily mean of hourly means: set 'basis: day'", at: a) }
                let f = node.value(forKey: "flow")
                if let text = f?.text ?? Optional("Q-water"), let p = loader.catalogue.named(text) {
                    t.average = .flowWeighted(flow: p.id)
                } else {
                    fail(.unknownParameter, "flow '\(f?.text ?? "?")' is not in the catalogue (Q-water, Q-gas)", at: f)
                }
            default:
                fail(.badValue, "average must be arithmetic or flow-weighted", at: a)
            }
        } else if let f = node.value(forKey: "flow") {
            fail(.badValue, "'flow' goes with 'average: flow-weighted'", at: f)
        }
        return .threshold(t)
    }

    /// A target rule names a yearly allowance of targets/ (`allowance: baisha-cod`), whose
    /// pollutant, flow, scope and amount by year it judges: the load report reads the same one.
    mutating func target(_ name: String) -> (ReductionGoal, RuleMatcher)? {
        for key in ["pollutant", "flow", "baseline", "reduction"] {
            if let n = node.value(forKey: key) {
                fail(.badValue, "'\(key)' moved to targets/allowances.yaml (pollutant, flow, scope, baseline, reduction_per_year or tonnes by year): name the allowance with 'allowance: <name>'", at: n)
            }
        }
        guard let a = node.value(forKey: "allowance") else {
            fail(.missingField, "target rule '\(name)' needs 'allowance': the name of a yearly allowance in targets/allowances.yaml", at: node)
            return nil
        }
        guard let allowanceName = a.text, !allowanceName.isEmpty else {
            fail(.badValue, "allowance must name a yearly allowance of targets/allowances.yaml", at: a)
            return nil
        }
        if let problem = allowanceProblem {
            fail(.badValue, "allowance '\(allowanceName)': \(problem)", at: a)
            return nil
        }
        guard let allowance = allowances?[allowanceName] else {
            let known = allowances?.allowances.map(\.name).joined(separator: ", ") ?? ""
            let hint = AllowanceLoader.kilograms(allowanceName) != nil
                ? " (an amount here would hold for every year: define it by year in targets/allowances.yaml and name it)" : ""
            fail(.badValue, "no allowance '\(allowanceName)' in targets/ (known: \(known.isEmpty ? "none" : known))\(hint)", at: a)
            return nil
        }
        if let m = node.value(forKey: "match") {
            fail(.badValue, "the allowance's scope chooses the stations of a target rule: drop 'match'", at: m)
        }
        var goal = ReductionGoal(allowance: allowance)
        if let w = number("warn_at") { goal.warnAt = w }
        if let p = number("project_at") { goal.projectAt = p }
        let scope = allowance.scope
        return (goal, RuleMatcher(stations: scope.stations, kinds: scope.kinds, labels: scope.labels))
    }

    mutating func noData() -> RuleCondition {
        guard let a = node.value(forKey: "after"), let text = a.text else { return .noData(after: nil, multiple: 3) }
        if text.hasSuffix("x"), let m = Double(text.dropLast()), m > 0 { return .noData(after: nil, multiple: m) }
        if let s = DurationText.seconds(text), s > 0 { return .noData(after: Int64(s), multiple: 3) }
        fail(.badValue, "after must be a duration (2h) or a multiple of the station's interval (3x)", at: a)
        return .noData(after: nil, multiple: 3)
    }

    mutating func matcher(_ n: Node?) -> RuleMatcher {
        var m = RuleMatcher()
        guard let n else { return m }
        guard let pairs = n.pairs else {
            fail(.wrongType, "match must be a mapping (stations, kinds, labels, parameters)", at: n)
            return m
        }
        for (key, value) in pairs {
            switch key.text {
            case "stations":
                for item in list(value, "stations") {
                    guard let id = item.text else { continue }
                    if loader.stations[id] == nil { fail(.unknownStation, "station '\(id)' is not defined in sensors/", at: item) }
                    m.stations.insert(id)
                }
            case "kinds":
                for item in list(value, "kinds") {
                    guard let k = item.text.flatMap(StationKind.init(rawValue:)) else {
                        fail(.unknownKind, "unknown station kind '\(item.text ?? "?")' (expected \(StationKind.allCases.map(\.rawValue).joined(separator: ", ")))", at: item)
                        continue
                    }
                    m.kinds.insert(k)
                }
            case "labels": m.labels = stringMap(value, "match.labels")
            case "parameters":
                for item in list(value, "parameters") {
                    guard let text = item.text, let p = loader.catalogue.named(text) else {
                        fail(.unknownParameter, "parameter '\(item.text ?? "?")' is not in the catalogue", at: item)
                        continue
                    }
                    m.parameters.insert(p.id)
                }
            default:
                fail(.unknownField, "unknown field '\(key.text ?? "?")' in match (expected stations, kinds, labels, parameters)", at: key)
            }
        }
        return m
    }

    /// A rule that applies to nothing is almost always a typo in a matcher.
    mutating func checkSelects(_ rule: Rule, _ name: String) {
        guard errors.isEmpty else { return }
        if case .caseOverdue = rule.condition { return }
        let selected = loader.stations.stations.filter { rule.match.matches($0) }
        if selected.isEmpty {
            warnings.append(file.error(.badValue, "rule '\(name)' matches no station in sensors/", at: node.value(forKey: "match") ?? node))
            return
        }
        switch rule.condition {
        case .noData, .airQuality, .clock: return
        case .reductionTarget(let goal):
            if !selected.contains(where: { $0.parameter(goal.pollutant) != nil && $0.parameter(goal.flow) != nil }) {
                warnings.append(file.error(.badValue, "rule '\(name)': none of its stations reports both \(goal.pollutant) and \(goal.flow)", at: node))
            }
            return
        case .waterClass(let target, _):
            if target == nil && !selected.contains(where: { $0.labels["target_class"].flatMap(WaterQualityClass.init(parsing:)) != nil }) {
                warnings.append(file.error(.badValue, "rule '\(name)' has no 'target' and none of its stations a 'target_class' label", at: node))
            }
            return
        default: break
        }
        let pairs = selected.flatMap { s in s.parameters.map { (s, $0) } }.filter { rule.match.matches(parameter: $0.1.parameter.id) }
        if pairs.isEmpty {
            warnings.append(file.error(.badValue, "rule '\(name)' matches no parameter of its stations", at: node.value(forKey: "match") ?? node))
            return
        }
        if case .threshold(let t) = rule.condition, case .station = t.source {
            let wanted: Limit.Basis = t.basis == .reading ? .reading : t.basis == .hour ? .hour : .day
            let limited = pairs.contains { _, p in p.limits.contains { $0.basis == wanted || t.basis == .reading } }
            if !limited {
                warnings.append(file.error(.badValue, "rule '\(name)': none of its stations has a \(wanted.rawValue) limit for its parameters in sensors/", at: node.value(forKey: "limit") ?? node))
            }
        }
    }

    mutating func duration(_ key: String) -> Int64? {
        guard let n = node.value(forKey: key) else { return nil }
        guard let text = n.text, let s = DurationText.seconds(text), s >= 0 else {
            fail(.badValue, "\(key) must be a duration such as 90s, 10m, 1h, 1d", at: n)
            return nil
        }
        return Int64(s)
    }

    mutating func number(_ key: String, required: Bool = false) -> Double? {
        guard let n = node.value(forKey: key) else {
            if required { fail(.missingField, "missing '\(key)'", at: node) }
            return nil
        }
        guard let text = n.text, let v = Double(text), v.isFinite else {
            fail(.badValue, "\(key) must be a number", at: n)
            return nil
        }
        return v
    }

    mutating func list(_ n: Node, _ what: String) -> [Node] {
        if let items = n.items { return items }
        if n.text != nil { return [n] }
        fail(.wrongType, "\(what) must be a list", at: n)
        return []
    }

    mutating func stringMap(_ n: Node, _ what: String) -> [String: String] {
        guard let pairs = n.pairs else {
            fail(.wrongType, "\(what) must be a mapping of names to values", at: n)
            return [:]
        }
        var out: [String: String] = [:]
        for (k, v) in pairs {
            guard let key = k.text, let value = v.text else {
                fail(.wrongType, "\(what) values must be text", at: v)
                continue
            }
            out[key] = value
        }
        return out
    }

    mutating func flags(_ n: Node) -> Set<DataFlag> {
        var out: Set<DataFlag> = []
        for item in list(n, "flags") {
            guard let text = item.text, let flag = DataFlag(letter: text) ?? DataFlag.named(text) else {
                fail(.badValue, "unknown data flag '\(item.text ?? "?")' (N, F, M, S, D, C, T, B or stopped, maintenance, manual, fault, calibration, over-range, communication)", at: item)
                continue
            }
            out.insert(flag)
        }
        return out
    }
}

extension DataFlag {
    /// The flag of a name as rules write it: `fault`, `maintenance`, `calibration`, `stopped`…
    static func named(_ name: String) -> DataFlag? {
        switch name.lowercased() {
        case "normal": .normal
        case "stopped": .stopped
        case "maintenance": .maintenance
        case "manual": .manual
        case "fault": .fault
        case "calibration": .calibration
        case "over-range", "overrange": .overRange
        case "communication": .communication
        default: nil
        }
    }
}
