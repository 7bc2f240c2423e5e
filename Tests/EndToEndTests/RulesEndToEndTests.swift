import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon rules check|test`, and the daemon's rule engine with a python3 field unit.
    @Suite struct RulesEndToEndTests {
        let dir = TemporaryDirectory()

        @Test func theShippedPacksCheckAndTheirTestsPass() throws {
            let check = try Envmon.run(["rules", "check"])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("15 rules in 6 files: OK"))
            let tests = try FileManager.default.contentsOfDirectory(atPath: Envmon.root + "/rules").filter { $0.hasSuffix(".test.yaml") }
                .sorted().map { "rules/" + $0 }
            #expect(tests.count == 6)
            let run = try Envmon.run(["rules", "test"] + tests)
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.contains("20 passed, 0 failed"))
        }

        /// Every example in rules/README.md is a valid rule.
        @Test func theExamplesInTheRulesReadmeAreValid() throws {
            let readme = try String(contentsOfFile: Envmon.root + "/rules/README.md", encoding: .utf8)
            let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
                .filter { $0.hasPrefix("- name:") }
            #expect(blocks.count >= 6)
            let pack = "rules:\n" + blocks.map { $0.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }.joined(separator: "\n") + "\n"
            let file = dir.write("examples.yaml", pack)
            let r = try Envmon.run(["rules", "check", file])
            #expect(r.status == 0, "\(r.stderr)\n\(pack)")
            #expect(r.stdout.contains("rules in 1 files: OK"))
        }

        @Test func aBrokenRuleFileIsReportedWithFileLineAndColumn() throws {
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
            let r = try Envmon.run(["rules", "check", bad])
            #expect(r.status == 1)
            #expect(r.stderr.contains("bad.yaml:4:12: basis must be reading, hour or day"), "\(r.stderr)")
            #expect(r.stderr.contains("bad.yaml:7:15: unknown station kind 'outlet'"))
            #expect(r.stderr.contains("bad.yaml:8:20: parameter 'CODx' is not in the catalogue"))
            #expect(r.stderr.contains("bad.yaml:9:5: rule 'no-kind' needs a 'kind'"))
        }

        @Test func aFailingRuleTestSaysWhatWasExpectedAndWhatCame() throws {
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
            let r = try Envmon.run(["rules", "test", test])
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
            let db = dir.file("r.sqlite")
            let arguments = ["--config", config, "--db", db, "--sensors", "sensors", "--rules", "rules"]
            let daemon = try Daemon(arguments, logPath: dir.file("serve.log"))
            let send = """
                import socket, sys, datetime
                from hj212 import frame
                beijing = datetime.timezone(datetime.timedelta(hours=8))
                now = datetime.datetime.now(beijing).replace(minute=0, second=0, microsecond=0)
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(5)
                for i, (hours_ago, cod) in enumerate([(4, 60), (3, 150), (2, 160)]):
                    t = (now - datetime.timedelta(hours=hours_ago)).strftime("%Y%m%d%H%M%S")
                    seg = "QN=2026112410000000%d;ST=32;CN=2061;PW=qh3202;MN=371499320150002000000201;Flag=5;CP=&&DataTime=%s;w01018-Avg=%d,w01018-Flag=N&&" % (i, t, cod)
                    s.sendall(frame(seg))
                    print("ack" if s.recv(4096).startswith(b"##") else "none")
                """
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", "-c", send, String(daemon.port)]
            p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": Envmon.root + "/Tests/scripts"]) { _, new in new }
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(printed.split(separator: "\n") == ["ack", "ack", "ack"])

            func alerts() throws -> [String: Any] {
                let r = try Envmon.run(["alerts", "--db", db, "--format", "json"])
                #expect(r.status == 0, "\(r.stderr)")
                return (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
            }
            func firing(_ a: [String: Any]) -> [[String: Any]] {
                ((a["active"] as? [[String: Any]]) ?? []).filter { $0["rule"] as? String == "outlet-permit-hourly" }
            }
            var seen: [String: Any] = [:]
            for _ in 0..<100 {
                seen = try alerts()
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
            #expect(daemon.stop() == 0)

            // A restart resumes the alert; nothing new is sent for it.
            let again = try Daemon(arguments, logPath: dir.file("serve2.log"))
            for _ in 0..<100 where !again.log.contains("alerts resumed") { try await Task.sleep(for: .milliseconds(20)) }
            #expect(again.log.contains("rules: 15 rules,"), "\(again.log)")
            let after = try alerts()
            #expect(firing(after).first?["state"] as? String == "firing")
            #expect(after["undelivered_notifications"] as? Int == 1)
            #expect(again.stop() == 0)
        }
    }
}
