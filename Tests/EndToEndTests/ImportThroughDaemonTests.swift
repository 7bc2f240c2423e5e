import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon import` beside a running daemon sends its readings through the daemon's HTTP
    /// ingest: they are stored by the daemon's writer and its rules evaluate them.
    @Suite(.serialized) struct ImportThroughDaemonTests {
        let dir = TemporaryDirectory("envmon-import-daemon")

        @Test func anImportBesideTheDaemonIsStoredAndItsExceedanceRaisesAnAlert() async throws {
            let config = dir.write("envmon.yaml", "rules:\n  grace: 0s\n  tick: 100ms\nlog:\n  stats_interval: 0\n")
            let rules = dir.file("rules")
            try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/rules/outlets.yaml", toPath: rules + "/outlets.yaml")
            let db = dir.file("i.sqlite")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", "sensors", "--rules", rules], logPath: dir.file("serve.log"))

            // The paper mill's hourly COD 4, 3 and 2 hours ago, in Beijing time: 60, then 150 and
            // 160 (its permit is 100 mg/L hourly), in the city network's long CSV layout.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let hour = calendar.dateInterval(of: .hour, for: Date())!.start
            let format = DateFormatter()
            format.calendar = calendar
            format.timeZone = calendar.timeZone
            format.dateFormat = "yyyy-MM-dd'T'HH:mm"
            var csv = "time,station,parameter,value,flag\n"
            for (ago, cod) in [(4, 60), (3, 150), (2, 160)] {
                csv += "\(format.string(from: hour.addingTimeInterval(Double(-3_600 * ago)))),qinghe-paper-mill-outlet,COD,\(cod),N\n"
            }
            let file = dir.write("cod.csv", csv)
            let mapping = Envmon.root + "/seeds/city-network.mapping.yaml"
            let imported = try await Envmon.run(["import", "--db", db, "--sensors", "sensors", "--mapping", mapping, file])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stderr.contains("importing through it"), "\(imported.stderr)")
            #expect(imported.stdout.contains("samples stored   3 new"), "\(imported.stdout)")

            var firing: [[String: Any]] = []
            for _ in 0..<100 {
                let r = try await Envmon.run(["alerts", "--db", db, "--format", "json"])
                let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
                firing = ((object["active"] as? [[String: Any]]) ?? []).filter {
                    $0["rule"] as? String == "outlet-permit-hourly" && $0["state"] as? String == "firing"
                }
                if firing.first?["peak"] as? Double == 160 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(firing.count == 1 && firing.first?["peak"] as? Double == 160, "\(firing)\n\(daemon.log)")
            #expect(await daemon.stop() == 0, "\(daemon.log)")

            let q = try await Envmon.run([
                "query", "--db", db, "--sensors", "sensors", "--station", "qinghe-paper-mill-outlet", "--parameter", "COD", "--kind", "hour",
                "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--format", "json",
            ])
            let rows = ((try? JSONSerialization.jsonObject(with: Data(q.stdout.utf8))) as? [String: Any])?["rows"] as? [[String: Any]] ?? []
            #expect(rows.compactMap { ($0["value"] as? NSNumber)?.doubleValue } == [60, 150, 160], "\(q.stdout)")

            // With the daemon stopped the import writes the store itself, as before: nothing new.
            let direct = try await Envmon.run(["import", "--db", db, "--sensors", "sensors", "--mapping", mapping, "--direct", file])
            #expect(direct.status == 0 && direct.stdout.contains("3 duplicates"), "\(direct.stdout)\(direct.stderr)")
        }
    }
}
