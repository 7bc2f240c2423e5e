import Foundation
public import Monitoring
import Store

/// Runs rule tests on the engine, as the daemon would: readings arrive at their measurement
/// time, the engine ticks every `tick`, and at each expected time the open alerts are compared.
public struct RuleTestRunner {
    /// The outcome of one case.
    public struct Outcome: Sendable {
        /// The case's name.
        public var name: String
        /// Empty when it passed; otherwise one line per mismatch.
        public var failures: [String]
        /// Whether it passed.
        public var passed: Bool { failures.isEmpty }
    }

    /// The rules under test.
    public var rules: [Rule]
    /// The stations.
    public var stations: StationRegistry
    /// The grace window for late data.
    public var grace: Int64

    /// Creates a runner.
    public init(rules: [Rule], stations: StationRegistry, grace: Int64 = 600) {
        self.rules = rules
        self.stations = stations
        self.grace = grace
    }

    /// Runs every case of a file.
    public func run(_ file: RuleTestFile) -> [Outcome] {
        file.cases.map { run($0, tick: file.tick, path: file.path) }
    }

    /// Runs one case on a fresh engine.
    public func run(_ c: RuleTestFile.Case, tick: Int64, path: String) -> Outcome {
        let engine = RuleEngine(rules: rules, stations: stations, grace: grace)
        var failures: [String] = []
        var next = 0
        var nextFault = 0
        var clock = c.start
        for check in c.checks {
            // Readings, clock faults and ticks up to the check, in time order.
            while clock < check.at {
                let step = min(clock + tick, check.at)
                while true {
                    let sampleTime = next < c.samples.count ? c.samples[next].time : .max
                    let faultTime = nextFault < c.clockFaults.count ? c.clockFaults[nextFault].receivedAt : .max
                    guard min(sampleTime, faultTime) <= step else { break }
                    if faultTime < sampleTime {
                        _ = engine.clockFault(c.clockFaults[nextFault], now: faultTime)
                        nextFault += 1
                    } else {
                        let s = c.samples[next]
                        _ = engine.ingest([s], receivedAt: s.time)
                        next += 1
                    }
                }
                clock = step
                _ = engine.tick(now: clock)
            }
            let open = Set(
                engine.activeInstances.filter { $0.state != .resolved }.map { RuleTestFile.Expected(key: $0.key, state: $0.state) })
            let expected = Set(check.alerts)
            if open != expected {
                let time = ZoneCalendar(stations.stations.first?.timeZone ?? .gmt).iso8601(check.at)
                var line = "\(path):\(check.line): at \(time):"
                for missing in expected.subtracting(open).sorted(by: { $0.description < $1.description }) { line += "\n    expected \(missing)" }
                for extra in open.subtracting(expected).sorted(by: { $0.description < $1.description }) {
                    line += "\n    got      \(extra)"
                }
                failures.append(line)
            }
        }
        return Outcome(name: c.name, failures: failures)
    }
}
