import Foundation
public import EnvmonConfig
public import Monitoring
public import Rules
import Yams

/// A year's indicators and their targets, as a file under `targets/` declares them.
///
/// ```yaml
/// year: 2026
/// indicators:
///   - id: good-air-days
///     name: {zh: 空气质量优良天数比例, en: Share of good-air days}
///     measure: air-good-day-share
///     match: {kinds: [ambient-air], labels: {city: Qinghe}}
///     target: ">= 80%"
///   - id: harmless-treatment
///     name: {zh: 畜禽养殖区无害化处理率, en: Harmless-treatment rate of livestock farms}
///     target: ">= 80%"
///     declared: {value: 83.5, evidence: "县农业农村局2026年第三季度报表", date: 2026-09-30, by: 县农业农村局}
/// ```
public struct ScorecardDefinition: Sendable {
    public var year: Int
    public var indicators: [IndicatorDefinition]
    /// The file it was read from.
    public var path: String
}

/// One indicator of the scorecard.
public struct IndicatorDefinition: Sendable {
    /// What a station-measured indicator measures.
    public enum Measure: String, Sendable, CaseIterable {
        /// The share of valid days with AQI ≤ 100 (优良天数比例), over the matched ambient sites as a city.
        case airGoodDayShare = "air-good-day-share"
        /// The annual mean of `parameter` over the matched ambient sites as a city.
        case airAnnualMean = "air-annual-mean"
        /// The share of section-months that met their target class (断面达标率).
        case waterComplianceRate = "water-compliance-rate"
        /// Valid hours over expected hours of the matched automatic stations (数据有效率).
        case validDataRate = "valid-data-rate"
        /// The load to date of `parameter` against the allowance `allowance`, pro-rated to date.
        case loadAgainstAllowance = "load-against-allowance"
    }

    /// A figure entered by hand, with what shows it: for indicators no station measures.
    public struct Declaration: Sendable, Hashable {
        public var value: Double
        public var evidence: String
        public var date: CivilTime
        public var by: String?
    }

    public var id: String
    public var nameZH: String
    public var nameEN: String
    public var target: IndicatorTarget
    public var measure: Measure?
    public var declared: Declaration?
    /// The stations a measured indicator covers (empty: every station the measure applies to).
    public var match: RuleMatcher
    /// The pollutant of an annual mean or a load.
    public var parameter: String?
    /// The allowance a load is held against (a name in `targets/allowances.yaml`).
    public var allowance: String?

    public func name(_ language: ReportLanguage) -> String { language.pick(nameZH, nameEN) }
}

extension ScorecardDefinition {
    /// The definition for `year` among the YAML files of `directory` (the one whose `year:` is
    /// it; files without `year:`, such as the allowances, are skipped).
    public static func load(directory: String, year: Int) throws(ReportsError) -> ScorecardDefinition {
        var found: YAMLFile?
        try scan(directory) { y, yaml in
            if y == year { found = yaml }
            return found == nil
        }
        guard let found else { throw notFound(year, in: directory) }
        return try load(found)
    }

    /// The scorecard of `year`, else the latest year before it that has one: in January, before
    /// the new year's targets are filed, the year just ended is the one to look at, not an error.
    /// Throws as ``load(directory:year:)`` for `year` when no year up to it has a scorecard.
    public static func latest(directory: String, atOrBefore year: Int) throws(ReportsError) -> ScorecardDefinition {
        var best: (year: Int, yaml: YAMLFile)?
        try scan(directory) { y, yaml in
            if y <= year, y > best?.year ?? .min { best = (y, yaml) }
            return true
        }
        guard let best else { throw notFound(year, in: directory) }
        return try load(best.yaml)
    }

    /// Reads the YAML files of `directory` in file-name order and hands `visit` each one that
    /// has a `year:`, with it, while `visit` returns true.
    private static func scan(_ directory: String, _ visit: (Int, YAMLFile) -> Bool) throws(ReportsError) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for name in names {
            let yaml: YAMLFile
            do { yaml = try YAMLFile(path: directory + "/" + name) } catch { throw ReportsError(error.description) }
            guard let y = yaml.root?.value(forKey: "year")?.text.flatMap(Int.init) else { continue }
            if !visit(y, yaml) { return }
        }
    }

    private static func notFound(_ year: Int, in directory: String) -> ReportsError {
        ReportsError("no scorecard for \(year) in \(directory)/ (a YAML file with 'year: \(year)' and its indicators)")
    }

    /// Reads one scorecard file; errors name file:line:column.
    public static func load(_ yaml: YAMLFile) throws(ReportsError) -> ScorecardDefinition {
        func fail(_ message: String, _ node: Node?) -> ReportsError { ReportsError(yaml.error(.badValue, message, at: node).description) }
        guard let root = yaml.root, let year = root.value(forKey: "year")?.text.flatMap(Int.init) else {
            throw fail("a scorecard needs 'year: YYYY'", yaml.root)
        }
        guard let items = root.value(forKey: "indicators")?.items, !items.isEmpty else {
            throw fail("a scorecard needs 'indicators:', a list", root.keyNode("indicators") ?? root)
        }
        var indicators: [IndicatorDefinition] = []
        var seen = Set<String>()
        for item in items {
            let known: Set<String> = ["id", "name", "target", "measure", "declared", "match", "parameter", "allowance", "note"]
            for (key, _) in item.pairs ?? [] where !known.contains(key.text ?? "") {
                throw fail("unknown field '\(key.text ?? "")' (known: \(known.sorted().joined(separator: ", ")))", key)
            }
            guard let id = item.value(forKey: "id")?.text, !id.isEmpty else { throw fail("an indicator needs 'id'", item) }
            guard seen.insert(id).inserted else { throw fail("indicator '\(id)' appears twice", item.value(forKey: "id")) }
            let nameNode = item.value(forKey: "name")
            let zh = nameNode?.value(forKey: "zh")?.text ?? nameNode?.text ?? id
            let en = nameNode?.value(forKey: "en")?.text ?? nameNode?.text ?? id
            guard let targetNode = item.value(forKey: "target"), let target = targetNode.text.flatMap(IndicatorTarget.init(parsing:)) else {
                throw fail("indicator '\(id)': 'target' must be a bound such as \">= 80%\" or \"<= 35 µg/m³\"", item.value(forKey: "target") ?? item)
            }
            var measure: IndicatorDefinition.Measure?
            if let node = item.value(forKey: "measure") {
                guard let m = node.text.flatMap(IndicatorDefinition.Measure.init(rawValue:)) else {
                    let names = IndicatorDefinition.Measure.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail("indicator '\(id)': unknown measure '\(node.text ?? "")' (known: \(names))", node)
                }
                measure = m
            }
            var declared: IndicatorDefinition.Declaration?
            if let node = item.value(forKey: "declared") {
                guard let value = node.value(forKey: "value")?.text.flatMap({ Double($0.replacingPercent) }) else {
                    throw fail("indicator '\(id)': 'declared' needs 'value', a number", node)
                }
                guard let evidence = node.value(forKey: "evidence")?.text, !evidence.isEmpty else {
                    throw fail("indicator '\(id)': a declared figure needs its 'evidence'", node)
                }
                guard let dateText = node.value(forKey: "date")?.text, let date = try? LocalDates.parse(dateText, option: "date") else {
                    throw fail("indicator '\(id)': a declared figure needs its 'date', YYYY-MM-DD", node.value(forKey: "date") ?? node)
                }
                declared = .init(value: value, evidence: evidence, date: date, by: node.value(forKey: "by")?.text)
            }
            if (measure == nil) == (declared == nil) {
                throw fail("indicator '\(id)': give either 'measure' (computed from the stations) or 'declared' (entered with evidence)", item)
            }
            let parameter = item.value(forKey: "parameter")?.text
            if measure == .airAnnualMean || measure == .loadAgainstAllowance, parameter == nil && measure == .airAnnualMean {
                throw fail("indicator '\(id)': '\(measure!.rawValue)' needs 'parameter'", item)
            }
            let allowance = item.value(forKey: "allowance")?.text
            if measure == .loadAgainstAllowance, allowance == nil {
                throw fail("indicator '\(id)': 'load-against-allowance' needs 'allowance', a name in the allowances file", item)
            }
            indicators.append(
                IndicatorDefinition(
                    id: id, nameZH: zh, nameEN: en, target: target, measure: measure, declared: declared,
                    match: try matcher(item.value(forKey: "match"), fail), parameter: parameter, allowance: allowance))
        }
        return ScorecardDefinition(year: year, indicators: indicators, path: yaml.path)
    }

    private static func matcher(_ node: Node?, _ fail: (String, Node?) -> ReportsError) throws(ReportsError) -> RuleMatcher {
        guard let node else { return RuleMatcher() }
        var m = RuleMatcher()
        m.stations = Set((node.value(forKey: "stations")?.items ?? []).compactMap(\.text))
        for k in node.value(forKey: "kinds")?.items ?? [] {
            guard let kind = k.text.flatMap(StationKind.init(rawValue:)) else { throw fail("unknown station kind '\(k.text ?? "")'", k) }
            m.kinds.insert(kind)
        }
        for (k, v) in node.value(forKey: "labels")?.pairs ?? [] {
            if let key = k.text, let value = v.text { m.labels[key] = value }
        }
        return m
    }
}

extension String {
    /// `83.5%` → `83.5`.
    fileprivate var replacingPercent: String { hasSuffix("%") ? String(dropLast()).trimmingCharacters(in: .whitespaces) : self }
}
