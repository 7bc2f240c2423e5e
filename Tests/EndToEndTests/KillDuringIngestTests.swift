import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// SIGKILL of the daemon while 50 simulated stations send: every reading the daemon acknowledged
    /// (9014, sent only after its commit) is in the store after a restart, exactly once, with its value.
    @Suite struct KillDuringIngestTests {
        let dir = TemporaryDirectory()

        struct Acked: Hashable {
            let station: String
            let parameter: String
            let utc: Int64
        }

        /// The acknowledged readings from `--acked-log` lines (a line cut by the kill is skipped).
        func acknowledged(_ path: String) throws -> [Acked: Double] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var result: [Acked: Double] = [:]
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let station = object["station"] as? String, let utc = (object["utc"] as? NSNumber)?.int64Value,
                    let values = object["values"] as? [String: Any]
                else { continue }
                for (parameter, value) in values {
                    guard let v = (value as? NSNumber)?.doubleValue else { continue }
                    result[Acked(station: station, parameter: parameter, utc: utc)] = v
                }
            }
            return result
        }

        /// The stored real-time readings of one series, by UTC second.
        func stored(db: String, sensors: String, station: String, parameter: String) async throws -> [Int64: [Double]] {
            let r = try await Envmon.run([
                "query", "--db", db, "--sensors", sensors, "--station", station, "--parameter", parameter, "--kind", "realtime",
                "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--format", "json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
            let rows = object?["rows"] as? [[String: Any]] ?? []
            var result: [Int64: [Double]] = [:]
            let parser = ISO8601DateFormatter()
            for row in rows {
                guard let time = (row["time"] as? String).flatMap({ parser.date(from: $0) }), let value = (row["value"] as? NSNumber)?.doubleValue
                else { continue }
                result[Int64(time.timeIntervalSince1970), default: []].append(value)
            }
            return result
        }

        @Test func acknowledgedReadingsSurviveSigkillExactlyOnce() async throws {
            let sensors = dir.file("sensors")
            let db = dir.file("store.sqlite")
            let written = try await Envmon.run(["simulate", "--write-sensors", sensors, "--stations", "50"])
            #expect(written.status == 0, "\(written.stderr)")

            let daemon = try await Daemon.start(["--db", db, "--sensors", sensors], logPath: dir.file("serve.log"))
            let ackedLog = dir.file("acked.jsonl")
            let simulator = SpawnedProcess()
            simulator.executableURL = URL(fileURLWithPath: Envmon.binary)
            simulator.arguments = [
                "simulate", "--stations", "50", "--port", String(daemon.port), "--count", "2000", "--window", "4",
                "--ack-timeout", "1s", "--max-resends", "1", "--acked-log", ackedLog, "--format", "json",
            ]
            simulator.currentDirectoryURL = URL(fileURLWithPath: Envmon.root)
            simulator.standardOutput = FileHandle.nullDevice
            simulator.standardError = FileHandle.nullDevice
            try simulator.run()

            // Kill once a good number of frames have been acknowledged, while the stations still send.
            var waited = 0
            while waited < 600, ((try? String(contentsOfFile: ackedLog, encoding: .utf8))?.count ?? 0) < 400_000 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            #expect(await daemon.stop(SIGKILL) == SIGKILL)
            try await Task.sleep(for: .milliseconds(300))
            kill(simulator.processIdentifier, SIGKILL)
            simulator.waitUntilExit()

            let acked = try acknowledged(ackedLog)
            #expect(acked.count > 1_000, "only \(acked.count) readings were acknowledged before the kill")
            // Still sending when killed: not every station reached its last frame.
            let perStation = Dictionary(grouping: acked.keys, by: \.station).mapValues { Set($0.map(\.utc)).count }
            #expect(perStation.values.contains { $0 < 2_000 }, "the kill came after the simulation ended")

            // Restart: the store opens after the kill; then stop it cleanly.
            let again = try await Daemon.start(["--db", db, "--sensors", sensors], logPath: dir.file("serve2.log"))
            #expect(await again.stop() == 0, "\(again.log)")

            var missing: [Acked] = []
            var wrong: [Acked] = []
            for series in Set(acked.keys.map { [$0.station, $0.parameter] }) {
                let rows = try await stored(db: db, sensors: sensors, station: series[0], parameter: series[1])
                for (key, value) in acked where key.station == series[0] && key.parameter == series[1] {
                    guard let values = rows[key.utc] else {
                        missing.append(key)
                        continue
                    }
                    if values.count != 1 || abs(values[0] - value) > 1e-9 * max(1, abs(value)) { wrong.append(key) }
                }
            }
            let missingCount = missing.count
            let wrongCount = wrong.count
            #expect(missingCount == 0, "acknowledged readings missing, e.g. \(missing.prefix(3))")
            #expect(wrongCount == 0, "acknowledged readings stored twice or with another value, e.g. \(wrong.prefix(3))")
        }
    }
}
