import EnvmonConfig
import Foundation
import Yams

extension ConfigNodeReader {
    /// Reads `inhibit_rules:`, with Alertmanager's `source_matchers`/`target_matchers` and the
    /// older `source_match`, `source_match_re`, `target_match`, `target_match_re`.
    mutating func inhibitRules(_ node: Node) -> [InhibitRule] {
        guard let items = items(node, "inhibit_rules") else { return [] }
        let known = [
            "source_matchers", "target_matchers", "source_match", "source_match_re", "target_match", "target_match_re", "equal",
        ]
        var out: [InhibitRule] = []
        for (i, item) in items.enumerated() {
            let what = "inhibit_rules[\(i)]"
            guard let f = fields(item, what, known: known) else { continue }
            let source = allMatchers(f, what, prefix: "source_")
            let target = allMatchers(f, what, prefix: "target_")
            let equal = f["equal"].flatMap { strings($0, "\(what).equal") } ?? []
            out.append(InhibitRule(sourceMatchers: source, targetMatchers: target, equal: equal))
        }
        return out
    }

    /// Reads `maintenance_windows:`.
    mutating func maintenanceWindows(_ node: Node) -> [MaintenanceWindow] {
        guard let items = items(node, "maintenance_windows") else { return [] }
        var out: [MaintenanceWindow] = []
        for (i, item) in items.enumerated() {
            let what = "maintenance_windows[\(i)]"
            guard let f = fields(item, what, known: ["name", "matchers", "weekdays", "times", "location"]) else { continue }
            let before = errors.count
            let name = require(f, "name", what).flatMap { string($0, "\(what).name") } ?? ""
            let matchers = f["matchers"].map { self.matchers($0, "\(what).matchers") } ?? []
            let weekdays = f["weekdays"].map { self.weekdays($0, "\(what).weekdays") } ?? []
            let times = f["times"].map { self.times($0, "\(what).times") } ?? []
            let location = f["location"].flatMap { self.location($0, "\(what).location") } ?? TimeZone(identifier: "UTC")!
            if errors.count == before {
                out.append(MaintenanceWindow(name: name, matchers: matchers, weekdays: weekdays, times: times, location: location))
            }
        }
        return out
    }

    /// The ISO numbers of the week's days, Monday 1 … Sunday 7.
    static let dayNumbers = ["monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7]

    /// `weekdays: ['tuesday', 'saturday:sunday']`: day names (any case) and inclusive ranges; a
    /// range may wrap past the week's end (`sunday:saturday` is every day, as in Alertmanager).
    mutating func weekdays(_ node: Node, _ what: String) -> Set<Int> {
        guard let texts = strings(node, what) else { return [] }
        var out = Set<Int>()
        for (i, text) in texts.enumerated() {
            let ends = text.split(separator: ":", omittingEmptySubsequences: false).map { Self.dayNumbers[$0.trimmingCharacters(in: .whitespaces).lowercased()] }
            guard (1...2).contains(ends.count), let first = ends[0], let last = ends[ends.count - 1] else {
                fail(.badValue, "\(what)[\(i)]: '\(text)' is not a weekday (monday … sunday) or a range such as 'monday:friday'", at: node.items?[i])
                continue
            }
            var day = first
            while true {
                out.insert(day)
                if day == last { break }
                day = day % 7 + 1
            }
        }
        return out
    }

    /// `times: [{start_time: "02:00", end_time: "04:00"}]`: minute-of-day ranges, end
    /// exclusive, `24:00` allowed as an end.
    mutating func times(_ node: Node, _ what: String) -> [Range<Int>] {
        guard let items = items(node, what) else { return [] }
        var out: [Range<Int>] = []
        for (i, item) in items.enumerated() {
            let place = "\(what)[\(i)]"
            guard let f = fields(item, place, known: ["start_time", "end_time"]) else { continue }
            let start = require(f, "start_time", place).flatMap { minuteOfDay($0, "\(place).start_time", isEnd: false) }
            let end = require(f, "end_time", place).flatMap { minuteOfDay($0, "\(place).end_time", isEnd: true) }
            guard let start, let end else { continue }
            guard start < end else {
                fail(.badValue, "\(place): end_time must come after start_time; write a window across midnight as two ranges (…–24:00 and 00:00–…)", at: f["end_time"])
                continue
            }
            out.append(start..<end)
        }
        return out
    }

    /// `HH:MM` as minutes since midnight; `24:00` only as an end.
    mutating func minuteOfDay(_ node: Node, _ what: String, isEnd: Bool) -> Int? {
        let text = node.text ?? ""
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            (0...59).contains(m), (0...23).contains(h) || (isEnd && h == 24 && m == 0)
        {
            return h * 60 + m
        }
        let range = isEnd ? "00:00 to 24:00" : "00:00 to 23:59"
        fail(.badValue, "\(what): '\(text)' is not a time of day HH:MM from \(range)", at: node)
        return nil
    }

    /// An IANA zone name (`Asia/Shanghai`), `UTC`, or `Local` for the system's zone.
    mutating func location(_ node: Node, _ what: String) -> TimeZone? {
        guard let name = string(node, what) else { return nil }
        if name == "Local" { return TimeZone.current }
        guard let zone = TimeZone(identifier: name) else {
            fail(.badTimeZone, "\(what): unknown time zone '\(name)' (an IANA name such as Asia/Shanghai, UTC or Local)", at: node)
            return nil
        }
        return zone
    }
}
