import Collectors
import Monitoring
import NIOCore
import NIOPosix
import Reports

/// The figures of a whole `envmon simulate` run, printed as text or as one JSON object.
struct SimulationSummary {
    var host: String
    var port: Int
    var kind: SeriesKind
    var window: Int?
    /// Milliseconds at the start whose frames are left out of ``steadyLatency``, or nil.
    var warmupMilliseconds: Int64? = nil
    var reports: [StationReport]
    /// Seconds from the first connection attempt to the last station's end.
    var elapsed: Double
    /// The slices of the run whose latencies are reported as well (`--timeline`), in milliseconds; nil for none.
    var timelineMilliseconds: Int64? = nil

    var stations: Int { reports.count }
    var framesSent: Int { reports.reduce(0) { $0 + $1.framesSent } }
    var acks: Int { reports.reduce(0) { $0 + $1.acks } }
    var resends: Int { reports.reduce(0) { $0 + $1.resends } }
    var givenUp: Int { reports.reduce(0) { $0 + $1.givenUp } }
    var duplicateAcks: Int { reports.reduce(0) { $0 + $1.duplicateAcks } }
    var connections: Int { reports.reduce(0) { $0 + $1.connections } }
    var reconnects: Int { reports.reduce(0) { $0 + $1.reconnects } }
    var connectFailures: Int { reports.reduce(0) { $0 + $1.connectFailures } }
    /// Every acknowledged frame's latency.
    var latency: LatencySummary { LatencySummary(reports.flatMap(\.latencies)) }
    /// Latency after the warm-up (every frame's without one).
    var steadyLatency: LatencySummary {
        guard let warmupMilliseconds else { return latency }
        return LatencySummary(
            reports.flatMap { r in zip(r.latencies, r.sentAt).lazy.filter { Int64($0.1) >= warmupMilliseconds }.map(\.0) })
    }
    /// The warm-up in seconds, or nil.
    var warmup: Double? { warmupMilliseconds.map { Double($0) / 1_000 } }
    /// Each slice of `stepMilliseconds` of the run (by first send) that had acknowledgements: its
    /// start, in seconds since the run began, and its latencies.
    func timeline(stepMilliseconds: Int64) -> [(from: Double, latency: LatencySummary)] {
        var buckets: [Int64: [Int64]] = [:]
        for report in reports {
            for (latency, sent) in zip(report.latencies, report.sentAt) {
                buckets[Int64(sent) / stepMilliseconds, default: []].append(latency)
            }
        }
        return buckets.sorted { $0.key < $1.key }.map { (Double($0.key * stepMilliseconds) / 1_000, LatencySummary($0.value)) }
    }
    var ackedPerSecond: Double { elapsed > 0 ? Double(acks) / elapsed : 0 }
    var flags: [DataFlag: Int] { reports.reduce(into: [:]) { all, r in all.merge(r.flags, uniquingKeysWith: +) } }
    var errors: [String] { reports.compactMap { r in r.error.map { "\(r.station): \($0)" } } }

    /// Whether the run failed: a frame was given up, no acknowledgement came at all, or a
    /// station ended early on an error (its daemon gone between two frames: nothing was in
    /// flight to give up, but the rest of its frames were never sent).
    var failed: Bool { givenUp > 0 || acks == 0 || reports.contains { $0.error != nil } }

    static let cn: [SeriesKind: String] = [.realtime: "2011", .minute: "2051", .hour: "2061", .day: "2031"]

    var text: String {
        let l = latency
        func ms(_ ns: Int64?) -> String { ns.map { SimulatedParameter.fixed(Double($0) / 1e6, decimals: 1) + " ms" } ?? "—" }
        var lines = [
            "envmon simulate: \(stations) stations → \(host):\(port), \(kind.rawValue) data (CN \(Self.cn[kind] ?? "?")), window \(window.map(String.init) ?? "unlimited")",
            "  frames sent       \(framesSent)",
            "  acks received     \(acks)\(duplicateAcks > 0 ? " (+\(duplicateAcks) duplicate)" : "")",
            "  resends           \(resends)",
            "  frames given up   \(givenUp)",
            "  connections       \(connections) (\(reconnects) reconnects\(connectFailures > 0 ? ", \(connectFailures) failed attempts" : ""))",
            "  ack latency       p50 \(ms(l.p50)), p90 \(ms(l.p90)), p99 \(ms(l.p99)), max \(ms(l.max))"
                + (warmup.map { w in
                    let s = steadyLatency
                    return "\n  after \(SimulatedParameter.fixed(w, decimals: 1)) s warm-up p50 \(ms(s.p50)), p90 \(ms(s.p90)), p99 \(ms(s.p99)), max \(ms(s.max))"
                } ?? ""),
            "  elapsed           \(SimulatedParameter.fixed(elapsed, decimals: 2)) s",
            "  acked frames/s    \(SimulatedParameter.fixed(ackedPerSecond, decimals: 1))",
            "  device flags      " + (flags.isEmpty ? "—" : DataFlag.allCases.compactMap { f in flags[f].map { "\(f.rawValue) \($0)" } }.joined(separator: ", ")),
        ]
        if let timelineMilliseconds {
            for (from, l) in timeline(stepMilliseconds: timelineMilliseconds) {
                lines.append("  from \(SimulatedParameter.fixed(from, decimals: 1)) s  \(l.count) acks, p50 \(ms(l.p50)), p99 \(ms(l.p99)), max \(ms(l.max))")
            }
        }
        for error in errors { lines.append("  error: \(error)") }
        for r in reports where !r.givenUpQNs.isEmpty {
            lines.append("  \(r.station): gave up QN \(r.givenUpQNs.joined(separator: ", "))\(r.givenUp > r.givenUpQNs.count ? ", …" : "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        let l = latency
        func ms(_ ns: Int64?) -> JSONText { ns.map { .number(SimulatedParameter.fixed(Double($0) / 1e6, decimals: 3)) } ?? .null }
        func int(_ n: Int) -> JSONText { .number(String(n)) }
        return JSONText.object([
            ("stations", int(stations)), ("host", .string(host)), ("port", int(port)), ("kind", .string(kind.rawValue)),
            ("cn", .string(Self.cn[kind] ?? "")), ("window", window.map(int) ?? .null),
            ("frames_sent", int(framesSent)), ("acks", int(acks)), ("duplicate_acks", int(duplicateAcks)), ("resends", int(resends)),
            ("given_up", int(givenUp)), ("connections", int(connections)), ("reconnects", int(reconnects)),
            ("connect_failures", int(connectFailures)),
            ("latency_ms", .object([("p50", ms(l.p50)), ("p90", ms(l.p90)), ("p99", ms(l.p99)), ("max", ms(l.max))])),
            ("warmup_s", warmup.map { .number(SimulatedParameter.fixed($0, decimals: 1)) } ?? .null),
            ("steady_latency_ms", {
                let s = steadyLatency
                return .object([("p50", ms(s.p50)), ("p90", ms(s.p90)), ("p99", ms(s.p99)), ("max", ms(s.max))])
            }()),
            ("elapsed_s", .number(SimulatedParameter.fixed(elapsed, decimals: 3))),
            ("acked_per_second", .number(SimulatedParameter.fixed(ackedPerSecond, decimals: 1))),
            ("flags", .object(DataFlag.allCases.compactMap { f in flags[f].map { (f.rawValue, int($0)) } })),
            ("errors", .array(errors.map(JSONText.string))),
        ] + (timelineMilliseconds.map { step in [("timeline", .array(timeline(stepMilliseconds: step).map { from, l in
            .object([("from_s", .number(SimulatedParameter.fixed(from, decimals: 3))), ("acks", int(l.count)),
                     ("p50_ms", ms(l.p50)), ("p99_ms", ms(l.p99)), ("max_ms", ms(l.max))])
        }))] } ?? [])).rendered + "\n"
    }
}

extension SimulationSummary {
    /// Plays every station's session at once (one connection each, spread over the event
    /// loops), waits for all of them and sums up.
    /// - Parameters:
    ///   - stations: the field units to play.
    ///   - starts: each station's first simulated time.
    ///   - episodes: each station's exceedance episodes.
    static func run(stations: [Station], starts: [Int64], episodes: [[Episode]], plan: SimulationPlan) async throws -> SimulationSummary {
        let began = NIODeadline.now()
        // One send scheduler per event loop, shared by the stations on it.
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        var schedulers: [NIOLoopBound<SendScheduler>] = []
        for loop in loops {
            schedulers.append(try await loop.submit { NIOLoopBound(SendScheduler(loop: loop), eventLoop: loop) }.get())
        }
        let futures = stations.enumerated().map { i, station in
            SimulationSession.run(
                station: station, index: i, start: starts[i], episodes: episodes[i], plan: plan,
                on: loops[i % loops.count], scheduler: schedulers[i % loops.count])
        }
        var reports: [StationReport] = []
        for future in futures { reports.append(try await future.get()) }
        let elapsed = Double((NIODeadline.now() - began).nanoseconds) / 1e9
        return SimulationSummary(
            host: plan.host, port: plan.port, kind: plan.kind, window: plan.window == Int.max ? nil : plan.window,
            warmupMilliseconds: plan.warmupMilliseconds, reports: reports, elapsed: elapsed)
    }
}
