import EnvmonTesting
import Foundation
import Monitoring
import Rules
import Store
import Testing

/// The scenarios, on the engine with time passed by hand: each runs in milliseconds.
@Suite struct RuleScenarioTests {
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z, 08:00 in Shanghai
    let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD", "NH3-N"])

    func series(_ p: String = "COD") -> SeriesKey { SeriesKey(station: "outlet", parameter: p, kind: .realtime) }

    func cod(_ minute: Int64, _ value: Double, flag: DataFlag = .normal) -> Sample {
        Sample(series: series(), time: Self.t0 + minute * 60, value: value, flag: flag)
    }

    func codAbove90(holdFor: Int64 = 3_600, clearFraction: Double = 1, clearFor: Int64 = 0) -> Rule {
        Rule(
            name: "cod-high", condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil), clearFraction: clearFraction)),
            match: RuleMatcher(parameters: ["COD"]), holdFor: holdFor, clearFor: clearFor, severity: .critical)
    }

    /// Feeds one reading a minute and returns every transition.
    func feed(_ engine: RuleEngine, _ samples: [Sample]) -> [AlertTransition] {
        samples.flatMap { engine.ingest([$0], receivedAt: $0.time + 5) }
    }

    @Test func aFortyMinuteExceedanceWithForOneHourNeverFires() {
        let engine = RuleEngine(rules: [codAbove90()], stations: TestStations.registry(outlet))
        var samples = (0..<40).map { cod($0, 120) }
        samples += (40..<180).map { cod($0, 50) }
        let transitions = feed(engine, samples)
        #expect(transitions.map(\.to) == [.pending, .inactive])
        #expect(transitions.allSatisfy { $0.notification == nil })
        #expect(engine.instance(AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"))?.state == .inactive)
    }

    @Test func anExceedanceHeldForTheDurationFiresOnceAtTheMeasurementTime() {
        let engine = RuleEngine(rules: [codAbove90()], stations: TestStations.registry(outlet))
        let transitions = feed(engine, (0...90).map { cod($0, 120) })
        #expect(transitions.map(\.to) == [.pending, .firing])
        let firing = transitions[1]
        #expect(firing.at == Self.t0 + 3_600, "fires at the reading that completes the hour, by measurement time")
        #expect(firing.notification?.status == .firing)
        #expect(firing.notification?.startsAt == Self.t0)
        #expect(firing.notification?.labels["severity"] == "critical")
        #expect(firing.notification?.labels["parameter"] == "COD")
    }

    @Test func aStationGoingSilentWhileFiringStaysFiringAndRaisesOneNoDataAlert() {
        let rules = [codAbove90(holdFor: 0), Rule(name: "silent", condition: .noData(after: nil, multiple: 5))]
        let engine = RuleEngine(rules: rules, stations: TestStations.registry(outlet))
        var transitions = feed(engine, (0..<10).map { cod($0, 150) })
        #expect(transitions.map(\.to) == [.firing])
        // Silence: ticks every minute for six hours.
        let lastArrival = Self.t0 + 9 * 60 + 5
        for minute in 1...360 { transitions += engine.tick(now: lastArrival + Int64(minute) * 60) }
        let noData = transitions.filter { $0.to == .noData }
        #expect(noData.count == 1, "one no-data alert per station, not per rule and not per tick")
        #expect(noData.first?.instance.key.parameter == "*")
        #expect(noData.first?.notification?.labels["alertname"] == "silent")
        #expect(noData.first?.at == lastArrival + 6 * 60, "after 5 × the 60 s interval, at the first tick past it")
        let exceedance = engine.instance(AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"))
        #expect(exceedance?.state == .firing, "silence never resolves an exceedance")
        #expect(!transitions.contains { $0.to == .resolved })

        // The station comes back with a normal value: the no-data alert resolves, then the exceedance.
        let back = feed(engine, [cod(400, 40)])
        #expect(Set(back.map(\.to)) == [.resolved])
        #expect(back.count == 2)
        #expect(back.allSatisfy { $0.notification?.status == .resolved })
    }

    @Test func aStationNeverHeardFromOrRetiredNeverRaisesNoData() {
        var retired = TestStations.station("old", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        retired.retired = true
        let engine = RuleEngine(
            rules: [Rule(name: "silent", condition: .noData(after: 600, multiple: 3))], stations: TestStations.registry(outlet, retired))
        var transitions: [AlertTransition] = []
        for hour in 1...48 { transitions += engine.tick(now: Self.t0 + Int64(hour) * 3_600) }
        #expect(transitions.isEmpty)
    }

    @Test func aValueOscillatingAroundTheLimitWithAClearConditionIsOneEpisode() {
        // Ten minutes at 95 fire it (for: 5m); then it swings between 85 and 95 for almost two
        // hours; clearing needs a value at or below 80 % of the limit (72), which comes at the end.
        var samples = (0..<10).map { cod($0, 95) }
        for m in 10..<120 { samples.append(cod(Int64(m), m % 2 == 0 ? 95 : 85)) }
        samples += (120..<130).map { cod($0, 60) }

        let engine = RuleEngine(rules: [codAbove90(holdFor: 300, clearFraction: 0.8)], stations: TestStations.registry(outlet))
        let transitions = feed(engine, samples)
        #expect(transitions.compactMap(\.notification).map(\.status) == [.firing, .resolved])
        #expect(transitions.map(\.to) == [.pending, .firing, .resolved])
        #expect(transitions.last?.at == Self.t0 + 120 * 60)
        #expect(transitions.last?.instance.peak == 95)

        // The same swings with the clear level at the limit and no `for`: an episode a swing.
        let plain = RuleEngine(rules: [codAbove90(holdFor: 0, clearFraction: 1)], stations: TestStations.registry(outlet))
        let flapping = feed(plain, samples)
        // Fires at minute 0, then again at each even minute 12…118 after each odd minute resolved it.
        #expect(flapping.filter { $0.to == .firing }.count == 1 + 54)
    }

    @Test func readingsFlaggedCalibrationCauseNothingButLowerCompleteness() {
        let rules = [
            codAbove90(holdFor: 0),
            Rule(name: "cod-hour", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 90, below: nil))), match: RuleMatcher(parameters: ["COD"])),
            Rule(name: "completeness", condition: .completeness(basis: .hour, minimum: 0.9), match: RuleMatcher(parameters: ["COD"])),
        ]
        let engine = RuleEngine(rules: rules, stations: TestStations.registry(outlet), grace: 300)
        // A normal hour, then an hour with 30 minutes of calibration at 500 mg/L.
        var samples = (0..<60).map { cod($0, 40) }
        samples += (60..<90).map { cod($0, 500, flag: .calibration) }
        samples += (90..<120).map { cod($0, 40) }
        var transitions = feed(engine, samples)
        transitions += engine.tick(now: Self.t0 + 2 * 3_600 + 300)
        #expect(!transitions.contains { $0.instance.key.rule.hasPrefix("cod-") }, "no exceedance from calibration readings")
        let completeness = transitions.filter { $0.instance.key.rule == "completeness" }
        #expect(completeness.map(\.to) == [.firing], "the second hour has 30 of 60 valid readings")
        #expect(completeness.first?.instance.value == 0.5)
    }

    @Test func hourlyMeansNeedEnoughValidReadingsAndWaitForTheGraceWindow() {
        let rule = Rule(
            name: "cod-hour", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 90, below: nil))),
            match: RuleMatcher(parameters: ["COD"]))
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet), grace: 600)
        // 44 valid readings at 100 (one short of 45 minutes) plus 16 in maintenance: no valid hour.
        var samples = (0..<44).map { cod($0, 100) }
        samples += (44..<60).map { cod($0, 100, flag: .maintenance) }
        // The next hour: 45 valid readings at 100.
        samples += (60..<105).map { cod($0, 100) }
        _ = feed(engine, samples)
        #expect(engine.tick(now: Self.t0 + 2 * 3_600 + 599).isEmpty, "the second hour waits for its grace window")
        // A late reading inside the grace window still counts.
        _ = engine.ingest([cod(110, 100)], receivedAt: Self.t0 + 2 * 3_600 + 500)
        let transitions = engine.tick(now: Self.t0 + 2 * 3_600 + 600)
        #expect(transitions.map(\.to) == [.firing])
        #expect(transitions.first?.at == Self.t0 + 2 * 3_600)
        #expect(transitions.first?.instance.value == 100)
        // A reading for an hour already judged is counted as too late, and moves nothing.
        #expect(engine.ingest([cod(70, 10)], receivedAt: Self.t0 + 3 * 3_600).isEmpty)
        #expect(engine.statistics.lateBeyondGrace == 1)
    }

    @Test func stuckSensorRateOfChangeAndDeviceFlags() {
        let rules = [
            Rule(name: "stuck", condition: .stuck(readings: 5, tolerance: 0), match: RuleMatcher(parameters: ["COD"])),
            Rule(name: "jump", condition: .rateOfChange(maxChange: 100, per: 3_600), match: RuleMatcher(parameters: ["COD"])),
            Rule(name: "fault", condition: .deviceFlag([.fault]), match: RuleMatcher(parameters: ["COD"])),
        ]
        let engine = RuleEngine(rules: rules, stations: TestStations.registry(outlet))
        var samples = (0..<5).map { cod($0, 42) }  // flat for 5 readings
        samples.append(cod(5, 45))  // moves again
        samples.append(cod(6, 48, flag: .fault))  // device fault
        samples.append(cod(7, 47))  // back to normal
        let transitions = feed(engine, samples)
        let byRule = Dictionary(grouping: transitions, by: { $0.instance.key.rule }).mapValues { $0.map(\.to) }
        #expect(byRule["stuck"] == [.firing, .resolved])
        #expect(byRule["fault"] == [.firing, .resolved])
        // 42 → 45 in a minute is 180 mg/L an hour: too fast. The faulty 48 takes no part, and
        // 45 → 47 over two minutes is 60 an hour: it clears.
        #expect(byRule["jump"] == [.firing, .resolved])
    }

    @Test func stationLimitsFromSensorsApplyPerStation() {
        var limited = TestStations.station("mill", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        limited.parameters[0].limits = [Limit(basis: .hour, max: 90)]
        let unlimited = TestStations.station("plain", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        let rule = Rule(name: "permit", condition: .threshold(Threshold(basis: .reading, source: .station)))
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(limited, unlimited))
        let a = engine.ingest([Sample(series: SeriesKey(station: "mill", parameter: "COD", kind: .realtime), time: Self.t0, value: 95)], receivedAt: Self.t0)
        let b = engine.ingest([Sample(series: SeriesKey(station: "plain", parameter: "COD", kind: .realtime), time: Self.t0, value: 950)], receivedAt: Self.t0)
        #expect(a.map(\.to) == [.firing])
        #expect(b.isEmpty, "a station without a limit for the parameter is not judged by a 'limit: station' rule")
    }

    @Test func aRuleRemovedFromRulesResolvesWhatItHadFiring() {
        let engine = RuleEngine(rules: [codAbove90(holdFor: 0)], stations: TestStations.registry(outlet))
        #expect(feed(engine, [cod(0, 150)]).map(\.to) == [.firing])
        let retired = engine.retireRules(keeping: [], now: Self.t0 + 600)
        #expect(retired.map(\.to) == [.resolved])
        #expect(retired.first?.notification?.status == .resolved)
        #expect(retired.first?.reason == "rule cod-high removed from rules/")
        #expect(engine.retireRules(keeping: ["cod-high"], now: Self.t0 + 700).isEmpty)
    }

    @Test func theSendersOwnHourDataIsOneReadingAnHourWhateverTheStationsInterval() {
        // The outlet reports every minute, but this rule judges its 2061 hour values.
        var rule = Rule(
            name: "cod-hour-data", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 90, below: nil))),
            match: RuleMatcher(parameters: ["COD"]))
        rule.kind = .hour
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet), grace: 0)
        let hourValue = Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .hour), time: Self.t0, value: 120)
        _ = engine.ingest([hourValue], receivedAt: Self.t0 + 3_600)
        #expect(engine.tick(now: Self.t0 + 3_600).map(\.to) == [.firing], "one valid hour value makes a valid hour")
    }
}
