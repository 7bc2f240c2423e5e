import EnvmonTesting
import Foundation
import Monitoring
import Rules
import Store
import Testing

/// A daily limit on the flow-weighted mean (HJ 355/356-2019 water outlets, GB 18918's daily
/// limits): Σ Cₕ·Qₕ / Σ Qₕ over the hours with both a valid mean and a valid flow.
@Suite struct FlowWeightedDailyMeanTests {
    static let day: Int64 = 1_767_628_800  // 2026-01-06T00:00:00+08:00

    let outlet: Station = {
        var s = TestStations.station("wwtp", kind: .dischargeOutlet, parameters: ["COD", "Q-water"])
        s.parameters[0].limits = [Limit(basis: .day, max: 50)]
        return s
    }()

    func rule(_ average: Threshold.Average) -> Rule {
        var t = Threshold(basis: .day, source: .station)
        t.average = average
        return Rule(name: "daily", condition: .threshold(t), match: RuleMatcher(parameters: ["COD"]))
    }

    /// One day of hourly COD and flow, judged after its grace window.
    func judge(_ rule: Rule, cod: [Double], flow: [Double]) -> [AlertTransition] {
        let engine = RuleEngine(rules: [rule], stations: TestStations.registry(outlet), grace: 600)
        var out: [AlertTransition] = []
        for h in 0..<24 {
            let t = Self.day + Int64(h) * 3_600
            out += engine.ingest(
                [Sample(series: SeriesKey(station: "wwtp", parameter: "COD", kind: .hour), time: t, value: cod[h]),
                 Sample(series: SeriesKey(station: "wwtp", parameter: "Q-water", kind: .hour), time: t, value: flow[h])],
                receivedAt: t + 60)
        }
        out += engine.tick(now: Self.day + 86_400 + 600)
        return out
    }

    /// The issue's day: 12 h of COD 90 at 100 L/s, then 12 h of 20 at 900 L/s.
    let cod = Array(repeating: 90.0, count: 12) + Array(repeating: 20.0, count: 12)
    let flow = Array(repeating: 100.0, count: 12) + Array(repeating: 900.0, count: 12)

    @Test func theIssuesDayMeetsTheLimitFlowWeightedAndExceedsItOnThePlainMean() {
        // Flow-weighted (90·100 + 20·900) / 1000 = 27: within 50.
        #expect(judge(rule(.flowWeighted(flow: "Q-water")), cod: cod, flow: flow).isEmpty)
        // The plain mean of the hours, 55, is what fired before.
        let plain = judge(rule(.arithmetic), cod: cod, flow: flow)
        #expect(plain.map(\.to) == [.firing] && plain.first?.instance.value == 55)
    }

    @Test func theHeavyFlowCarryingTheHighConcentrationFires() {
        let transitions = judge(rule(.flowWeighted(flow: "Q-water")), cod: cod.reversed(), flow: flow)
        #expect(transitions.map(\.to) == [.firing])
        // (20·100 + 90·900) / 1000 = 83.
        #expect(abs((transitions.first?.instance.value ?? 0) - 83) < 1e-9)
        #expect(transitions.first?.instance.key == AlertKey(rule: "daily", station: "wwtp", parameter: "COD"))
    }

    @Test func aDayWithoutEnoughHoursOfBothIsNotJudged() {
        // Flow missing for 5 hours: 19 hours with both, fewer than 20.
        var flow = self.flow
        for h in 0..<5 { flow[h] = .nan }
        let engine = RuleEngine(rules: [rule(.flowWeighted(flow: "Q-water"))], stations: TestStations.registry(outlet), grace: 600)
        for h in 0..<24 {
            let t = Self.day + Int64(h) * 3_600
            var samples = [Sample(series: SeriesKey(station: "wwtp", parameter: "COD", kind: .hour), time: t, value: 200)]
            if !flow[h].isNaN { samples.append(Sample(series: SeriesKey(station: "wwtp", parameter: "Q-water", kind: .hour), time: t, value: flow[h])) }
            _ = engine.ingest(samples, receivedAt: t + 60)
        }
        #expect(engine.tick(now: Self.day + 86_400 + 600).isEmpty)
    }
}
