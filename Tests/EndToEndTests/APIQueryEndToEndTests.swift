import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The read API of a real daemon against the CLI on the same store: one library, one answer.
    @Suite(.serialized) struct APIQueryEndToEndTests {
        let dir = TemporaryDirectory("envmon-api-query")

        @Test func theAPIAnswersWhatEnvmonQueryPrintsAndRelativeRangesWorkInBoth() async throws {
            let db = dir.file("q.sqlite")
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", "seeds/beijing-slice.csv"])
            #expect(imp.status == 0, "\(imp.stderr)")
            let new = try await Envmon.run(["token", "new", "--name", "dashboard", "--role", "read"])
            let lines = new.stdout.split(separator: "\n").map(String.init)
            let token = try #require(lines.first { $0.hasPrefix("token:") }).dropFirst(6).trimmingCharacters(in: .whitespaces)
            let line = try #require(lines.first { $0.hasPrefix("config:") }).dropFirst(7).trimmingCharacters(in: .whitespaces)
            let config = dir.file("envmon.yaml")
            try """
            store: {path: \(db)}
            sensors: [seeds/sensors]
            rules: {path: \(dir.file("no-rules"))}
            hj212: {host: 127.0.0.1, port: 0}
            http:
              host: 127.0.0.1
              port: 0
              tokens:
                \(line)
            """.write(toFile: config, atomically: true, encoding: .utf8)
            let cases: [([String], String)] = [
                (
                    ["--from", "2017-01-01", "--to", "2017-01-02", "--step", "6h", "--agg", "max"],
                    "from=2017-01-01&to=2017-01-02&step=6h&agg=max"
                ),
                (["--from", "2017-01-01T03:00", "--to", "2017-01-01T20:00", "--step", "6h"], "from=2017-01-01T03:00&to=2017-01-01T20:00&step=6h"),
                (["--from", "2017-01-01T00:00:00+08:00", "--to", "2017-01-01T05:00"], "from=2017-01-01T00:00:00%2B08:00&to=2017-01-01T05:00"),
            ]
            func query(_ arguments: [String], _ format: String) async throws -> Envmon.Result {
                try await Envmon.run(["query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--format", format] + arguments)
            }
            // Printed by the command alone, reading the file itself (no daemon yet).
            var printed: [String: Envmon.Result] = [:]
            for (cli, _) in cases {
                for format in ["csv", "json", "table"] { printed["\(cli) \(format)"] = try await query(cli, format) }
            }
            let daemon = try await Daemon.start(["--config", config], logPath: dir.file("serve.log"))
            let port = daemon.httpPort
            for (cli, api) in cases {
                for format in ["csv", "json", "table"] {
                    let alone = try #require(printed["\(cli) \(format)"])
                    #expect(alone.status == 0, "\(alone.stderr)")
                    #expect(alone.stdout.split(separator: "\n").count > 2, "\(alone.stdout)")
                    let answered = try await HTTPGet.get(port: port, "/api/v1/query?station=bj-dongsi&parameter=PM2.5&\(api)&format=\(format)", token: token)
                    #expect(answered.status == 200, "\(answered.body)")
                    #expect(answered.body == alone.stdout, "\(cli) \(format)")
                    // Beside the daemon, the command asks it (with the local token) and prints the same.
                    let beside = try await query(cli, format)
                    #expect(beside.status == 0, "\(beside.stderr)")
                    #expect(beside.stdout == alone.stdout, "\(cli) \(format) beside the daemon")
                }
            }
            // Relative ranges in the CLI and the API alike: the slice is from January 2017.
            let cli = try await Envmon.run([
                "query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--from", "now-7d",
                "--step", "1d", "--format", "csv",
            ])
            #expect(cli.status == 0, "\(cli.stderr)")
            #expect(cli.stdout.hasPrefix("time,value,count,partial\n") && !cli.stdout.contains("2017-"), "\(cli.stdout)")
            let years = try await HTTPGet.get(
                port: port, "/api/v1/query?station=bj-dongsi&parameter=PM2.5&from=now-20000d&to=now&step=1d&format=csv", token: token)
            #expect(years.body.contains("2017-01-01T00:00:00+08:00,"), "\(years.body.prefix(300))")

            // The stations: Dongsi has not reported for years.
            let stations = try await HTTPGet.get(port: port, "/api/v1/stations", token: token)
            let dongsi = (stations.json["stations"] as? [[String: Any]])?.first { $0["id"] as? String == "bj-dongsi" }
            #expect(dongsi?["status"] as? String == "offline", "\(stations.body.prefix(500))")
            #expect((dongsi?["lastReading"] as? String)?.hasPrefix("2017-") == true)
            #expect(await daemon.stop() == 0, "\(daemon.log)")
            #expect(!daemon.log.contains(token))
        }
    }
}
