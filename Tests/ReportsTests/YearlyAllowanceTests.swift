import EnvmonConfig
import Foundation
import Monitoring
import Rules
import Testing

/// Yearly allowances: each year its own amount, read from one file by the report and the rules.
@Suite struct YearlyAllowanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func aBaselineIsReducedEveryYearAndExplicitYearsOverrideIt() {
        let a = YearlyAllowance(
            name: "a", pollutant: "SO2", flow: "Q-gas", scope: StationScope(), baseline: .init(year: 2025, kilograms: 1_000),
            reductionPerYear: 0.1, throughYear: 2028, years: [2027: 700])
        #expect(a.kilograms(in: 2025) == nil, "the baseline year is the reference")
        #expect(abs((a.kilograms(in: 2026) ?? 0) - 900) < 1e-9)
        #expect(a.kilograms(in: 2027) == 700)
        #expect(abs((a.kilograms(in: 2028) ?? 0) - 729) < 1e-9, "compounded: 1,000 × 0.9³")
        #expect(a.kilograms(in: 2029) == nil, "after the plan, nothing carries over")
        #expect(YearlyAllowance.defaultFlow(for: "COD") == "Q-water" && YearlyAllowance.defaultFlow(for: "NOx") == "Q-gas")
    }

    @Test func theShippedAllowancesAndTargetRulesReadTheSameDefinitions() throws {
        let stations = try SensorLoader().load(directory: Self.root + "/sensors")
        let book = try AllowanceLoader(stations: stations).load(directory: Self.root + "/targets")
        #expect(abs((book["baisha-cod"]?.kilograms(in: 2026) ?? 0) - 1_656_000) < 1e-6)
        #expect(Set(book.allowances.map(\.pollutant)).isSuperset(of: ["COD", "SO2", "NOx"]))
        let rules = try RuleLoader(stations: stations).load(files: [Self.root + "/rules/targets.yaml"])
        var named: [String: YearlyAllowance] = [:]
        for rule in rules {
            guard case .reductionTarget(let goal) = rule.condition else { continue }
            named[goal.allowance.name] = goal.allowance
            // The rule selects exactly the allowance's scope.
            let selected = stations.stations.filter { rule.match.matches($0) }.map(\.id)
            #expect(selected == stations.stations.filter { goal.allowance.scope.contains($0) }.map(\.id), "\(rule.name)")
        }
        #expect(named.count == book.allowances.count)
        for a in book.allowances { #expect(named[a.name] == a, "\(a.name)") }
    }

    @Test func badAllowanceFilesAndRulesNameTheFileAndLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("envmon-allowances-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/targets", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/rules", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let stations = try SensorLoader().load(directory: Self.root + "/sensors")
        try """
            allowances:
              - name: cod
                pollutant: CODx
                scope: {kinds: [outlet]}
                years: {2026: -5t}
              - name: so2
                pollutant: SO2
                scope: {stations: [qinghe-power-plant-stack]}
                baseline: {year: 2025, load: 100t}

            """.write(toFile: dir + "/targets/allowances.yaml", atomically: true, encoding: .utf8)
        let errors = #expect(throws: ConfigErrors.self) { try AllowanceLoader(stations: stations).load(directory: dir + "/targets") }
        let text = errors?.description ?? ""
        #expect(text.contains("allowances.yaml:3:16: parameter 'CODx' is not in the catalogue"), "\(text)")
        #expect(text.contains("allowances.yaml:4:21: unknown station kind 'outlet'"), "\(text)")
        #expect(text.contains("allowances.yaml:5:19: a mass such as"), "\(text)")
        #expect(text.contains("allowances.yaml:9:15: allowance 'so2' has a baseline but no 'reduction_per_year'"), "\(text)")

        // A rule naming an allowance that is not there, or keeping the old inline amount.
        try """
            allowances:
              - name: so2
                pollutant: SO2
                scope: {stations: [qinghe-power-plant-stack]}
                years: {2026: 100t}

            """.write(toFile: dir + "/targets/allowances.yaml", atomically: true, encoding: .utf8)
        try """
            rules:
              - name: a
                kind: target
                allowance: nox
              - name: b
                kind: target
                allowance: 250t
              - name: c
                kind: target
                pollutant: COD
                allowance: so2

            """.write(toFile: dir + "/rules/targets.yaml", atomically: true, encoding: .utf8)
        let ruleErrors = #expect(throws: ConfigErrors.self) { try RuleLoader(stations: stations).load(files: [dir + "/rules/targets.yaml"]) }
        let rules = ruleErrors?.description ?? ""
        #expect(rules.contains("targets.yaml:4:16: no allowance 'nox' in targets/ (known: so2)"), "\(rules)")
        #expect(rules.contains("targets.yaml:7:16: no allowance '250t'") && rules.contains("an amount here would hold for every year"), "\(rules)")
        #expect(rules.contains("targets.yaml:10:16: 'pollutant' moved to targets/allowances.yaml"), "\(rules)")
    }
}
