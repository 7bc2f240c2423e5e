public import EnvmonConfig
public import Monitoring
import Foundation
import Store
import Yams

/// Reads rule packs from rules/ (YAML) and checks them against the catalogue and sensors/.
///
/// ```swift
/// let rules = try RuleLoader(stations: registry).load(directory: "rules")
/// ```
///
/// Every problem of every file is reported together, each as `file:line:column: message`.
/// The format, with an example of every kind, is in rules/README.md.
public struct RuleLoader: Sendable {
    /// The stations rules are checked against (a matcher that selects none is an error).
    public var stations: StationRegistry
    /// The catalogue parameters are checked against.
    public var catalogue: ParameterCatalogue
    /// The yearly allowances target rules name; nil: read from the `targets` folder beside each
    /// rule file's folder (`rules/../targets`), where the load report finds them too.
    public var allowances: AllowanceBook?

    /// Creates a loader.
    public init(stations: StationRegistry, catalogue: ParameterCatalogue = .standard, allowances: AllowanceBook? = nil) {
        self.stations = stations
        self.catalogue = catalogue
        self.allowances = allowances
    }

    /// The folder of yearly allowances beside a rule file's folder: `rules/x.yaml` → `targets`.
    public static func targetsFolder(besideRuleFile path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let parent = (folder as NSString).deletingLastPathComponent
        return parent.isEmpty ? (folder.isEmpty || folder == "." ? "../targets" : "targets") : parent + "/targets"
    }

    /// The allowances for the rules of `file`: the loader's, else those beside its folder, read
    /// once per folder; or why they cannot be read.
    func allowanceBook(for file: String, cache: inout [String: Result<AllowanceBook, ConfigErrors>]) -> (AllowanceBook?, String?) {
        if let allowances { return (allowances, nil) }
        let folder = Self.targetsFolder(besideRuleFile: file)
        let result = cache[folder] ?? Result { () throws(ConfigErrors) in try AllowanceLoader(stations: stations, catalogue: catalogue).load(directory: folder) }
        cache[folder] = result
        switch result {
        case .success(let book): return (book, book.isEmpty ? "no yearly allowances in \(folder)/ (allowances.yaml)" : nil)
        case .failure(let errors): return (nil, "the allowances in \(folder)/ have errors:\n\(errors)")
        }
    }

    /// Loads every `*.yaml`/`*.yml` file of `directory` (sorted by name) except `*.test.yaml`.
    /// - Throws: ``ConfigErrors`` listing every problem.
    public func load(directory: String) throws(ConfigErrors) -> [Rule] {
        try load(files: Self.ruleFiles(in: directory))
    }

    /// The rule files of a folder: YAML files that are not rule tests.
    public static func ruleFiles(in directory: String) throws(ConfigErrors) -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigErrors([ConfigError(.unreadable, "cannot list the rules directory", file: directory)])
        }
        return names.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.contains(".test.") }.sorted()
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
    }

    /// Loads the given files.
    /// - Throws: ``ConfigErrors`` listing every problem.
    public func load(files: [String]) throws(ConfigErrors) -> [Rule] {
        try loadWithWarnings(files: files).rules
    }

    /// Loads the given files, and says which rules select nothing with these stations (not an
    /// error: a pack may be meant for stations another sensors/ folder defines).
    /// - Throws: ``ConfigErrors`` listing every problem.
    public func loadWithWarnings(files: [String]) throws(ConfigErrors) -> (rules: [Rule], warnings: [ConfigError]) {
        var warnings: [ConfigError] = []
        var errors: [ConfigError] = []
        var rules: [Rule] = []
        var names: [String: String] = [:]
        var books: [String: Result<AllowanceBook, ConfigErrors>] = [:]
        for path in files {
            do {
                let file = try YAMLFile(path: path)
                for (rule, node) in parse(file, errors: &errors, warnings: &warnings, books: &books) {
                    if let other = names[rule.name] {
                        errors.append(file.error(.duplicateID, "rule '\(rule.name)' is already defined at \(other)", at: node.value(forKey: "name")))
                    } else {
                        names[rule.name] = rule.origin
                        rules.append(rule)
                    }
                }
            } catch {
                errors.append(error)
            }
        }
        // In file order, so the first line to fix comes first.
        let order = Dictionary(uniqueKeysWithValues: files.enumerated().map { ($1, $0) })
        func sorted(_ e: [ConfigError]) -> [ConfigError] {
            e.enumerated().sorted { a, b in
                (order[a.element.file] ?? 0, a.element.line ?? 0, a.element.column ?? 0, a.offset)
                    < (order[b.element.file] ?? 0, b.element.line ?? 0, b.element.column ?? 0, b.offset)
            }.map(\.element)
        }
        if !errors.isEmpty { throw ConfigErrors(sorted(errors)) }
        return (rules, sorted(warnings))
    }

    /// Parses rules from one file: a mapping with `rules:` (a list), or a bare list.
    func parse(
        _ file: YAMLFile, errors: inout [ConfigError], warnings: inout [ConfigError], books: inout [String: Result<AllowanceBook, ConfigErrors>]
    ) -> [(Rule, Node)] {
        guard let root = file.root else { return [] }
        let list: Node
        if root.items != nil {
            list = root
        } else if let r = root.value(forKey: "rules") {
            for (key, _) in root.pairs ?? [] where key.text != "rules" {
                errors.append(file.error(.unknownField, "unknown field '\(key.text ?? "?")' (a rule file holds 'rules:')", at: key))
            }
            list = r
        } else {
            errors.append(file.error(.missingField, "expected 'rules:' with a list of rules", at: root))
            return []
        }
        guard let items = list.items else {
            errors.append(file.error(.wrongType, "'rules' must be a list", at: list))
            return []
        }
        // Read only when a target rule is there to need them.
        let wantsAllowances = items.contains { $0.value(forKey: "kind")?.text == "target" }
        let (book, problem) = wantsAllowances ? allowanceBook(for: file.path, cache: &books) : (nil, nil)
        return items.compactMap { node in
            var context = RuleNode(file: file, node: node, loader: self)
            context.allowances = book
            context.allowanceProblem = problem
            let rule = context.rule()
            errors += context.errors
            warnings += context.warnings
            return rule.map { ($0, node) }
        }
    }
}
