import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// Ingest over HTTP with a real client: python's `influxdb` library (5.x) writes into a real
    /// `envmon serve`; what it wrote is then read back with `envmon query`.
    @Suite(.serialized) struct HTTPIngestTests {
        let dir = TemporaryDirectory("envmon-http-ingest")

        /// `envmon token new`: the token and the config line that admits it.
        func newToken(_ name: String, _ role: String) async throws -> (token: String, line: String) {
            let result = try await Envmon.run(["token", "new", "--name", name, "--role", role])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.hasPrefix("token:") }).dropFirst(6).trimmingCharacters(in: .whitespaces)
            let line = try #require(lines.first { $0.hasPrefix("config:") }).dropFirst(7).trimmingCharacters(in: .whitespaces)
            return (token, line)
        }

        /// A config admitting the tokens' lines.
        func config(_ tokenLines: [String]) -> String {
            dir.write(
                "envmon.yaml",
                "http:\n  host: 127.0.0.1\n  port: 0\n  tokens:\n" + tokenLines.map { "    " + $0 + "\n" }.joined() + "log:\n  stats_interval: 0\n")
        }

        /// Three simulated stations (sim-0002 is a discharge outlet: COD, NH3-N, TP, pH, Q-water).
        func sensors() async throws -> String {
            let folder = dir.file("sensors")
            let r = try await Envmon.run(["simulate", "--write-sensors", folder, "--stations", "3"])
            #expect(r.status == 0, "\(r.stderr)")
            return folder
        }

        /// What `scripts/influx_writes.py` printed.
        static func influx(_ port: Int, token: String, _ scenario: String, now: Int64, _ extra: [String] = []) async throws -> [String: Any] {
            let code = "import runpy, sys; sys.argv = ['influx_writes.py'] + sys.argv[1:]; runpy.run_path('\(Envmon.root)/Tests/scripts/influx_writes.py', run_name='__main__')"
            let out = try await Python.run(code, [String(port), token, scenario, String(now)] + extra)
            let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
            return try #require(object, "influx_writes.py printed: \(out)")
        }

        /// The stored readings of one series, by UTC second, with their flags.
        static func stored(db: String, sensors: String, station: String, parameter: String) async throws -> [Int64: (value: Double, flag: String)] {
            let r = try await Envmon.run([
                "query", "--db", db, "--sensors", sensors, "--station", station, "--parameter", parameter, "--kind", "realtime",
                "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--format", "json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
            var result: [Int64: (Double, String)] = [:]
            let parser = ISO8601DateFormatter()
            for row in object?["rows"] as? [[String: Any]] ?? [] {
                guard let time = (row["time"] as? String).flatMap({ parser.date(from: $0) }), let value = (row["value"] as? NSNumber)?.doubleValue
                else { continue }
                result[Int64(time.timeIntervalSince1970)] = (value, row["flag"] as? String ?? "?")
            }
            return result
        }

        @Test func theInfluxDBClientWritesPointsThatAppearInQuery() async throws {
            let sensors = try await sensors()
            let db = dir.file("store.sqlite")
            let plant = try await newToken("plant-3", "ingest")
            let dashboard = try await newToken("dashboard", "read")
            let config = config([plant.line, dashboard.line])
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", sensors], logPath: dir.file("serve.log"))
            let now = Int64(Date().timeIntervalSince1970)
            let hour = now / 3_600 * 3_600
            let out = try await Self.influx(daemon.httpPort, token: plant.token, "basic", now: now)
            // Tokens: none → 401 as InfluxDB says it, a read token → 403; /ping is open.
            let roles = try await Self.influx(daemon.httpPort, token: dashboard.token, "roles", now: now)
            // JSON: one stored, one refused by the checks (200); an item without a time is named (400).
            let good = Data(
                #"{"readings": [{"station": "sim-0002", "parameter": "TP", "time": \#(hour - 900), "value": 0.3}, {"station": "x", "parameter": "TP", "time": \#(hour - 900), "value": 0.3}]}"#
                    .utf8)
            let json = try await HTTPGet.request(port: daemon.httpPort, "POST", "/api/v1/readings", token: plant.token, body: good)
            #expect(json.status == 200, "\(json.body)")
            #expect(json.body.contains(#""stored":1"#) && json.body.contains(#""index":1,"message":"unknown station 'x'","reason":"unknown_station""#), "\(json.body)")
            let noTime = Data(#"[{"station": "sim-0002", "parameter": "TP", "value": 0.3}]"#.utf8)
            let refused = try await HTTPGet.request(port: daemon.httpPort, "POST", "/api/v1/readings", token: plant.token, body: noTime)
            #expect(refused.status == 400 && refused.body.contains("readings[0]: time: required"), "\(refused.body)")
            let readOnly = try await HTTPGet.request(port: daemon.httpPort, "POST", "/api/v1/readings", token: dashboard.token, body: good)
            #expect(readOnly.status == 403)
            // InfluxDB's answers to a request without db, and to gzip that does not inflate or inflates too far.
            let noDB = try await HTTPGet.request(port: daemon.httpPort, "POST", "/write", token: plant.token, body: Data("r,station=sim-0002 COD=1".utf8))
            #expect(noDB.status == 400 && noDB.body == #"{"error":"database is required"}"#, "\(noDB.body)")
            let notGzip = try await HTTPGet.request(
                port: daemon.httpPort, "POST", "/write?db=envmon", token: plant.token, headers: ["Content-Encoding": "gzip"], body: Data("r".utf8))
            #expect(notGzip.status == 400 && notGzip.body.contains("the gzip body does not inflate"), "\(notGzip.body)")
            let bombPath = try await Python.run(
                "import gzip, sys; open(sys.argv[1], 'wb').write(gzip.compress(b'a' * (26 * 1024 * 1024))); print(sys.argv[1])", [dir.file("bomb.gz")])
            let bomb = try Data(contentsOf: URL(fileURLWithPath: bombPath))
            let tooLarge = try await HTTPGet.request(
                port: daemon.httpPort, "POST", "/write?db=envmon", token: plant.token, headers: ["Content-Encoding": "gzip"], body: bomb)
            #expect(tooLarge.status == 413 && tooLarge.body.contains("once inflated"), "\(tooLarge.body)")
            let metrics = try await HTTPGet.get(port: daemon.httpPort, "/metrics", token: dashboard.token)
            #expect(await daemon.stop() == 0, "\(daemon.log)")

            let anonymous = try #require(roles["no_token"] as? [String: Any])
            #expect(anonymous["code"] as? Int == 401 && anonymous["content"] as? String == "authorization failed", "\(anonymous)")
            let reader = try #require(roles["token"] as? [String: Any])
            #expect(reader["code"] as? Int == 403, "\(reader)")
            #expect(roles["ping_no_token"] as? String == "1.8.10-envmon")
            #expect(!daemon.log.contains(plant.token) && !daemon.log.contains(dashboard.token), "a token is in the log")
            // Counted by reason, per transport.
            #expect(metrics.body.contains(#"envmon_readings_rejected_total{reason="malformed",source="http"} 4"#), "\(metrics.body)")
            #expect(metrics.body.contains(#"envmon_readings_rejected_total{reason="unknown_station",source="http"} 2"#))
            #expect(metrics.body.contains(#"envmon_readings_ingested_total{source="http"} 15"#))

            #expect(out["ping"] as? String == "1.8.10-envmon")
            for key in ["tagged", "gzip", "precision_n", "precision_u", "precision_ms", "precision_s", "precision_m", "precision_h"] {
                #expect((out[key] as? [String: Any])?["ok"] as? Bool == true, "\(key): \(out[key] ?? "-")")
            }
            // The partial write: 400 with InfluxDB's message, naming each refused line.
            let malformed = try #require(out["malformed"] as? [String: Any])
            #expect(malformed["code"] as? Int == 400)
            let message = malformed["content"] as? String ?? ""
            #expect(message.contains("partial write: unable to parse 'reading,station=sim-0002 pH= \(hour - 180)': missing field value (line 2)"), "\(message)")
            #expect(message.contains("unable to parse 'reading,station=sim-0002 pH=7.4 12x': bad timestamp (line 4)"), "\(message)")
            #expect(message.contains("unknown_station: unknown station 'nowhere' (line 5)"), "\(message)")
            #expect(message.hasSuffix("dropped=3"), "\(message)")
            // Nothing parses: InfluxDB's unable to parse, 400.
            let bad = try #require(out["all_bad"] as? [String: Any])
            #expect(bad["code"] as? Int == 400)
            #expect((bad["content"] as? String ?? "").contains("unable to parse 'reading,station=sim-0002 pH': invalid field format (line 1)"))

            let cod = try await Self.stored(db: db, sensors: sensors, station: "sim-0002", parameter: "COD")
            #expect(cod.count == 5)
            for i in 0..<5 { #expect(cod[hour - 600 + 60 * Int64(i)]?.value == 20 + Double(i)) }
            let nh3 = try await Self.stored(db: db, sensors: sensors, station: "sim-0002", parameter: "NH3-N")
            #expect(nh3.keys.sorted() == (1...6).map { hour - 3_600 * Int64($0) }.sorted(), "each precision lands on its second")
            #expect(nh3[hour - 3_600 * 6]?.value == 6)
            let tp = try await Self.stored(db: db, sensors: sensors, station: "sim-0002", parameter: "TP")
            #expect(tp[hour - 300]?.value == 0.25 && tp[hour - 300]?.flag == "M", "the gzip body, by HJ 212 code, with its flag")
            let ph = try await Self.stored(db: db, sensors: sensors, station: "sim-0002", parameter: "pH")
            #expect(ph.keys.sorted() == [hour - 240, hour - 120], "the good lines of the partial write are stored")
        }

        /// SIGKILL while a client streams `/write` requests: every request answered 204 is in the
        /// store after the restart, each reading once, with its value.
        @Test func everyWriteAnswered204SurvivesSigkill() async throws {
            let sensors = try await sensors()
            let db = dir.file("kill.sqlite")
            let plant = try await newToken("plant-3", "ingest")
            let config = config([plant.line])
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", sensors], logPath: dir.file("kill.log"))
            let acked = dir.file("acked.lp")
            let now = Int64(Date().timeIntervalSince1970)
            let code = "import runpy, sys; sys.argv = ['influx_writes.py'] + sys.argv[1:]; runpy.run_path('\(Envmon.root)/Tests/scripts/influx_writes.py', run_name='__main__')"
            let client = SpawnedProcess()
            client.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            client.arguments = ["python3", "-c", code, String(daemon.httpPort), plant.token, "stream", String(now), acked]
            client.standardOutput = FileHandle.nullDevice
            client.standardError = FileHandle.nullDevice
            try client.run()
            // Kill once a good number of requests were answered, while the client still sends.
            var waited = 0
            while waited < 1_500, ((try? String(contentsOfFile: acked, encoding: .utf8))?.count ?? 0) < 200_000 {
                try await Task.sleep(for: .milliseconds(20))
                waited += 1
            }
            #expect(await daemon.stop(SIGKILL) == SIGKILL)
            try await Task.sleep(for: .milliseconds(300))
            kill(client.processIdentifier, SIGKILL)
            client.waitUntilExit()

            // The acknowledged lines: `r,station=sim-0002 PARAM=VALUE TIME` (a line cut by the kill is skipped).
            var expected: [String: [Int64: Double]] = [:]
            for line in try String(contentsOfFile: acked, encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, let time = Int64(parts[2]) else { continue }
                let field = parts[1].split(separator: "=")
                guard field.count == 2, let value = Double(field[1]) else { continue }
                expected[String(field[0]), default: [:]][time] = value
            }
            let total = expected.values.map(\.count).reduce(0, +)
            #expect(total > 2_000, "only \(total) readings were acknowledged before the kill")

            let again = try await Daemon.start(["--config", config, "--db", db, "--sensors", sensors], logPath: dir.file("kill2.log"))
            #expect(await again.stop() == 0, "\(again.log)")
            var missing: [String] = []
            for (parameter, readings) in expected {
                let rows = try await Self.stored(db: db, sensors: sensors, station: "sim-0002", parameter: parameter)
                for (time, value) in readings where rows[time].map({ abs($0.value - value) > 1e-9 }) ?? true {
                    missing.append("\(parameter)@\(time)")
                }
            }
            #expect(missing.isEmpty, "\(missing.count) of \(total) acknowledged readings are missing or changed, e.g. \(missing.prefix(3))")
        }
    }
}
