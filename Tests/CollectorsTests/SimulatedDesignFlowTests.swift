import Collectors
import EnvmonConfig
import Foundation
import Monitoring
import Testing

/// The demo's simulated flows are the design flows the stations' own files declare (their
/// `design_flow` label), not a catalogue-typical 500 L/s that made the paper mill 5× too large.
@Suite struct SimulatedDesignFlowTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The mean of two weeks of simulated hourly values of a parameter, in its stored unit.
    static func twoWeekMean(_ station: Station, _ parameter: String, seed: UInt64) throws -> Double {
        let simulator = try StationSimulator(station, kind: .hour, seed: seed)
        let start: Int64 = 1_767_196_800  // 2026-01-01T00:00:00+08:00
        let hours = 14 * 24
        let values = (0..<hours).compactMap { h in simulator.readings(at: start + Int64(h) * 3_600).first { $0.parameter == parameter }?.value }
        return values.reduce(0, +) / Double(values.count)
    }

    @Test func everyShippedStationsFlowRunsAtItsDeclaredDesignFlow() throws {
        let stations = try SensorLoader().load(directory: Self.root + "/sensors")
        let withFlow = stations.stations.filter { $0.parameter("Q-water") != nil || $0.parameter("Q-gas") != nil }
        #expect(withFlow.count == 5)
        for station in withFlow {
            let flow = try #require(station.parameters.first { ["Q-water", "Q-gas"].contains($0.parameter.id) })
            let declared = try #require(station.designFlow(in: flow.unit), "\(station.id) declares no design_flow")
            for seed: UInt64 in [2026, 7] {
                let mean = try Self.twoWeekMean(station, flow.parameter.id, seed: seed)
                #expect(abs(mean / declared - 1) < 0.03, "\(station.id): simulated \(mean) \(flow.unit.symbol) vs declared \(declared)")
            }
        }
        // The example: the paper mill's ~8,000 m³/d is ~93 L/s, not ~450.
        let mill = try #require(stations["qinghe-paper-mill-outlet"])
        #expect(abs((mill.designFlow(in: .litrePerSecond) ?? 0) - 8_000 / 86.4) < 1e-9)
        #expect(try Self.twoWeekMean(mill, "Q-water", seed: 2026) < 100)
    }

    @Test func aDesignFlowIsReadInAnyFlowUnit() {
        var s = Station(id: "s", name: "s", kind: .stack, timeZone: .gmt, expectedInterval: 3_600, parameters: [])
        s.labels["design_flow"] = "650,000 m³/h"
        #expect(abs((s.designFlow(in: .cubicMetrePerSecond) ?? 0) - 650_000 / 3_600.0) < 1e-9)
        s.labels["design_flow"] = "lots"
        #expect(s.designFlow(in: .cubicMetrePerSecond) == nil)
    }
}
