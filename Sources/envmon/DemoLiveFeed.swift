import Collectors
import Foundation
import Monitoring
import NIOCore
import ServiceLifecycle

/// The demo's field units once the daemon runs: every station of the city network with an MN
/// sends minute data (HJ 212 CN 2051) in real time to the daemon's HJ 212 port, until the demo
/// is stopped. The paper mill's COD runs at three times its usual level for the first ten
/// minutes of every half hour, so the minute early-warning rule fires and resolves while one
/// watches.
final class DemoLiveFeed: Service, Sendable {
    private let stations: [Station]
    private let port = Locked<(Int?, CheckedContinuation<Int, Never>?)>((nil, nil))

    init(stations: StationRegistry) {
        self.stations = stations.stations.filter { $0.mn != nil && !$0.retired }
    }

    /// The daemon listens on `port`: the units may connect.
    func start(port p: Int) {
        let waiter = port.withLock { state -> CheckedContinuation<Int, Never>? in
            state.0 = p
            defer { state.1 = nil }
            return state.1
        }
        waiter?.resume(returning: p)
    }

    func run() async throws {
        let p = await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in
            let known = port.withLock { state -> Int? in
                if state.0 == nil { state.1 = c }
                return state.0
            }
            if let known { c.resume(returning: known) }
        }
        let now = Int64(Date().timeIntervalSince1970)
        let plan = SimulationPlan(
            host: "127.0.0.1", port: p, sourceAddresses: [], kind: .minute, count: nil, deadline: nil, sendInterval: .seconds(60),
            window: 4, ackTimeout: .seconds(10), maxResends: 1_000, dropout: 0, seed: UInt64(now), flags: .none, ackedLog: nil)
        let starts = try stations.map { try StationSimulator($0, kind: .minute, seed: plan.seed).alignedStart(atOrBefore: now) }
        // Ten minutes in every half hour for the next day, the first one now.
        let first = starts.min() ?? now
        let episodes = stations.map { station in
            station.id == "qinghe-paper-mill-outlet"
                ? (0..<48).map { Episode(station: station.id, parameter: "COD", start: first + Int64($0) * 1_800, duration: 600, factor: 3) } : []
        }
        // Not awaited: the simulated units run until the process ends (their sessions do not
        // stop on cancellation); this service ends with the daemon's shutdown.
        let stations = self.stations
        let units = Task { _ = try? await SimulationSummary.run(stations: stations, starts: starts, episodes: episodes, plan: plan) }
        try? await gracefulShutdown()
        units.cancel()
    }
}
