import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// Exceedance episodes and device flags of the simulated field units.
@Suite struct SimulationEpisodeAndFlagTests {
    static let start: Int64 = 1_735_660_800  // 2025-01-01T00:00:00+08:00

    func outlet(_ id: String = "outlet") -> Station {
        var s = TestStations.station(id, kind: .dischargeOutlet, interval: 600, parameters: ["COD", "NH3-N", "pH"])
        s.mn = "MN\(id)"
        s.parameters[0].limits = [Limit(basis: .hour, max: 50)]
        s.parameters[1].limits = [Limit(basis: .hour, max: 5)]
        return s
    }

    @Test func anEpisodeMultipliesOneParameterInItsWindowAndCrossesTheLimit() throws {
        let episode = Episode(station: "outlet", parameter: "COD", start: Self.start + 6 * 3_600, duration: 2 * 3_600, factor: 4)
        let other = Episode(station: "elsewhere", parameter: "COD", start: Self.start, duration: 86_400, factor: 10)
        var plain = try StationSimulator(outlet(), seed: 4, start: Self.start)
        var spiked = try StationSimulator(outlet(), seed: 4, start: Self.start, episodes: [episode, other])
        #expect(spiked.episodes == [episode])
        var inside = 0
        for _ in 0..<(24 * 6) {
            let a = try plain.nextFrame(sentAt: 0)
            let b = try spiked.nextFrame(sentAt: 0)
            let t = a.instant
            let during = t >= episode.start && t < episode.start + episode.duration
            // NH3-N and pH never change; COD is four times its usual value during the episode.
            #expect(a.readings[1...] == b.readings[1...])
            let usual = try #require(plain.value(of: "COD", at: t))
            let seen = try #require(spiked.value(of: "COD", at: t))
            #expect(abs(seen - usual * (during ? 4 : 1)) < 1e-9 * seen)
            if during {
                inside += 1
                #expect(b.readings[0].value > 50, "the episode crosses the 50 mg/L limit at \(b.dataTime)")
            } else {
                #expect(a.readings[0] == b.readings[0])
                #expect(a.readings[0].value < 50)
            }
        }
        #expect(inside == 12)
    }

    @Test func anEpisodeForEveryStationAndAFallBelowTheLowerLimit() throws {
        var river = TestStations.station("river", kind: .surfaceWater, interval: 3_600, parameters: ["DO"])
        river.mn = "MNriver"
        river.parameters[0].limits = [Limit(basis: .day, min: 5)]
        let hypoxia = Episode(station: nil, parameter: "DO", start: Self.start, duration: 86_400, factor: 0.3)
        var sim = try StationSimulator(river, seed: 8, start: Self.start, episodes: [hypoxia])
        #expect(sim.model.parameters[0].level >= 6.5 && sim.model.parameters[0].level <= 8)
        for _ in 0..<24 { #expect(try sim.nextFrame(sentAt: 0).readings[0].value < 5) }
        #expect(try sim.nextFrame(sentAt: 0).readings[0].value > 5)
    }

    @Test func episodesAreClampedIntoTheInstrumentRange() throws {
        let huge = Episode(station: nil, parameter: "pH", start: Self.start, duration: 3_600, factor: 100)
        var sim = try StationSimulator(outlet(), seed: 1, start: Self.start, episodes: [huge])
        let frame = try sim.nextFrame(sentAt: 0)
        #expect(frame.readings[2].value <= 14 && frame.readings[2].value > 13.9)
        #expect(HJ212Ingest(station: outlet()).samples(from: HJ212Decoder.decode(frame.bytes), now: frame.instant).rejections.isEmpty)
    }

    @Test func deviceFlagsAppearAtTheConfiguredRates() throws {
        let rates = DeviceFlagRates(maintenance: 0.05, calibration: 0.02, fault: 0.01, stopped: 0.03)
        var sim = try StationSimulator(outlet(), seed: 12, start: Self.start, flags: rates)
        let n = 20_000
        var counts: [DataFlag: Int] = [:]
        for _ in 0..<n {
            let frame = try sim.nextFrame(sentAt: 0)
            let flag = frame.readings[0].flag
            #expect(frame.readings.allSatisfy { $0.flag == flag }, "one device state per frame")
            counts[flag, default: 0] += 1
            let text = String(decoding: frame.bytes, as: UTF8.self)
            #expect(text.contains("w01018-Flag=\(flag.rawValue)") && text.contains("w01001-Flag=\(flag.rawValue)"))
        }
        for (flag, rate) in rates.rates + [(.normal, 0.89)] {
            let expected = rate * Double(n)
            let sigma = (Double(n) * rate * (1 - rate)).squareRoot()
            #expect(abs(Double(counts[flag, default: 0]) - expected) < 4 * sigma + 1, "\(flag): \(counts[flag, default: 0]) of \(n)")
        }
        var normal = try StationSimulator(outlet(), seed: 12, start: Self.start, flags: .none)
        for _ in 0..<100 { #expect(try normal.nextFrame(sentAt: 0).readings.allSatisfy { $0.flag == .normal }) }
    }

    @Test func deviceStatesLastTheirPeriodAndKeepTheirRates() throws {
        // Minute data, half-hour device states: 30 frames in a row share one flag, and over many
        // periods each flag takes its share of the frames.
        var st = TestStations.station("minutes", kind: .dischargeOutlet, interval: 60, parameters: ["COD"])
        st.mn = "MNminutes"
        let rates = DeviceFlagRates(maintenance: 0.05, calibration: 0.05, fault: 0.02, runSeconds: 1_800)
        var sim = try StationSimulator(st, kind: .minute, seed: 3, start: Self.start, flags: rates)
        var counts: [DataFlag: Int] = [:]
        var runs: [(flag: DataFlag, frames: Int)] = []
        let periods = 1_000
        for _ in 0..<(periods * 30) {
            let frame = try sim.nextFrame(sentAt: 0)
            let flag = frame.readings[0].flag
            #expect(flag == sim.flag(at: frame.instant))
            counts[flag, default: 0] += 1
            if runs.last?.flag == flag { runs[runs.count - 1].frames += 1 } else { runs.append((flag, 1)) }
        }
        // Runs are whole periods (Self.start is on a half hour): never shorter than 30 frames.
        #expect(runs.allSatisfy { $0.frames % 30 == 0 })
        #expect(runs.count < periods / 2, "\(runs.count) runs")  // frame by frame: thousands
        for (flag, rate) in rates.rates where rate > 0 {
            let sigma = (Double(periods) * rate * (1 - rate)).squareRoot() * 30
            #expect(abs(Double(counts[flag, default: 0]) - rate * Double(periods * 30)) < 4 * sigma, "\(flag)")
        }
    }

    @Test func flagRatesPickTheirFlagByThreshold() {
        let rates = DeviceFlagRates(maintenance: 0.1, calibration: 0.1, fault: 0.1, stopped: 0.1)
        #expect(rates.isValid)
        #expect(rates.flag(for: 0.05) == .maintenance)
        #expect(rates.flag(for: 0.15) == .calibration)
        #expect(rates.flag(for: 0.25) == .fault)
        #expect(rates.flag(for: 0.35) == .stopped)
        #expect(rates.flag(for: 0.45) == .normal)
        #expect(!DeviceFlagRates(maintenance: 0.7, fault: 0.4).isValid)
    }
}
