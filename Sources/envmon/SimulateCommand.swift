public import ArgumentParser
import Collectors
import EnvmonConfig
import Foundation
import Monitoring
import NIOCore
import NIOPosix

/// `envmon simulate`: plays a network of HJ 212 field units against a collector, one TCP
/// connection per station, all at once, and reports what was acknowledged and how fast.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Play HJ 212 field units against a collector (e.g. envmon serve) and measure acknowledgements.",
        discussion: """
            Each station sends CN 2011 real-time data (or, with --kind, 2051 minute / 2061 hour averages) \
            with Flag=5 and waits for the 9014 reply to each frame's QN. Simulated time is compressed: a \
            frame covers the station's interval. With --count, frames go out as fast as --rate and --window \
            allow; without it, the run lasts --duration (default 60s) and its frames are paced at --rate \
            (default \(Int(SimulateCommand.durationRate)) a second per station), rate × duration + 1 of them. Either way the frames \
            end at the present (the collector refuses DataTimes more than max_future ahead of its clock): \
            the first is that many periods before now.

            Stations come from --sensors folders, or are made up with --stations N (ids sim-0001…, which \
            --write-sensors DIR writes as YAML for `envmon serve --sensors DIR`).

            Exits 1 when a frame was given up or no acknowledgement came at all.
            """)

    @Option(help: "The collector's address.") var host = "127.0.0.1"
    @Option(help: "The collector's HJ 212 port.") var port: Int?
    @Option(name: .long, help: "A folder of station YAML files; repeat for several. Without it, --stations N made-up stations.")
    var sensors: [String] = []
    @Option(help: "How many stations: the first N of --sensors, or N made-up ones.") var stations: Int?
    @Option(help: "Made-up stations: mixed (air, wastewater, stack, river in turn) or ambient-air.")
    var stationKinds: SyntheticStations.Mix = .mixed
    @Option(help: "realtime (CN 2011), minute (2051) or hour (2061).") var kind: SimulateKind = .realtime
    @Option(
        help: """
            The first simulated time, ISO 8601 (no offset: each station's local time); rounded down to the period. \
            Default: the run ends now, --count periods back (rate × duration + 1 without --count). A run \
            without --count stops at the present however long its --duration.
            """)
    var start: String?
    @Option(help: "Frames per station.") var count: Int?
    @Option(help: "Stop sending new frames after this much real time (e.g. 60s; 60s when --count is not given).")
    var duration: String?
    @Option(
        help: """
            Frames per second per station (default without --count: \(Int(SimulateCommand.durationRate)); with --count: as fast as \
            acknowledgements allow within --window).
            """)
    var rate: Double?
    @Option(help: "Frames of a station awaiting acknowledgement at most (default 1; unlimited with --rate).")
    var window: Int?
    @Option(help: "The wait for a 9014 before resending (e.g. 5s, 500ms).") var ackTimeout = "5s"
    @Option(help: "Resends of a frame before giving it up.") var maxResends = 5
    @Option(help: "STATION:PARAM:FROM:DURATION:FACTOR, e.g. qinghe-wwtp-outlet:COD:+6h:2h:3 or *:PM2.5:2025-01-01T08:00:3h:4; repeatable.")
    var episode: [String] = []
    @Option(help: "Probabilities of device flags, e.g. maintenance=0.01,calibration=0.01,fault=0.005,stopped=0 (or none).")
    var flags = "maintenance=0.01,calibration=0.01,fault=0.005,stopped=0"
    @Option(help: "How long a device state lasts in simulated time (e.g. 30m): each such period of a station takes one flag; 0 draws frame by frame.")
    var flagRun = "30m"
    @Option(help: "Probability per frame of closing the connection after it and reconnecting (unacknowledged frames are resent).")
    var dropout = 0.0
    @Option(help: "The seed of values, flags and dropouts.") var seed: UInt64 = 1
    @Option(help: "Leave the frames first sent in this first part of the run out of the latency figures (e.g. 5s; default 0).")
    var warmup = "0"
    @Option(help: "Add the latency percentiles of each such slice of the run (by first send; e.g. 1s, 100ms) to the summary.")
    var timeline: String?
    @Option(help: "Append one JSON line per acknowledged frame to this file.") var ackedLog: String?
    @Option(help: "A local address to connect from; repeat to spread stations (the collector limits connections per address).")
    var sourceAddress: [String] = []
    @Option(help: "text or json.") var format: SimulateFormat = .text
    @Option(help: "Write --stations N made-up station files to this folder and exit.") var writeSensors: String?

    func run() async throws {
        if let folder = writeSensors { return try writeStations(to: folder) }
        guard let port, (1...65_535).contains(port) else { throw ValidationError("--port is required (1…65535)") }
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        if let window, window < 1 { throw ValidationError("--window must be at least 1") }
        if let rate, !(rate > 0) { throw ValidationError("--rate must be positive") }
        guard (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in 0 ..< 1") }
        guard maxResends >= 0 else { throw ValidationError("--max-resends must be 0 or more") }
        guard let timeout = DurationText.milliseconds(ackTimeout), timeout > 0 else {
            throw ValidationError("--ack-timeout '\(ackTimeout)' is not a duration (e.g. 5s, 500ms)")
        }
        var seconds: Int?
        if let duration {
            guard let s = DurationText.seconds(duration), s > 0 else { throw ValidationError("--duration '\(duration)' is not a duration (e.g. 60s)") }
            seconds = s
        } else if count == nil {
            seconds = 60
        }
        guard let run = DurationText.seconds(flagRun), run >= 0 else {
            throw ValidationError("--flag-run '\(flagRun)' is not a duration (e.g. 30m, or 0)")
        }
        let rates = try DeviceFlagRates(argument: flags, runSeconds: Int64(run))
        let episodes = try episode.map(EpisodeArgument.init)
        let chosen = try loadStations()
        for e in episodes {
            if let id = e.station, !chosen.contains(where: { $0.id == id }) {
                throw CLIError("--episode: station '\(id)' is not simulated")
            }
        }

        // A run without --count is paced, and has as many frames as its pace fits into its
        // duration, so that its last frame is the present. Sent as fast as acknowledgements came
        // and counted by the duration alone, a run of 40 s went hours into the future, where the
        // collector refuses every frame (max_future), and gave them up.
        let pace = rate ?? (count == nil ? Self.durationRate : nil)
        var planned = count ?? Int((pace ?? Self.durationRate) * Double(seconds ?? 60)) + 1

        // Where each station's simulated time starts, and its episodes.
        let now = Int64(Date().timeIntervalSince1970)
        var starts: [Int64] = []
        var stationEpisodes: [[Episode]] = []
        for station in chosen {
            let simulator = try StationSimulator(station, kind: kind.seriesKind, seed: seed)
            let first: Int64
            if let start {
                do {
                    first = simulator.alignedStart(atOrBefore: try ISO8601Time.parse(start, in: ZoneCalendar(station.timeZone)))
                } catch {
                    throw CLIError("--start: \(error)")
                }
                if count == nil {
                    // From --start, no further than the present.
                    let left = (simulator.alignedStart(atOrBefore: now) - first) / simulator.model.step + 1
                    guard left > 0 else { throw CLIError("--start \(start) is in the future for \(station.id)") }
                    planned = min(planned, Int(left))
                }
            } else {
                first = simulator.startEnding(at: now, count: planned)
            }
            starts.append(first)
            stationEpisodes.append(try episodes.compactMap { try $0.resolve(for: station, start: first) })
        }

        guard let warm = DurationText.milliseconds(warmup), warm >= 0 else {
            throw ValidationError("--warmup '\(warmup)' is not a duration (e.g. 5s)")
        }
        var step: Int64?
        if let timeline {
            guard let ms = DurationText.milliseconds(timeline), ms > 0 else {
                throw ValidationError("--timeline '\(timeline)' is not a duration (e.g. 1s, 100ms)")
            }
            step = Int64(ms)
        }
        let log = try ackedLog.map { try AckedLog(path: $0) }
        let window = self.window ?? (pace == nil ? 1 : Int.max)
        // Resolved once: a thousand stations resolving the same name at the same moment is the
        // load generator's own start-up burst, not the collector's.
        let address: SocketAddress?
        do {
            address = try SocketAddress.makeAddressResolvingHost(host, port: port)
        } catch {
            throw CLIError("cannot resolve --host \(host): \(error)")
        }
        let began = NIODeadline.now()
        let plan = SimulationPlan(
            host: host, port: port, address: address, sourceAddresses: sourceAddress, kind: kind.seriesKind, count: count ?? planned,
            deadline: seconds.map { began + .seconds(Int64($0)) }, sendInterval: pace.map { .nanoseconds(Int64(1e9 / $0)) },
            window: window, ackTimeout: .milliseconds(Int64(timeout)), maxResends: maxResends, dropout: dropout, seed: seed,
            flags: rates, ackedLog: log, warmupMilliseconds: warm > 0 ? Int64(warm) : nil, began: began)
        var summary = try await SimulationSummary.run(stations: chosen, starts: starts, episodes: stationEpisodes, plan: plan)
        summary.timelineMilliseconds = step
        log?.close()
        print(format == .json ? summary.json : summary.text, terminator: "")
        if summary.failed {
            printError(
                summary.acks == 0
                    ? "envmon simulate: no frame was acknowledged" : "envmon simulate: \(summary.givenUp) frames were given up")
            throw ExitCode(1)
        }
    }

    /// The stations to play: from --sensors (those with an MN, not retired), or made up.
    /// Frames a second per station of a run without --count or --rate: a pace that a collector
    /// keeps up with for hundreds of stations, and that plays a one-minute station 600 times
    /// faster than real time (a 40 s run: 6 h 40 min of data).
    static let durationRate = 10.0

    private func loadStations() throws -> [Station] {
        if sensors.isEmpty {
            guard let stations, stations > 0 else { throw ValidationError("give --sensors DIR or --stations N") }
            return SyntheticStations.stations(stations, mix: stationKinds)
        }
        let registry = try StoreOptions.parse(sensors.flatMap { ["--sensors", $0] }).loadStations()
        let usable = registry.stations.filter { $0.mn != nil && !$0.retired }
        guard !usable.isEmpty else { throw CLIError("no station in \(sensors.joined(separator: ", ")) has an HJ 212 MN") }
        if let stations {
            guard stations > 0 else { throw ValidationError("--stations must be at least 1") }
            return Array(usable.prefix(stations))
        }
        return usable
    }

    private func writeStations(to folder: String) throws {
        guard let stations, stations > 0 else { throw ValidationError("--write-sensors needs --stations N") }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for station in SyntheticStations.stations(stations, mix: stationKinds) {
            let text = StationYAML.text(station, comment: "Made up by `envmon simulate --write-sensors` (station \(station.id)).")
            let path = (folder as NSString).appendingPathComponent("\(station.id).yaml")
            do {
                // Not atomically: Foundation on Linux leaves a /tmp/TemporaryDirectory.* folder behind per atomic write.
                try text.write(toFile: path, atomically: false, encoding: .utf8)
            } catch {
                throw CLIError("cannot write \(path): \(error)")
            }
        }
        print("wrote \(stations) station files to \(folder) (\(SyntheticStations.id(1))…\(SyntheticStations.id(stations)))")
    }
}

/// What `envmon simulate` sends: real-time values or the field unit's minute or hour averages.
enum SimulateKind: String, ExpressibleByArgument, CaseIterable {
    case realtime, minute, hour

    var seriesKind: SeriesKind {
        switch self {
        case .realtime: .realtime
        case .minute: .minute
        case .hour: .hour
        }
    }
}

/// How `envmon simulate` prints its summary.
enum SimulateFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

extension SyntheticStations.Mix: ExpressibleByArgument {}
