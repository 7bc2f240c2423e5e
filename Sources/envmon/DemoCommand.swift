import ArgumentParser
import Collectors
import EnvmonConfig
import Foundation
import Monitoring
import Store

/// `envmon demo`: a fresh embedded store with seeds/ imported, then the daemon's HJ 212 server
/// fed over real TCP by the city network's simulated field units, then a summary and trends.
///
/// Later issues add the rule engine and the notifier to the same run.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load seeds/ into a fresh store, feed it live from simulated HJ 212 field units, show a summary and trends.")

    @Option(help: "The demo's store file (replaced on each run).") var db = "var/demo.sqlite"
    @Option(help: "The seeds folder.") var seeds = "seeds"
    @Option(help: "The city network's station folder.") var sensors = "sensors"
    @Option(help: "Hours of hourly data each simulated field unit sends (ending now).") var hours = 48

    func run() async throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let options = try StoreOptions.parse(["--db", db, "--sensors", sensors, "--sensors", "\(seeds)/sensors"])
        let stations = try options.loadStations()
        let store = try options.openStore(stations, staging: .live)
        // 25 ms, as `serve` uses: the live part waits for each commit before the 9014 reply.
        let writer = BatchingWriter(store: store, maxDelay: .milliseconds(25), clock: ContinuousClock())
        print("envmon demo — \(stations.stations.count) stations from \(sensors)/ and \(seeds)/sensors/, store \(db)\n")

        for (file, mapping) in [("city-network.csv", "city-network.mapping.yaml"), ("beijing-slice.csv", "beijing-prsa.mapping.yaml")] {
            let map: ImportMapping
            do { map = try ImportMapping(path: "\(seeds)/\(mapping)") } catch { throw CLIError("\(error)") }
            let report = try await CSVImporter(mapping: map, stations: stations).run(
                path: "\(seeds)/\(file)", submit: { try await writer.submit($0) })
            print(ImportCommand.describe(report))
        }

        if hours > 0 {
            print("\nLive: the city network's field units send their last \(hours) hours over HJ 212/TCP to the daemon's server")
            let now = Int64(Date().timeIntervalSince1970)
            let live = try await DemoFeed.run(stations: stations, writer: writer, hours: hours, now: now)
            let s = live.summary
            let latency = s.latency
            print(
                "  \(s.stations) field units: \(s.framesSent) frames sent, \(s.acks) acknowledged after commit, \(s.resends) resent, \(s.reconnects) reconnects; ack latency p50 \(latency.p50.map { "\($0 / 1_000_000) ms" } ?? "-"), p99 \(latency.p99.map { "\($0 / 1_000_000) ms" } ?? "-")"
            )
            for (id, f) in live.statistics.stations.sorted(by: { $0.key < $1.key }) {
                print("  \(id): \(f.frames) frames, \(f.samplesStored) readings stored, \(f.duplicates) re-sent, \(f.valuesRejected) values refused")
            }
        }
        await writer.close()

        print("\nStations")
        for station in stations.stations {
            let keys = try await store.allSeries().filter { $0.station == station.id }
            guard !keys.isEmpty else { continue }
            let latest = try await store.latest(of: keys)
            let calendar = ZoneCalendar(station.timeZone)
            let newest = latest.values.map(\.time).max().map(calendar.iso8601) ?? "-"
            var counts = 0
            for key in keys { counts += try await store.sampleCount(of: key) }
            let values = keys.compactMap { key -> String? in
                guard let s = latest[key], let p = station.parameter(key.parameter) else { return nil }
                return "\(key.parameter)=\(QueryOutput.display(s.value))\(s.flag == .normal ? "" : "[\(s.flag.rawValue)]") \(p.unit.symbol)"
            }
            print("  \(station.id) · \(station.kind.rawValue) · \(counts) readings · last \(newest)")
            print("      \(values.joined(separator: "  "))")
        }

        print("\nHours above the station's limit (a preview of the rule engine)")
        for station in stations.stations {
            for p in station.parameters {
                guard let limit = p.limits.first(where: { $0.basis != .day }) else { continue }
                let key = SeriesKey(station: station.id, parameter: p.parameter.id, kind: .hour)
                guard let span = try await store.span(of: key) else { continue }
                let hours = try await store.aggregate(AggregateQuery(series: key, range: span.lowerBound..<(span.upperBound + 1), step: 3_600, function: .avg))
                let above = hours.filter { r in
                    guard let v = r.value else { return false }
                    return (limit.max.map { v > $0 } ?? false) || (limit.min.map { v < $0 } ?? false)
                }
                if !above.isEmpty {
                    let calendar = ZoneCalendar(station.timeZone)
                    print("  \(station.id) \(p.parameter.id): \(above.count) of \(hours.count) hours beyond \(limit.max.map { "≤ \(QueryOutput.number($0))" } ?? "≥ \(QueryOutput.number(limit.min!))") \(p.unit.symbol), first \(calendar.iso8601(above[0].start))")
                }
            }
        }

        if let bj = stations["bj-aotizhongxin"] {
            let key = SeriesKey(station: bj.id, parameter: "PM2.5", kind: .hour)
            let calendar = ZoneCalendar(bj.timeZone)
            if let span = try await store.span(of: key) {
                let days = try await store.aggregate(AggregateQuery(series: key, range: span.lowerBound..<(span.upperBound + 1), step: 86_400, function: .avg))
                print("\nTrend: \(bj.name) PM2.5 daily mean (µg/m³), local days, \(days.count) days")
                print("  " + Sparkline.render(days.map(\.value), width: 72))
                if let worst = days.max(by: { ($0.value ?? 0) < ($1.value ?? 0) }), let v = worst.value {
                    print("  worst day \(calendar.iso8601(worst.start).prefix(10)): \(QueryOutput.display(v)) µg/m³ from \(worst.validCount) valid hours")
                }
                print("  try: envmon query --db \(db) --sensors \(sensors) --sensors \(seeds)/sensors --station \(bj.id) --parameter PM2.5 --step 1d")
            }
        }
        try store.close()
    }
}
