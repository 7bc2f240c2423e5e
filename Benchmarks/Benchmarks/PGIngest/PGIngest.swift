// Ingest into PostgreSQL through PostgresStore.write, against psql's \copy of the same rows into
// the same table, on a private server started the way the tests start theirs (EnvmonTesting's
// PostgresServer). Run by Benchmarks/pg-ingest.sh; prints one line of figures a run.
import EnvmonTesting
import Foundation
import Logging
import Monitoring
import PostgresStore
import Store

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }

@main
struct PGIngest {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let i = arguments.firstIndex(of: name), i + 1 < arguments.endIndex, let v = Int(arguments[i + 1]) else { return fallback }
            return v
        }
        let stationCount = option("--stations", 200)
        let minutes = option("--minutes", 5_000)
        let batchMinutes = option("--batch-minutes", 10)
        let runs = option("--runs", 1)
        let instances = option("--instances", 0)
        let parameters = ["PM2.5", "PM10", "SO2", "NO2", "CO"]
        let stations = (0..<stationCount).map { TestStations.station(String(format: "st%04d", $0), interval: 60, parameters: parameters) }
        let registry = StationRegistry(stations)
        let keys = stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
        let total = keys.count * minutes
        // 2024-01-01T00:00Z: 5,000 minutes stay inside January (two partitions with the one made ahead).
        let start: Int64 = 1_704_067_200
        @Sendable func value(_ series: Int, _ minute: Int) -> Double { Double((series * 7_919 + minute * 104_729) % 100_000) / 100 }

        // Durable settings, the same for both sides: only the shared buffers are raised from the default.
        let server = try PostgresServer(settings: ["shared_buffers": "512MB", "max_wal_size": "4GB", "checkpoint_timeout": "30min"])
        defer { server.stop() }
        var logger = Logger(label: "pg-ingest")
        logger.logLevel = .error
        print("series=\(keys.count) minutes=\(minutes) samples=\(total) batch=\(batchMinutes * keys.count) samples")
        for run in 1...runs {
            var line = "run \(run):"
            var copyReference = 0.0
            var storeRates: [(String, Double)] = []
            for method in PostgresStoreConfiguration.BulkInsert.allCases {
                let database = "ingest\(run)_\(method.rawValue)"
                var config = try PostgresStoreConfiguration(url: try server.createDatabase(database))
                config.bulkInsert = method
                let storeSeconds: Double = try await PostgresStore.withStore(
                    configuration: config, stations: registry, retention: .forever, logger: logger
                ) { store in
                    // Series rows and the month partitions first, outside the timing (\copy needs them too).
                    _ = try await store.write(keys.enumerated().map { i, key in Sample(series: key, time: start - 60, value: value(i, -1)) })
                    _ = try server.psql("TRUNCATE sample, rollup; CHECKPOINT", database: database)
                    let began = ContinuousClock.now
                    var m = 0
                    while m < minutes {
                        let upTo = min(minutes, m + batchMinutes)
                        var batch: [Sample] = []
                        batch.reserveCapacity((upTo - m) * keys.count)
                        for minute in m..<upTo {
                            let t = start + Int64(minute) * 60
                            for (i, key) in keys.enumerated() { batch.append(Sample(series: key, time: t, value: value(i, minute))) }
                        }
                        let result = try await store.write(batch)
                        precondition(result.summary.inserted == batch.count, "a batch was not inserted whole: \(result.summary)")
                        m = upTo
                    }
                    return seconds(ContinuousClock.now - began)
                }
                let stored = try server.psql("SELECT count(*) FROM sample", database: database).trimmingCharacters(in: .whitespacesAndNewlines)
                let rollups = try server.psql("SELECT count(*) FROM rollup", database: database).trimmingCharacters(in: .whitespacesAndNewlines)
                storeRates.append((method.rawValue, Double(total) / storeSeconds))
                line += " write(\(method.rawValue)) " + String(format: "%.1f s %.0f/s", storeSeconds, Double(total) / storeSeconds) + " [\(stored) rows, \(rollups) rollups] |"
                if method == PostgresStoreConfiguration.BulkInsert.allCases.last {
                    // The same rows, as the store stored them, for \copy: dumped, the table emptied, copied back.
                    let file = server.folder + "/rows.tsv"
                    _ = try server.psql("\\copy (SELECT series, kind, flag, ts, value FROM sample) TO '\(file)'", database: database)
                    _ = try server.psql("TRUNCATE sample; CHECKPOINT", database: database)
                    let began = ContinuousClock.now
                    _ = try server.psql("\\copy sample (series, kind, flag, ts, value) FROM '\(file)'", database: database)
                    let copySeconds = seconds(ContinuousClock.now - began)
                    let copied = try server.psql("SELECT count(*) FROM sample", database: database).trimmingCharacters(in: .whitespacesAndNewlines)
                    unlink(file)
                    copyReference = Double(total) / copySeconds
                    line += " psql \\copy " + String(format: "%.1f s %.0f/s", copySeconds, copyReference) + " [\(copied) rows] |"
                }
                _ = try server.psql("DROP DATABASE \(database)", database: "postgres")
            }
            for (name, rate) in storeRates { line += " ratio(\(name)) " + String(format: "%.2f", rate / copyReference) }
            print(line)
            if instances > 1 {
                print(try await scaling(run: run, instances: instances, server: server, registry: registry, keys: keys, minutes: minutes,
                                        batchMinutes: batchMinutes, start: start, logger: logger, value: value))
            }
        }
    }

    /// Several stores on one database, as several daemons would be (each its own pool and
    /// writer), each with its share of the series, writing at once; against one store.
    nonisolated static func scaling(
        run: Int, instances: Int, server: PostgresServer, registry: StationRegistry, keys: [SeriesKey], minutes: Int, batchMinutes: Int,
        start: Int64, logger: Logger, value: @escaping @Sendable (Int, Int) -> Double
    ) async throws -> String {
        let total = keys.count * minutes
        var scaling = "run \(run) instances:"
        for n in [1, instances] {
            let database = "ingest\(run)_instances\(n)"
            let url = try server.createDatabase(database)
            let shares = (0..<n).map { k in keys.indices.filter { $0 % n == k } }
            // Every store starts writing at the same instant, after its set-up.
            let startAt = ContinuousClock.now + .seconds(5)
            let spans = try await withThrowingTaskGroup(of: (ContinuousClock.Instant, ContinuousClock.Instant).self) { group in
                for share in shares {
                    group.addTask {
                        try await PostgresStore.withStore(
                            configuration: try PostgresStoreConfiguration(url: url), stations: registry, retention: .forever, logger: logger
                        ) { store in
                            _ = try await store.write(share.map { Sample(series: keys[$0], time: start - 60, value: value($0, -1)) })
                            try await Task.sleep(until: startAt)
                            let began = ContinuousClock.now
                            var m = 0
                            let step = max(1, batchMinutes * keys.count / share.count)
                            while m < minutes {
                                let upTo = min(minutes, m + step)
                                var batch: [Sample] = []
                                batch.reserveCapacity((upTo - m) * share.count)
                                for minute in m..<upTo {
                                    let t = start + Int64(minute) * 60
                                    for i in share { batch.append(Sample(series: keys[i], time: t, value: value(i, minute))) }
                                }
                                let result = try await store.write(batch)
                                precondition(result.summary.inserted == batch.count, "a batch was not inserted whole: \(result.summary)")
                                m = upTo
                            }
                            return (began, ContinuousClock.now)
                        }
                    }
                }
                var out: [(ContinuousClock.Instant, ContinuousClock.Instant)] = []
                for try await span in group { out.append(span) }
                return out
            }
            let wall = seconds(spans.map(\.1).max()! - spans.map(\.0).min()!)
            let stored = try server.psql("SELECT count(*) FROM sample WHERE ts >= \(start)", database: database).trimmingCharacters(in: .whitespacesAndNewlines)
            scaling += " \(n) store\(n == 1 ? "" : "s") " + String(format: "%.1f s %.0f/s", wall, Double(total) / wall) + " [\(stored) rows] |"
            _ = try server.psql("DROP DATABASE \(database)", database: "postgres")
        }
        return scaling
    }
}
