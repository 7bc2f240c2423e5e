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
        let parameters = ["PM2.5", "PM10", "SO2", "NO2", "CO"]
        let stations = (0..<stationCount).map { TestStations.station(String(format: "st%04d", $0), interval: 60, parameters: parameters) }
        let registry = StationRegistry(stations)
        let keys = stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
        let total = keys.count * minutes
        // 2024-01-01T00:00Z: 5,000 minutes stay inside January (two partitions with the one made ahead).
        let start: Int64 = 1_704_067_200
        func value(_ series: Int, _ minute: Int) -> Double { Double((series * 7_919 + minute * 104_729) % 100_000) / 100 }

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
        }
    }
}
