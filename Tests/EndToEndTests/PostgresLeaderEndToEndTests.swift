import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// Three `envmon serve` on one PostgreSQL, each taking HJ 212 on its own port: consecutive
    /// readings of one outlet reach different daemons, one daemon (the rule leader) evaluates
    /// them all in commit order, and when it is killed with SIGKILL another takes over where its
    /// last committed evaluation stopped.
    @Suite(.serialized) struct PostgresLeaderEndToEndTests {
        let dir = TemporaryDirectory()
        typealias S = NotifierScenario

        @Test func threeDaemonsOnOneDatabaseSurviveTheLeadersSIGKILL() async throws {
            let db = try await TestDatabase.make()
            let url = db.url
            let psql: @Sendable (String) async throws -> [String] = { sql in try await db.psql(sql).split(separator: "\n").map(String.init) }
            let hook = try WebhookReceiver(.ok, in: dir.path)
            let scenario = try S(dir, notify: S.notify(root: "duty", receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]"))
            let token = try await Envmon.run(["token", "new", "--name", "prometheus", "--role", "read"])
            let lines = token.stdout.split(separator: "\n").map(String.init)
            let secret = try #require(lines.first { $0.hasPrefix("token:") }).dropFirst(6).trimmingCharacters(in: .whitespaces)
            let tokenLine = try #require(lines.first { $0.hasPrefix("config:") }).dropFirst(7).trimmingCharacters(in: .whitespaces)
            try (scenario.configText + "http:\n  tokens:\n    \(tokenLine)\nstore:\n  url: \"\(url)\"\n")
                .write(toFile: scenario.config, atomically: true, encoding: .utf8)
            var daemons: [Daemon] = []
            for run in 1...3 {
                daemons.append(
                    try await Daemon.start(["--config", scenario.config, "--sensors", scenario.sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log")))
            }
            let logs = { daemons.map(\.log).joined(separator: "\n----\n") }
            /// The daemon whose pid `rule_leader.holder` names, and the term.
            let leader: @Sendable () async throws -> (pid: Int32, term: Int64)? = {
                guard let row = try await psql("SELECT term || ' ' || coalesce(holder, '') FROM rule_leader").first,
                    let pid = row.split(separator: ":").last.flatMap({ Int32($0) }), let term = row.split(separator: " ").first.flatMap({ Int64($0) })
                else { return nil }
                return (pid, term)
            }
            let pids = Set(daemons.map(\.process.processIdentifier))
            var first: (pid: Int32, term: Int64)?
            for _ in 0..<100 {
                if let l = try await leader(), pids.contains(l.pid) {
                    first = l
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let old = try #require(first, "\(logs())")

            // The WWTP's hours spread over the three daemons (each reading to the next one), the
            // paper mill's exceedance to a daemon, the coking outlet's first hours to another.
            var expected: [String: [Double]] = [S.wwtp.id: [], S.paperMill.id: [], S.coking.id: []]
            for (i, (h, v)) in [(12, 21.5), (11, 22.0), (10, 23.25), (9, 20.0), (8, 19.5), (7, 18.0)].enumerated() {
                #expect(try await scenario.send(daemons[i % 3], S.wwtp, [(h, v)]) == 1)
                expected[S.wwtp.id]!.append(v)
            }
            #expect(try await scenario.exceed(daemons[1], S.paperMill) == 1)  // 150, three hours ago
            #expect(try await scenario.send(daemons[2], S.coking, [(6, 30.0), (5, 31.0)]) == 2)
            expected[S.coking.id]! += [30, 31]
            let mill = S.paperMill.id
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: mill, "firing") } }, "\(logs())")

            // More readings to the leader, then SIGKILL it mid-run; the others keep taking readings.
            let victim = try #require(daemons.firstIndex { $0.process.processIdentifier == old.pid })
            #expect(try await scenario.send(daemons[victim], S.wwtp, [(6, 24.0), (5, 25.5)]) == 2)
            expected[S.wwtp.id]! += [24, 25.5]
            let killed = ContinuousClock.now
            #expect(await daemons[victim].stop(SIGKILL) == SIGKILL)
            let survivors = daemons.indices.filter { $0 != victim }.map { daemons[$0] }
            #expect(try await scenario.send(survivors[0], S.wwtp, [(4, 26.0)]) == 1)
            #expect(try await scenario.send(survivors[1], S.coking, [(4, 150.0)]) == 1)  // fires the coking outlet
            #expect(try await scenario.recover(survivors[0], S.paperMill) == 1)  // 40, two hours ago: resolves the mill
            expected[S.wwtp.id]! += [26]
            expected[S.coking.id]! += [150]
            expected[S.paperMill.id]! += [150, 40]

            // A new leader (another term) evaluates everything committed: the lag returns to 0.
            // The takeover, from the SIGKILL to a survivor leading with its cursor at the log's
            // head (the readings the survivors took meanwhile evaluated), within 10 s.
            let watch = PostgresTakeover(db: db)
            let taken = try await watch.takeover(from: .init(term: old.term, evaluatedSeq: 0, pid: old.pid, head: 0), since: killed)
            let caughtUp = taken != nil
            #expect(caughtUp, "\(logs())")
            if let taken {
                print("takeover after SIGKILL (three daemons, python field units): \(PostgresTakeover.seconds(taken.after)) s (term \(taken.row.term), through commit \(taken.row.evaluatedSeq))")
                #expect(taken.after < .seconds(10), "takeover took \(PostgresTakeover.seconds(taken.after)) s")
            }
            let now = try #require(try await leader())
            let newLeader = try #require(survivors.first { $0.process.processIdentifier == now.pid })
            // Its /metrics say so: leading in its term, evaluated through the last batch, no lag.
            let last = try #require(try await psql("SELECT max(seq) FROM commit_log").first.flatMap { Double($0) })
            var metrics = try await HTTPGet.get(port: newLeader.httpPort, "/metrics", token: secret)
            for _ in 0..<50 where metrics.sample("envmon_rule_evaluated_seq") != last {
                try await Task.sleep(for: .milliseconds(100))
                metrics = try await HTTPGet.get(port: newLeader.httpPort, "/metrics", token: secret)
            }
            #expect(metrics.sample("envmon_rule_leader{term=\"\(now.term)\"}") == 1, "\(metrics.body)")
            #expect(metrics.sample("envmon_rule_evaluated_seq") == last, "\(metrics.body)")
            #expect(metrics.sample("envmon_rule_lag") == 0, "\(metrics.body)")
            let follower = try #require(survivors.first { $0.process.processIdentifier != now.pid })
            let quiet = try await HTTPGet.get(port: follower.httpPort, "/metrics", token: secret)
            #expect(quiet.sample("envmon_rule_leader{term=\"\(now.term)\"}") == nil, "\(quiet.body)")
            #expect(quiet.sample("envmon_rule_readings_evaluated_total") ?? 0 == 0, "\(quiet.body)")

            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: mill, "resolved") } }, "\(logs())")
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: S.coking.id, "firing") } }, "\(logs())")
            for d in survivors { #expect(await d.stop() == 0, "\(d.log)") }

            // Every acknowledged reading is stored once, with its value.
            for (station, values) in expected {
                let stored = try await psql(
                    """
                    SELECT m.value FROM sample m JOIN series s ON s.id = m.series
                    WHERE s.station = '\(station)' AND s.parameter = 'COD' AND s.kind = 'hour' ORDER BY m.ts
                    """)
                #expect(stored.map { Double($0) } == values.map { Optional($0) }, "\(station)")
            }
            // Every alert transition recorded once: the mill fired and resolved, the coking
            // outlet fired, the WWTP never; no transition twice.
            let transitions = try await psql("SELECT station || ' ' || from_state || ' ' || to_state FROM alert_transition ORDER BY id")
            #expect(transitions.filter { $0.hasPrefix(mill) && $0.hasSuffix(" firing") }.count == 1, "\(transitions)")
            #expect(transitions.filter { $0.hasPrefix(mill) && $0.hasSuffix(" resolved") }.count == 1, "\(transitions)")
            #expect(transitions.filter { $0.hasPrefix(S.coking.id) && $0.hasSuffix(" firing") }.count == 1, "\(transitions)")
            #expect(!transitions.contains { $0.hasPrefix(S.wwtp.id) }, "\(transitions)")
            #expect(try await psql("SELECT count(*) FROM (SELECT 1 FROM alert_transition GROUP BY rule, station, parameter, sequence, to_state HAVING count(*) > 1) d") == ["0"])
            // Each notification reached the webhook once per idempotency key.
            let keys = hook.requests().filter(\.delivered).compactMap(\.idempotencyKey)
            #expect(!keys.isEmpty)
            #expect(Set(keys).count == keys.count, "\(keys)")
        }
    }
}
