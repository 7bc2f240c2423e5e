public import Monitoring
import Foundation
import Yams

/// Reads yearly load allowances from targets/ (`allowances.yaml`, or every `*.yaml` there that
/// holds `allowances:`), checking pollutants and flows against the catalogue and station ids
/// against sensors/. Every problem is reported together as `file:line:column: message`.
///
/// ```yaml
/// allowances:
///   - name: baisha-cod                  # rules name it: `allowance: baisha-cod`
///     title: 白沙河流域化学需氧量
///     pollutant: COD
///     flow: Q-water                     # default: Q-water for water pollutants, Q-gas for the rest
///     scope: {kinds: [discharge-outlet], labels: {basin: Baisha River}}   # stations, kinds, labels
///     baseline: {year: 2025, load: 1800t}
///     reduction_per_year: 8%            # compounded from the baseline year
///     through: 2030                     # last year of the plan (optional)
///     years: {2026: 1656t}              # explicit tonnes by year; override the baseline form
/// ```
public struct AllowanceLoader: Sendable {
    /// The stations scopes are checked against.
    public var stations: StationRegistry
    /// The catalogue pollutants and flows are checked against.
    public var catalogue: ParameterCatalogue

    /// Creates a loader.
    public init(stations: StationRegistry, catalogue: ParameterCatalogue = .standard) {
        self.stations = stations
        self.catalogue = catalogue
    }

    /// The allowance files of a folder: its `*.yaml`/`*.yml` files, sorted (none when it is missing).
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".test.") }.sorted()
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
    }

    /// Loads the definitions of every file of `directory` that holds `allowances:` (other files,
    /// such as a scorecard's targets, are left to their own readers).
    /// - Throws: ``ConfigErrors`` listing every problem.
    public func load(directory: String) throws(ConfigErrors) -> AllowanceBook {
        try load(files: Self.files(in: directory), skipOthers: true)
    }

    /// Loads the given files.
    /// - Parameter skipOthers: Ignore files without `allowances:` instead of failing on them.
    /// - Throws: ``ConfigErrors`` listing every problem.
    public func load(files: [String], skipOthers: Bool = false) throws(ConfigErrors) -> AllowanceBook {
        var errors: [ConfigError] = []
        var out: [YearlyAllowance] = []
        var names: [String: String] = [:]
        for path in files {
            let file: YAMLFile
            do {
                file = try YAMLFile(path: path)
            } catch {
                errors.append(error)
                continue
            }
            guard let root = file.root, let list = root.value(forKey: "allowances") else {
                if !skipOthers { errors.append(file.error(.missingField, "expected 'allowances:' with a list of allowances", at: file.root)) }
                continue
            }
            guard let items = list.items else {
                errors.append(file.error(.wrongType, "'allowances' must be a list", at: list))
                continue
            }
            for node in items {
                var reader = Reader(file: file, loader: self)
                guard let allowance = reader.allowance(node) else {
                    errors += reader.errors
                    continue
                }
                errors += reader.errors
                if let other = names[allowance.name] {
                    errors.append(file.error(.duplicateID, "allowance '\(allowance.name)' is already defined at \(other)", at: node.value(forKey: "name")))
                } else {
                    names[allowance.name] = allowance.origin
                    out.append(allowance)
                }
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return AllowanceBook(out)
    }

    /// A mass in kilograms: `250t`, `250 t`, `1200kg`; a plain number is tonnes. Nil when not a positive mass.
    public static func kilograms(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: " ", with: "")
        let value: Double?
        if t.hasSuffix("kg") {
            value = Double(t.dropLast(2))
        } else if t.hasSuffix("t") {
            value = Double(t.dropLast()).map { $0 * 1_000 }
        } else {
            value = Double(t).map { $0 * 1_000 }
        }
        guard let value, value > 0, value.isFinite else { return nil }
        return value
    }

    /// A share: `8%` or `0.08`, at least 0 and below 1.
    public static func share(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: " ", with: "")
        let v = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let v, (0..<1).contains(v) else { return nil }
        return v
    }

    private struct Reader {
        let file: YAMLFile
        let loader: AllowanceLoader
        var errors: [ConfigError] = []

        static let fields: Set<String> = ["name", "title", "pollutant", "flow", "scope", "baseline", "reduction_per_year", "through", "years"]

        mutating func fail(_ code: ConfigError.Code, _ message: String, at n: Node?) { errors.append(file.error(code, message, at: n)) }

        mutating func allowance(_ node: Node) -> YearlyAllowance? {
            guard let pairs = node.pairs else {
                fail(.wrongType, "an allowance must be a mapping (name:, pollutant:, scope:, …)", at: node)
                return nil
            }
            for (key, _) in pairs where !Self.fields.contains(key.text ?? "") {
                fail(.unknownField, "unknown field '\(key.text ?? "?")' (expected one of \(Self.fields.sorted().joined(separator: ", ")))", at: key)
            }
            guard let name = node.value(forKey: "name")?.text, !name.isEmpty else {
                fail(.missingField, "an allowance needs a 'name'", at: node)
                return nil
            }
            let pollutant = parameter(node, "pollutant", name: name, required: true)
            var flow = parameter(node, "flow", name: name, required: false)
            if flow == nil, let pollutant { flow = YearlyAllowance.defaultFlow(for: pollutant) }
            let scope = self.scope(node.value(forKey: "scope"), name: name, owner: node)
            var baseline: YearlyAllowance.Baseline?
            var reduction = 0.0
            if let b = node.value(forKey: "baseline") {
                let year = b.value(forKey: "year")?.text.flatMap { Int($0) }
                let load = b.value(forKey: "load")?.text.flatMap(AllowanceLoader.kilograms)
                if let year, let load, (1900...2200).contains(year) {
                    baseline = .init(year: year, kilograms: load)
                } else {
                    fail(.badValue, "baseline must be {year: 2025, load: 1800t} (a year and a positive mass in t or kg)", at: b)
                }
                if let r = node.value(forKey: "reduction_per_year") {
                    if let v = r.text.flatMap(AllowanceLoader.share) { reduction = v } else {
                        fail(.badValue, "reduction_per_year must be a share: 8% or 0.08 (at least 0, below 100 %)", at: r)
                    }
                } else {
                    fail(.missingField, "allowance '\(name)' has a baseline but no 'reduction_per_year' (8%, or 0 to keep the baseline)", at: b)
                }
            } else if let r = node.value(forKey: "reduction_per_year") {
                fail(.missingField, "reduction_per_year needs a 'baseline' ({year: 2025, load: 1800t}) to reduce", at: r)
            }
            var through: Int?
            if let t = node.value(forKey: "through") {
                if let y = t.text.flatMap({ Int($0) }), baseline.map({ y > $0.year }) ?? true { through = y } else {
                    fail(.badValue, "through must be a year after the baseline year", at: t)
                }
            }
            var years: [Int: Double] = [:]
            if let y = node.value(forKey: "years") {
                if let list = y.pairs {
                    for (k, v) in list {
                        guard let year = k.text.flatMap({ Int($0) }), (1900...2200).contains(year) else {
                            fail(.badValue, "years are keyed by year: {2026: 1656t}", at: k)
                            continue
                        }
                        guard let kg = v.text.flatMap(AllowanceLoader.kilograms) else {
                            fail(.badValue, "a mass such as 1656t or 250000kg", at: v)
                            continue
                        }
                        years[year] = kg
                    }
                } else {
                    fail(.wrongType, "years must be a mapping of years to masses: {2026: 1656t, 2027: 1600t}", at: y)
                }
            }
            if baseline == nil && years.isEmpty && node.value(forKey: "baseline") == nil && node.value(forKey: "years") == nil {
                fail(.missingField, "allowance '\(name)' needs 'baseline' with 'reduction_per_year', or 'years' (tonnes by year)", at: node)
            }
            guard errors.isEmpty, let pollutant, let flow else { return nil }
            return YearlyAllowance(
                name: name, pollutant: pollutant, flow: flow, scope: scope, baseline: baseline, reductionPerYear: reduction,
                throughYear: through, years: years, origin: "\(file.path):\(node.mark?.line ?? 0)", title: node.value(forKey: "title")?.text)
        }

        mutating func parameter(_ node: Node, _ key: String, name: String, required: Bool) -> String? {
            guard let n = node.value(forKey: key) else {
                if required { fail(.missingField, "allowance '\(name)' needs '\(key)'", at: node) }
                return nil
            }
            guard let text = n.text, let p = loader.catalogue.named(text) else {
                fail(.unknownParameter, "parameter '\(n.text ?? "?")' is not in the catalogue", at: n)
                return nil
            }
            return p.id
        }

        mutating func scope(_ n: Node?, name: String, owner: Node) -> StationScope {
            var scope = StationScope()
            guard let n else {
                fail(.missingField, "allowance '\(name)' needs a 'scope' (stations, kinds, labels)", at: owner)
                return scope
            }
            guard let pairs = n.pairs else {
                fail(.wrongType, "scope must be a mapping (stations, kinds, labels)", at: n)
                return scope
            }
            for (key, value) in pairs {
                switch key.text {
                case "stations":
                    for item in value.items ?? [value] {
                        guard let id = item.text else { continue }
                        if loader.stations[id] == nil { fail(.unknownStation, "station '\(id)' is not defined in sensors/", at: item) }
                        scope.stations.insert(id)
                    }
                case "kinds":
                    for item in value.items ?? [value] {
                        guard let k = item.text.flatMap(StationKind.init(rawValue:)) else {
                            fail(.unknownKind, "unknown station kind '\(item.text ?? "?")' (expected \(StationKind.allCases.map(\.rawValue).joined(separator: ", ")))", at: item)
                            continue
                        }
                        scope.kinds.insert(k)
                    }
                case "labels":
                    guard let labels = value.pairs else {
                        fail(.wrongType, "scope.labels must be a mapping of names to values", at: value)
                        continue
                    }
                    for (k, v) in labels {
                        if let key = k.text, let text = v.text { scope.labels[key] = text } else { fail(.wrongType, "label values must be text", at: v) }
                    }
                default:
                    fail(.unknownField, "unknown field '\(key.text ?? "?")' in scope (expected stations, kinds, labels)", at: key)
                }
            }
            return scope
        }
    }
}
