import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Rules

/// `envmon rules check|test`: validate rule packs, and run their tests.
struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files against the catalogue and sensors/, and run rule tests.",
        subcommands: [Check.self, RunTests.self]
    )

    /// Where the rules are.
    struct RulesOptions: ParsableArguments {
        @Option(name: .long, help: "The rules folder (env ENVMON_RULES).")
        var rules: String = ProcessInfo.processInfo.environment["ENVMON_RULES"] ?? "rules"

        @Option(name: .long, help: "The yearly allowances target rules name (default: the targets folder beside the rules folder).")
        var targets: String?

        /// The allowances of `--targets`, else of the folder beside `--rules`.
        func allowances(_ stations: StationRegistry) throws(ConfigErrors) -> AllowanceBook {
            try AllowanceLoader(stations: stations).load(directory: targets ?? RuleLoader.targetsFolder(besideRuleFile: rules + "/rules.yaml"))
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate every rule file; errors are printed as file:line:column: message.")

        @OptionGroup var store: StoreOptions
        @OptionGroup var options: RulesOptions

        @Argument(help: "Rule files to check (default: every rule file of --rules).")
        var files: [String] = []

        func run() async throws {
            let stations = try store.loadStations()
            do {
                let paths = files.isEmpty ? try RuleLoader.ruleFiles(in: options.rules) : files
                let (rules, warnings) = try RuleLoader(stations: stations, allowances: try options.allowances(stations)).loadWithWarnings(files: paths)
                for w in warnings { printError(w.description.replacingOccurrences(of: ": rule '", with: ": warning: rule '")) }
                var byKind: [String: Int] = [:]
                for r in rules { byKind[r.condition.kindName, default: 0] += 1 }
                let kinds = byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                print("\(rules.count) rules in \(paths.count) files: OK (\(kinds))")
            } catch {
                for e in error.errors { printError(e.description) }
                throw ExitCode(1)
            }
        }
    }

    struct RunTests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run rule tests (*.test.yaml): input series, evaluation times, and the alerts expected at each.")

        @OptionGroup var store: StoreOptions

        @Option(name: .long, help: "Seconds late readings are waited for before an hour or day is judged (as rules.grace).")
        var grace: String = "10m"

        @Option(name: .long, help: "The yearly allowances target rules name (default: the targets folder beside each test's rule files).")
        var targets: String?

        @Argument(help: "Test files (*.test.yaml).")
        var files: [String]

        func run() async throws {
            let stations = try store.loadStations()
            guard let graceSeconds = DurationText.seconds(grace) else { throw ValidationError("--grace must be a duration such as 10m") }
            var failed = 0, passed = 0
            for path in files {
                let test: RuleTestFile
                let rules: [Rule]
                do {
                    test = try RuleTestFile(path: path, stations: stations)
                    let allowances = try targets.map { dir throws(ConfigErrors) in try AllowanceLoader(stations: stations).load(directory: dir) }
                    rules = try RuleLoader(stations: stations, allowances: allowances).load(files: test.ruleFiles)
                } catch {
                    for e in error.errors { printError(e.description) }
                    failed += 1
                    continue
                }
                for outcome in RuleTestRunner(rules: rules, stations: stations, grace: Int64(graceSeconds)).run(test) {
                    if outcome.passed {
                        passed += 1
                        print("ok    \(outcome.name)")
                    } else {
                        failed += 1
                        print("FAIL  \(outcome.name)")
                        for f in outcome.failures { print("  " + f) }
                    }
                }
            }
            print("\(passed) passed, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}

extension RuleCondition {
    /// The kind as rule files write it.
    var kindName: String {
        switch self {
        case .threshold: "threshold"
        case .rateOfChange: "rate"
        case .stuck: "stuck"
        case .deviceFlag: "flag"
        case .completeness: "completeness"
        case .noData: "no_data"
        case .clock: "clock"
        case .waterClass: "water_class"
        case .airQuality: "aqi"
        case .reductionTarget: "target"
        case .caseOverdue: "case_overdue"
        }
    }
}
