import Monitoring
import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon simulate` against a real `envmon serve`: every acknowledged reading is stored, once,
    /// with the value and flag that were sent, also when connections drop and frames are resent.
    @Suite struct SimulateEndToEndTests {
        let dir = TemporaryDirectory("envmon-simulate")

        /// A daemon started on a free port; stopped with SIGTERM by ``stop()``.
        final class Daemon: Sendable {
            let process: SpawnedProcess
            let port: Int

            init(db: String, sensors: String, log: String) async throws {
                let process = SpawnedProcess()
                process.executableURL = URL(fileURLWithPath: Envmon.binary)
                process.arguments = ["serve", "--db", db, "--sensors", sensors, "--hj212-host", "127.0.0.1", "--hj212-port", "0", "--http-port", "0"]
                process.currentDirectoryURL = URL(fileURLWithPath: Envmon.root)
                let out = Pipe()
                process.standardOutput = out
                _ = FileManager.default.createFile(atPath: log, contents: nil)
                process.standardError = FileHandle(forWritingAtPath: log)
                let seen = Locked("")
                out.fileHandleForReading.readabilityHandler = { handle in
                    let data = handle.availableData
                    if data.isEmpty { handle.readabilityHandler = nil }
                    seen.withLock { $0 += String(decoding: data, as: UTF8.self) }
                }
                try process.run()
                var port: Int?
                for _ in 0..<200 where port == nil && process.isRunning {
                    try await Task.sleep(for: .milliseconds(25))
                    let text = seen.withLock { $0 }
                    if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("envmon serve: hj212 listening on 127.0.0.1:") }) {
                        port = line.split(separator: ":").last.flatMap { Int($0) }
                    }
                }
                self.process = process
                guard let port else {
                    process.terminate()
                    throw CLIFailure(description: "the daemon did not report its port: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
                }
                self.port = port
            }

            /// Sends SIGTERM and waits (at most 15 s) for the exit; returns the status, or nil on timeout.
            func stop() async throws -> Int32? {
                kill(process.processIdentifier, SIGTERM)
                for _ in 0..<600 where process.isRunning { try await Task.sleep(for: .milliseconds(25)) }
                guard !process.isRunning else {
                    process.terminate()
                    return nil
                }
                return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
            }
        }

        struct CLIFailure: Error, CustomStringConvertible { let description: String }

        /// One acknowledged reading from an acked log.
        struct Reading: Hashable {
            let station: String
            let parameter: String
            let utc: Int64
            let value: Double
            let flag: String
        }

        func readings(_ log: String) throws -> [Reading] {
            try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").flatMap { line -> [Reading] in
                let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                let values = o["values"] as! [String: Any]
                let flags = o["flags"] as! [String: String]
                return values.map { p, v in
                    Reading(
                        station: o["station"] as! String, parameter: p, utc: (o["utc"] as! NSNumber).int64Value, value: (v as! NSNumber).doubleValue,
                        flag: flags[p]!)
                }
            }
        }

        func summary(_ r: Envmon.Result) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        }

        @Test(.timeLimit(.minutes(1))) func everyAcknowledgedReadingIsStoredOnce() async throws {
            let db = dir.file("store.sqlite")
            let daemon = try await Daemon(db: db, sensors: "sensors", log: dir.file("serve.log"))
            let plain = dir.file("acked-plain.jsonl")
            let dropped = dir.file("acked-dropout.jsonl")

            let first = try await Envmon.run([
                "simulate", "--sensors", "sensors", "--port", String(daemon.port), "--count", "30", "--acked-log", plain, "--format", "json",
                "--timeline", "100ms",
            ])
            // A second run, ten days earlier, with connections dropped after a fifth of the frames and
            // four frames in flight: frames sent on a dropped connection are resent, and some of them
            // were committed already, so the store sees them twice.
            let tenDaysAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-10 * 86_400))
            let second = try await Envmon.run([
                "simulate", "--sensors", "sensors", "--port", String(daemon.port), "--count", "30", "--start", tenDaysAgo, "--dropout", "0.2",
                "--window", "4", "--seed", "2", "--acked-log", dropped, "--format", "json",
            ])
            let status = try await daemon.stop()
            #expect(status == 0, "the daemon exits 0 on SIGTERM: \((try? String(contentsOfFile: dir.file("serve.log"), encoding: .utf8)) ?? "")")

            #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
            #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
            let a = try summary(first)
            #expect(a["stations"] as? Int == 8)
            #expect(a["frames_sent"] as? Int == 240 && a["acks"] as? Int == 240)
            #expect(a["given_up"] as? Int == 0 && a["resends"] as? Int == 0 && a["reconnects"] as? Int == 0)
            #expect((a["latency_ms"] as? [String: Any])?["p50"] is NSNumber)
            // The timeline splits the same acknowledgements into 100 ms slices, in order.
            let slices = a["timeline"] as? [[String: Any]] ?? []
            #expect(slices.reduce(0) { $0 + ($1["acks"] as? Int ?? 0) } == 240)
            let starts = slices.compactMap { ($0["from_s"] as? NSNumber)?.doubleValue }
            #expect(!starts.isEmpty && starts == starts.sorted() && Set(starts).count == starts.count)
            #expect(slices.allSatisfy { ($0["p99_ms"] as? NSNumber).map { $0.doubleValue >= 0 } ?? false })
            #expect(try summary(second)["timeline"] == nil, "no timeline unless asked for")
            let b = try summary(second)
            #expect(b["frames_sent"] as? Int == 240 && b["acks"] as? Int == 240 && b["given_up"] as? Int == 0)
            #expect((b["reconnects"] as? Int ?? 0) > 10 && (b["resends"] as? Int ?? 0) > 0)
            // One connection at a time per station, and each frame sent once per connection.
            #expect(b["connections"] as? Int == (b["reconnects"] as? Int ?? 0) + 8)
            #expect(b["duplicate_acks"] as? Int == 0 && b["connect_failures"] as? Int == 0)

            let acked = try readings(plain) + readings(dropped)
            #expect(Set(acked.map { "\($0.station) \($0.parameter) \($0.utc)" }).count == acked.count, "each reading acknowledged once")
            #expect(Set(acked.map { "\($0.station) \($0.utc)" }).count == 480)

            // What the store holds, series by series: exactly the acknowledged readings.
            let iso = ISO8601DateFormatter()
            let series = Dictionary(grouping: acked) { "\($0.station)|\($0.parameter)" }
            #expect(series.count == 51)  // the parameters of the 8 stations
            for (key, expected) in series {
                let parts = key.split(separator: "|").map(String.init)
                let q = try await Envmon.run([
                    "query", "--db", db, "--sensors", "sensors", "--station", parts[0], "--parameter", parts[1], "--kind", "realtime",
                    "--format", "csv",
                ])
                #expect(q.status == 0, "\(q.stderr)")
                let rows = q.stdout.split(separator: "\n").dropFirst().map { line -> Reading in
                    let f = line.split(separator: ",").map(String.init)
                    return Reading(
                        station: parts[0], parameter: parts[1], utc: Int64(iso.date(from: f[0])!.timeIntervalSince1970), value: Double(f[1])!,
                        flag: f[2])
                }
                #expect(rows.count == 60, "\(key): \(rows.count) stored, 60 acknowledged")
                #expect(Set(rows) == Set(expected), "\(key): stored readings differ from the acknowledged ones")
            }
        }

        @Test(.timeLimit(.minutes(1))) func madeUpStationsAreKnownToTheDaemonAndUnknownOnesAreGivenUp() async throws {
            let sensors = dir.file("sim-sensors")
            let written = try await Envmon.run(["simulate", "--write-sensors", sensors, "--stations", "5"])
            #expect(written.status == 0 && written.stdout.contains("wrote 5 station files"), "\(written.stderr)")
            let listed = try await Envmon.run(["stations", "--sensors", sensors])
            #expect(listed.status == 0 && listed.stdout.contains("sim-0005"), "\(listed.stderr)")

            let daemon = try await Daemon(db: dir.file("sim.sqlite"), sensors: sensors, log: dir.file("sim-serve.log"))
            // Six made-up stations: the daemon knows the first five, and never answers the sixth.
            let r = try await Envmon.run([
                "simulate", "--stations", "6", "--port", String(daemon.port), "--count", "20", "--window", "20", "--ack-timeout", "300ms",
                "--max-resends", "1", "--format", "json",
            ])
            #expect(try await daemon.stop() == 0)
            #expect(r.status == 1, "a frame given up makes the exit status 1")
            #expect(r.stderr.contains("20 frames were given up"))
            let s = try summary(r)
            #expect(s["frames_sent"] as? Int == 120 && s["acks"] as? Int == 100)
            #expect(s["given_up"] as? Int == 20 && s["resends"] as? Int == 20)
        }

        @Test(.timeLimit(.minutes(1))) func rateAndDurationPaceEveryStation() async throws {
            let sensors = dir.file("paced-sensors")
            let written = try await Envmon.run(["simulate", "--write-sensors", sensors, "--stations", "20"])
            #expect(written.status == 0, "\(written.stderr)")
            let daemon = try await Daemon(db: dir.file("paced.sqlite"), sensors: sensors, log: dir.file("paced-serve.log"))
            let r = try await Envmon.run([
                "simulate", "--stations", "20", "--port", String(daemon.port), "--rate", "25", "--duration", "2s", "--window", "4",
                "--format", "json",
            ])
            #expect(try await daemon.stop() == 0)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let s = try summary(r)
            let sent = s["frames_sent"] as? Int ?? 0
            // Each station's schedule starts when it is connected, inside the 2 s: at most 50 frames
            // a station (one every 40 ms); half of that at least, however busy the machine.
            #expect(sent <= 20 * 50 && sent >= 20 * 25, "\(sent) frames sent")
            #expect(s["acks"] as? Int == sent && s["given_up"] as? Int == 0)
        }

        /// `--duration` alone: paced, as many frames as the pace fits (10 a second per station), the
        /// last of them the present. Before, the frames went out as fast as they were acknowledged
        /// until the duration ended, past the present into the hours the collector refuses.
        @Test(.timeLimit(.minutes(1))) func aDurationRunIsPacedAndEndsAtThePresent() async throws {
            let sensors = dir.file("duration-sensors")
            let written = try await Envmon.run(["simulate", "--write-sensors", sensors, "--stations", "4"])
            #expect(written.status == 0, "\(written.stderr)")
            let daemon = try await Daemon(db: dir.file("duration.sqlite"), sensors: sensors, log: dir.file("duration-serve.log"))
            let acked = dir.file("duration-acked.jsonl")
            let began = Date()
            let r = try await Envmon.run([
                "simulate", "--stations", "4", "--port", String(daemon.port), "--duration", "3s", "--acked-log", acked, "--format", "json",
            ])
            let ended = Int64(Date().timeIntervalSince1970)
            #expect(try await daemon.stop() == 0)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            let s = try summary(r)
            let sent = s["frames_sent"] as? Int ?? 0
            #expect(sent <= 4 * 31 && sent >= 4 * 15, "\(sent) frames sent: 31 a station at most (10 a second for 3 s, and the present)")
            #expect(s["acks"] as? Int == sent && s["given_up"] as? Int == 0)
            #expect(Date().timeIntervalSince(began) >= 2.5, "paced over the duration, not sent at once")
            // One frame a simulated minute, ending at the present: none in the future, the newest
            // within the last few minutes (the last frames due as the 3 s end may not go out).
            let times = try readings(acked).map(\.utc)
            #expect(!times.isEmpty && times.allSatisfy { $0 <= ended }, "no frame from the future")
            #expect((times.max() ?? 0) >= ended - 20 * 60, "the run ends near the present: newest \(times.max() ?? 0), now \(ended)")
        }

        @Test func badArgumentsAreRefusedWithAReason() async throws {
            let cases: [([String], String)] = [
                (["--stations", "1"], "--port is required"),
                (["--port", "9"], "give --sensors DIR or --stations N"),
                (["--stations", "1", "--port", "9", "--episode", "sim-0001:COD:+1h:2h"], "expected STATION:PARAM:FROM:DURATION:FACTOR"),
                (["--stations", "1", "--port", "9", "--episode", "sim-0001:SO3:+1h:2h:3"], "unknown parameter 'SO3'"),
                (["--stations", "1", "--port", "9", "--episode", "sim-0009:PM2.5:+1h:2h:3"], "station 'sim-0009' is not simulated"),
                (["--stations", "1", "--port", "9", "--flags", "fault=2"], "is not NAME=PROBABILITY"),
                (["--stations", "1", "--port", "9", "--flags", "fault=0.6,stopped=0.6"], "add up to more than 1"),
                (["--stations", "1", "--port", "9", "--kind", "day"], "The value 'day' is invalid for '--kind <kind>'"),
                (["--stations", "1", "--port", "9", "--timeline", "often"], "--timeline 'often' is not a duration"),
            ]
            for (arguments, message) in cases {
                let r = try await Envmon.run(["simulate"] + arguments)
                #expect(r.status != 0 && r.stderr.contains(message), "\(arguments): \(r.stderr)")
            }
        }
    }
}
