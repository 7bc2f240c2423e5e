import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon rules check|test`, and the daemon's rule engine with a python3 field unit.
    @Suite struct RulesEndToEndTests {
        let dir = TemporaryDirectory()

        @Test func theShippedPacksCheckAndTheirTestsPass() async throws {
            let check = try await Envmon.run(["rules", "check"])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("22 rules in 7 files: OK"), "\(check.stdout)")
            let tests = try FileManager.default.contentsOfDirectory(atPath: Envmon.root + "/rules").filter { $0.hasSuffix(".test.yaml") }
                .sorted().map { "rules/" + $0 }
            #expect(tests.count == 6)
            let run = try await Envmon.run(["rules", "test"] + tests)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("27 passed, 0 failed"))
        }

        /// Every example in rules/README.md is a valid rule.
        @Test func theExamplesInTheRulesReadmeAreValid() async throws {
            let readme = try String(contentsOfFile: Envmon.root + "/rules/README.md", encoding: .utf8)
            let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
                .filter { $0.hasPrefix("- name:") }
            #expect(blocks.count >= 6)
            let pack = "rules:\n" + blocks.map { $0.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }.joined(separator: "\n") + "\n"
            let file = dir.write("examples.yaml", pack)
            let r = try await Envmon.run(["rules", "check", file])
            #expect(r.status == 0, "\(r.stderr)\n\(pack)")
            #expect(r.stdout.contains("rules in 1 files: OK"))
        }

        @Test func aBrokenRuleFileIsReportedWithFileLineAndColumn() async throws {
            let bad = dir.write(
                "bad.yaml",
                """
                rules:
                  - name: typo
                    kind: threshold
                    basis: hourly
                    limit: station
                    match:
                      kinds: [outlet]
                      parameters: [CODx]
                  - name: no-kind
                    above: 3

                """)
            let r = try await Envmon.run(["rules", "check", bad])
            #expect(r.status == 1)
            #expect(r.stderr.contains("bad.yaml:4:12: basis must be reading, hour or day"), "\(r.stderr)")
            #expect(r.stderr.contains("bad.yaml:7:15: unknown station kind 'outlet'"))
            #expect(r.stderr.contains("bad.yaml:8:20: parameter 'CODx' is not in the catalogue"))
            #expect(r.stderr.contains("bad.yaml:9:5: rule 'no-kind' needs a 'kind'"))
        }

        @Test func aFailingRuleTestSaysWhatWasExpectedAndWhatCame() async throws {
            _ = dir.write("outlets.yaml", try String(contentsOfFile: Envmon.root + "/rules/outlets.yaml", encoding: .utf8))
            let test = dir.write(
                "outlets.test.yaml",
                """
                rule_files: [outlets.yaml]
                tests:
                  - name: wrong on purpose
                    start: 2026-01-05T08:00:00+08:00
                    series:
                      - {station: qinghe-paper-mill-outlet, parameter: COD, values: "60 120"}
                    expect:
                      - at: +2h15m
                        alerts: []

                """)
            let r = try await Envmon.run(["rules", "test", test])
            #expect(r.status == 1)
            #expect(r.stdout.contains("FAIL  wrong on purpose"))
            #expect(r.stdout.contains("outlets.test.yaml:8: at 2026-01-05T10:15:00+08:00:"), "\(r.stdout)")
            #expect(r.stdout.contains("got      outlet-permit-hourly{station=qinghe-paper-mill-outlet,parameter=COD} firing"))
        }

        /// A field unit sends three past hours of paper-mill COD, two above the permit: the
        /// daemon fires the hourly permit rule, writes the notification to the outbox, and keeps
        /// the alert across a restart.
        @Test func theDaemonFiresOnCommittedReadingsAndKeepsTheAlertAcrossARestart() async throws {
            let config = dir.write(
                "envmon.yaml",
                """
                rules:
                  grace: 0s
                  tick: 100ms
                log:
                  stats_interval: 0

                """)
            // The shipped packs but completeness: between 00:00 and 04:00 in Shanghai the reading of
            // 4 h ago falls on yesterday, whose daily completeness then fires as well (not this
            // test's subject, and it made the counts below depend on the time of day).
            let packs = dir.file("packs")
            try FileManager.default.createDirectory(atPath: packs + "/rules", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/targets", toPath: packs + "/targets")
            for file in try FileManager.default.contentsOfDirectory(atPath: Envmon.root + "/rules")
            where file.hasSuffix(".yaml") && !file.hasSuffix(".test.yaml") && file != "completeness.yaml" {
                try FileManager.default.copyItem(atPath: Envmon.root + "/rules/" + file, toPath: packs + "/rules/" + file)
            }
            let db = dir.file("r.sqlite")
            let arguments = ["--config", config, "--db", db, "--sensors", "sensors", "--rules", packs + "/rules"]
            let daemon = try await Daemon.start(arguments, logPath: dir.file("serve.log"))
            let printed = try await sendPaperMillCOD(port: daemon.port, [(4, 60), (3, 150), (2, 160)])
            #expect(printed.split(separator: "\n") == ["ack", "ack", "ack"])

            func alerts() async throws -> [String: Any] { try await self.alerts(db) }
            var seen: [String: Any] = [:]
            for _ in 0..<100 {
                seen = try await alerts()
                // The value and peak of a firing alert are written at the next tick.
                if firing(seen).first?["peak"] as? Double == 160 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let active = firing(seen)
            #expect(active.count == 1, "\(seen)\n\(daemon.log)")
            #expect(active.first?["state"] as? String == "firing")
            #expect(active.first?["parameter"] as? String == "COD")
            #expect(active.first?["peak"] as? Double == 160)
            #expect(seen["undelivered_notifications"] as? Int == 1)
            #expect(daemon.log.contains("outlet-permit-hourly{station=qinghe-paper-mill-outlet,parameter=COD}: inactive → firing"))
            // Filters: by station and state.
            let mine = try await Envmon.run(["alerts", "--db", db, "--station", "qinghe-paper-mill-outlet", "--state", "firing"])
            #expect(mine.stdout.contains("FIRING  outlet-permit-hourly  qinghe-paper-mill-outlet COD"), "\(mine.stdout)")
            let other = try await Envmon.run(["alerts", "--db", db, "--station", "qinghe-wwtp-outlet"])
            #expect(other.stdout.contains("No active alerts."))
            let resolved = try await Envmon.run(["alerts", "--db", db, "--state", "resolved"])
            #expect(resolved.status != 0)
            #expect(await daemon.stop() == 0)

            // A restart resumes the alert; nothing new is sent for it.
            let again = try await Daemon.start(arguments, logPath: dir.file("serve2.log"))
            for _ in 0..<100 where !again.log.contains("alerts resumed") { try await Task.sleep(for: .milliseconds(20)) }
            #expect(again.log.contains("rules: 17 rules,"), "\(again.log)")
            let after = try await alerts()
            #expect(firing(after).first?["state"] as? String == "firing")
            #expect(after["undelivered_notifications"] as? Int == 1)
            #expect(await again.stop() == 0)
        }

        /// SIGHUP reloads rules/: a removed rule's firing alert is resolved (and says so in the
        /// outbox); a broken folder is refused and the rules in use stay.
        @Test func sighupReloadsRulesAndResolvesTheAlertsOfRemovedOnes() async throws {
            let rules = dir.file("rules")
            try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/rules/outlets.yaml", toPath: rules + "/outlets.yaml")
            let config = dir.write("envmon.yaml", "rules:\n  grace: 0s\n  tick: 100ms\nlog:\n  stats_interval: 0\n")
            let db = dir.file("h.sqlite")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", "sensors", "--rules", rules], logPath: dir.file("serve.log"))
            let printed = try await sendPaperMillCOD(port: daemon.port, [(3, 150), (2, 160)])
            #expect(printed.split(separator: "\n") == ["ack", "ack"])
            for _ in 0..<100 {
                let polled = try await alerts(db)
                if !firing(polled).isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            let fired = try await alerts(db)
            #expect(firing(fired).count == 1)

            func reload(expecting text: String) async throws {
                kill(daemon.process.processIdentifier, SIGHUP)
                for _ in 0..<100 where !daemon.log.contains(text) { try await Task.sleep(for: .milliseconds(20)) }
                #expect(daemon.log.contains(text), "\(daemon.log)")
            }
            // A broken file: refused, located, and the alert stays firing.
            _ = dir.write("rules/broken.yaml", "rules:\n  - name: x\n    kind: threshold\n    basis: weekly\n")
            try await reload(expecting: "sensors not reloaded")
            #expect(daemon.log.contains("broken.yaml:4:12: basis must be reading, hour or day"))
            let kept = try await alerts(db)
            #expect(firing(kept).count == 1)

            // The pack removed: its alert resolves, with a resolved notification after the firing one.
            try FileManager.default.removeItem(atPath: rules + "/broken.yaml")
            try FileManager.default.removeItem(atPath: rules + "/outlets.yaml")
            try await reload(expecting: "sensors reloaded: 8 stations, 0 rules")
            let after = try await alerts(db)
            #expect(firing(after).isEmpty, "\(after)")
            #expect(after["undelivered_notifications"] as? Int == 2)
            let recent = (after["recent"] as? [[String: Any]]) ?? []
            #expect(recent.first?["reason"] as? String == "rule outlet-permit-hourly removed from rules/")
            #expect(await daemon.stop() == 0)
        }

        /// Sends hourly paper-mill COD frames for the given (hours ago, value) pairs from a python3
        /// field unit; returns one line per frame: `ack` or `none`.
        func sendPaperMillCOD(port: Int, _ hours: [(Int, Int)]) async throws -> String {
            let send = """
                import socket, sys, datetime, json
                from hj212 import frame
                beijing = datetime.timezone(datetime.timedelta(hours=8))
                now = datetime.datetime.now(beijing).replace(minute=0, second=0, microsecond=0)
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(5)
                for i, (hours_ago, cod) in enumerate(json.loads(sys.argv[2])):
                    t = (now - datetime.timedelta(hours=hours_ago)).strftime("%Y%m%d%H%M%S")
                    seg = "QN=2026112410000000%d;ST=32;CN=2061;PW=qh3202;MN=371499320150002000000201;Flag=5;CP=&&DataTime=%s;w01018-Avg=%d,w01018-Flag=N&&" % (i, t, cod)
                    s.sendall(frame(seg))
                    print("ack" if s.recv(4096).startswith(b"##") else "none")
                """
            return try await Python.run(send, [String(port), "[" + hours.map { "[\($0.0), \($0.1)]" }.joined(separator: ",") + "]"])
        }

        func alerts(_ db: String) async throws -> [String: Any] {
            let r = try await Envmon.run(["alerts", "--db", db, "--format", "json"])
            #expect(r.status == 0, "\(r.stderr)")
            return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
        }

        func firing(_ a: [String: Any]) -> [[String: Any]] {
            ((a["active"] as? [[String: Any]]) ?? []).filter { $0["rule"] as? String == "outlet-permit-hourly" }
        }
    }
}
