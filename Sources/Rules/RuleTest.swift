public import EnvmonConfig
public import Monitoring
import Foundation
public import Store
import Yams

/// A rule test (the idea of Prometheus's `promtool test rules`): input series written compactly,
/// evaluation times, and the alerts expected at each. Read from a `*.test.yaml` file:
///
/// ```yaml
/// rule_files: [outlets.yaml]          # relative to this file; default: the other rule files beside it
/// tick: 1m                            # how often time-based conditions are checked (default 1m)
/// tests:
///   - name: an hour above the permit fires
///     start: 2026-01-05T08:00:00+08:00
///     series:
///       - {station: qinghe-paper-mill-outlet, parameter: COD, interval: 1h, values: "50 120x3 60 _ 40C"}
///     clock_faults:                   # frames the collector refused for their DataTime (for clock rules)
///       - {station: qinghe-paper-mill-outlet, from: +10m, count: 3, interval: 1m}
///     expect:
///       - at: +3h
///         alerts:
///           - {rule: outlet-permit-hourly, station: qinghe-paper-mill-outlet, parameter: COD, state: firing}
/// ```
///
/// Values: a number, `120x3` (three readings of 120), `_` (no reading), `_x5`, and a flag letter
/// after the number (`40C`, `500Mx30`) for flagged readings. Readings are `interval` apart from `start`.
/// Clock faults are `count` frames (default 1) `interval` apart (default 1m) from `from` (default
/// `start`), each a 1970 DataTime as a station with a reset clock sends.
/// At each `at` (an offset from `start` or an ISO 8601 time) the alerts pending, firing, without
/// data or suppressed must be exactly those listed.
public struct RuleTestFile: Sendable {
    /// One test case.
    public struct Case: Sendable {
        public var name: String
        public var start: Int64
        public var samples: [Sample]
        /// Frames refused for their time, in time order (``StationClockFault/receivedAt``).
        public var clockFaults: [StationClockFault] = []
        public var checks: [Check]
    }

    /// The alerts expected at one time.
    public struct Check: Sendable {
        public var at: Int64
        public var alerts: [Expected]
        public var line: Int
    }

    /// One expected alert.
    public struct Expected: Sendable, Hashable, CustomStringConvertible {
        public var key: AlertKey
        public var state: AlertState
        public var description: String { "\(key) \(state.rawValue)" }
    }

    /// The file's path.
    public var path: String
    /// The rule files it tests.
    public var ruleFiles: [String]
    /// Seconds between ticks.
    public var tick: Int64
    /// The cases.
    public var cases: [Case]

    /// Reads a test file; every problem is reported with its position.
    public init(path: String, stations: StationRegistry) throws(ConfigErrors) {
        let file: YAMLFile
        do { file = try YAMLFile(path: path) } catch { throw ConfigErrors([error]) }
        self.path = path
        var errors: [ConfigError] = []
        let root = file.root
        let folder = (path as NSString).deletingLastPathComponent
        if let files = root?.value(forKey: "rule_files") {
            ruleFiles = (files.items ?? [files]).compactMap(\.text).map { $0.hasPrefix("/") ? $0 : (folder.isEmpty ? $0 : folder + "/" + $0) }
        } else {
            ruleFiles = (try? RuleLoader.ruleFiles(in: folder.isEmpty ? "." : folder)) ?? []
        }
        tick = 60
        if let t = root?.value(forKey: "tick") {
            if let s = t.text.flatMap(DurationText.seconds), s > 0 { tick = Int64(s) } else {
                errors.append(file.error(.badValue, "tick must be a duration such as 1m", at: t))
            }
        }
        for (key, _) in root?.pairs ?? [] where !["rule_files", "tick", "tests"].contains(key.text ?? "") {
            errors.append(file.error(.unknownField, "unknown field '\(key.text ?? "?")' (expected rule_files, tick, tests)", at: key))
        }
        var cases: [Case] = []
        guard let tests = root?.value(forKey: "tests")?.items else {
            errors.append(file.error(.missingField, "expected 'tests:' with a list of test cases", at: root))
            throw ConfigErrors(errors)
        }
        for node in tests {
            var reader = CaseReader(file: file, stations: stations)
            if let c = reader.read(node) { cases.append(c) }
            errors += reader.errors
        }
        if !errors.isEmpty { throw ConfigErrors(errors) }
        self.cases = cases
    }
}

/// Reads one test case.
struct CaseReader {
    let file: YAMLFile
    let stations: StationRegistry
    var errors: [ConfigError] = []

    mutating func fail(_ message: String, at node: Node?) { errors.append(file.error(.badValue, message, at: node)) }

    mutating func read(_ node: Node) -> RuleTestFile.Case? {
        let name = node.value(forKey: "name")?.text ?? "test at line \(node.mark?.line ?? 0)"
        guard let startNode = node.value(forKey: "start"), let startText = startNode.text, let start = Self.parseTime(startText) else {
            fail("'start' must be an ISO 8601 time with an offset, such as 2026-01-05T08:00:00+08:00", at: node.value(forKey: "start") ?? node)
            return nil
        }
        var samples: [Sample] = []
        for s in node.value(forKey: "series")?.items ?? [] {
            samples += series(s, start: start)
        }
        var faults: [StationClockFault] = []
        for f in node.value(forKey: "clock_faults")?.items ?? [] {
            faults += clockFaults(f, start: start)
        }
        var checks: [RuleTestFile.Check] = []
        for e in node.value(forKey: "expect")?.items ?? [] {
            guard let atNode = e.value(forKey: "at"), let at = time(atNode, start: start) else { continue }
            var alerts: [RuleTestFile.Expected] = []
            for a in e.value(forKey: "alerts")?.items ?? [] {
                guard let rule = a.value(forKey: "rule")?.text, let station = a.value(forKey: "station")?.text else {
                    fail("an expected alert needs 'rule' and 'station'", at: a)
                    continue
                }
                let stateText = a.value(forKey: "state")?.text ?? "firing"
                guard let state = AlertState(rawValue: stateText), state != .inactive, state != .resolved else {
                    fail("state must be pending, firing, no-data or suppressed", at: a.value(forKey: "state"))
                    continue
                }
                alerts.append(.init(key: AlertKey(rule: rule, station: station, parameter: a.value(forKey: "parameter")?.text ?? "*"), state: state))
            }
            checks.append(.init(at: at, alerts: alerts, line: e.mark?.line ?? 0))
        }
        if checks.isEmpty { fail("test '\(name)' has no 'expect' entries", at: node) }
        return RuleTestFile.Case(
            name: name, start: start, samples: samples.sorted { $0.time < $1.time }, clockFaults: faults.sorted { $0.receivedAt < $1.receivedAt },
            checks: checks.sorted { $0.at < $1.at })
    }

    mutating func time(_ node: Node, start: Int64) -> Int64? {
        guard let text = node.text else { return nil }
        if text.hasPrefix("+"), let s = DurationText.seconds(String(text.dropFirst())) { return start + Int64(s) }
        if let t = Self.parseTime(text) { return t }
        fail("'\(text)' is neither an offset such as +2h nor an ISO 8601 time", at: node)
        return nil
    }

    mutating func series(_ node: Node, start: Int64) -> [Sample] {
        guard let id = node.value(forKey: "station")?.text, let station = stations[id] else {
            errors.append(file.error(.unknownStation, "series needs a 'station' defined in sensors/", at: node.value(forKey: "station") ?? node))
            return []
        }
        guard let p = node.value(forKey: "parameter")?.text, let parameter = station.parameter(p) ?? ParameterCatalogue.standard.named(p).flatMap({ station.parameter($0.id) }) else {
            errors.append(file.error(.unknownParameter, "station '\(id)' does not report parameter '\(node.value(forKey: "parameter")?.text ?? "?")'", at: node.value(forKey: "parameter") ?? node))
            return []
        }
        var interval = Int64(station.expectedInterval)
        if let i = node.value(forKey: "interval") {
            if let s = i.text.flatMap(DurationText.seconds), s > 0 { interval = Int64(s) } else { fail("interval must be a duration", at: i) }
        }
        var kind: SeriesKind = station.expectedInterval >= 3_600 ? .hour : .realtime
        if let k = node.value(forKey: "kind") {
            if let v = k.text.flatMap(SeriesKind.init(rawValue:)) { kind = v } else { fail("kind must be realtime, minute, hour or day", at: k) }
        }
        var from = start
        if let f = node.value(forKey: "from"), let t = time(f, start: start) { from = t }
        guard let valuesNode = node.value(forKey: "values"), let text = valuesNode.text else {
            fail("series needs 'values'", at: node)
            return []
        }
        let key = SeriesKey(station: id, parameter: parameter.parameter.id, kind: kind)
        var out: [Sample] = []
        var t = from
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," }) {
            guard let (value, flag, count) = Self.token(token) else {
                fail("'\(token)' is not a value (120, 120x3, 40C, _, _x5)", at: valuesNode)
                continue
            }
            for _ in 0..<count {
                if let value { out.append(Sample(series: key, time: t, value: value, flag: flag)) }
                t += interval
            }
        }
        return out
    }

    /// `{station, from, count, interval}`: frames of a station with a reset clock.
    mutating func clockFaults(_ node: Node, start: Int64) -> [StationClockFault] {
        guard let id = node.value(forKey: "station")?.text, stations[id] != nil else {
            errors.append(file.error(.unknownStation, "clock_faults needs a 'station' defined in sensors/", at: node.value(forKey: "station") ?? node))
            return []
        }
        var from = start
        if let f = node.value(forKey: "from"), let t = time(f, start: start) { from = t }
        var count = 1
        if let c = node.value(forKey: "count") {
            if let n = c.text.flatMap({ Int($0) }), n > 0 { count = n } else { fail("count must be a whole number above 0", at: c) }
        }
        var interval: Int64 = 60
        if let i = node.value(forKey: "interval") {
            if let s = i.text.flatMap(DurationText.seconds), s > 0 { interval = Int64(s) } else { fail("interval must be a duration", at: i) }
        }
        return (0..<count).map { k in
            let received = from + Int64(k) * interval
            // 1970-01-01T08:00 in Beijing is the epoch: the time behind is the time received.
            return StationClockFault(
                station: id, kind: .behind, sent: "19700101080000", offset: received, limit: 400 * 86_400, receivedAt: received)
        }
    }

    /// An ISO 8601 time; without an offset, Beijing time (envmon's default zone).
    static func parseTime(_ text: String) -> Int64? {
        try? ISO8601Time.parse(text, in: ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!))
    }

    /// `120`, `120x3`, `40C`, `500Mx30`, `_`, `_x5`.
    static func token(_ token: Substring) -> (Double?, DataFlag, Int)? {
        var body = token
        var count = 1
        if let x = body.lastIndex(of: "x") {
            guard let n = Int(body[body.index(after: x)...]), n > 0 else { return nil }
            count = n
            body = body[..<x]
        }
        if body == "_" { return (nil, .normal, count) }
        var flag = DataFlag.normal
        if let last = body.last, last.isLetter, let f = DataFlag(letter: String(last)) {
            flag = f
            body = body.dropLast()
        }
        guard let v = Double(body) else { return nil }
        return (v, flag, count)
    }
}
