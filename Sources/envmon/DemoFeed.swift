import Collectors
import Foundation
import Logging
import Monitoring
import NIOCore
import ServiceLifecycle
import Store

/// The live part of `envmon demo`: the daemon's HJ 212 server on loopback, and the city
/// network's field units (the stations of sensors/ with an MN), simulated, sending their last
/// `hours` of hourly data to it over real TCP, with an exceedance episode and device flags.
enum DemoFeed {
    struct Outcome {
        let summary: SimulationSummary
        let statistics: HJ212Statistics
    }

    static func run(
        stations: StationRegistry, writer: BatchingWriter<ContinuousClock>, hours: Int, now: Int64
    ) async throws -> Outcome {
        var configuration = HJ212ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        var logger = Logger(label: "envmon-demo")
        logger.logLevel = .error
        let statistics = HJ212Statistics()
        let server = HJ212Server(
            context: HJ212ServerContext(
                configuration: configuration, stations: StationBook(stations), submit: { try await writer.submitOutcomes($0) },
                statistics: statistics, logger: logger, now: { Int64(Date().timeIntervalSince1970) }))
        let group = ServiceGroup(services: [server], logger: logger)

        return try await withThrowingTaskGroup(of: Outcome?.self) { tasks in
            tasks.addTask {
                try await group.run()
                return nil
            }
            tasks.addTask {
                defer { Task { await group.triggerGracefulShutdown() } }
                let port = try await server.boundPort()
                let field = stations.stations.filter { $0.mn != nil && !$0.retired }
                let plan = SimulationPlan(
                    host: "127.0.0.1", port: port, sourceAddresses: [], kind: .hour, count: hours, deadline: nil,
                    sendInterval: nil, window: 4, ackTimeout: .seconds(5), maxResends: 3, dropout: 0.01, seed: 2026,
                    flags: DeviceFlagRates(maintenance: 0.02, calibration: 0.02, fault: 0.01, runSeconds: 1_800), ackedLog: nil)
                let starts = try field.map { try StationSimulator($0, kind: .hour, seed: plan.seed).startEnding(at: now, count: hours) }
                // The paper mill's COD triples for six hours, half a day before the end, and for the last three.
                let episodes = field.map { station in
                    station.id == "qinghe-paper-mill-outlet"
                        ? [
                            Episode(station: station.id, parameter: "COD", start: now - 18 * 3_600, duration: 6 * 3_600, factor: 3),
                            // And again for the last three hours: still firing when the daemon starts.
                            Episode(station: station.id, parameter: "COD", start: now - 3 * 3_600, duration: 4 * 3_600, factor: 3),
                        ] : []
                }
                let summary = try await SimulationSummary.run(stations: field, starts: starts, episodes: episodes, plan: plan)
                return Outcome(summary: summary, statistics: statistics)
            }
            var outcome: Outcome?
            for try await result in tasks where result != nil { outcome = result }
            guard let outcome else { throw CLIError("the demo's field units did not run") }
            return outcome
        }
    }
}
