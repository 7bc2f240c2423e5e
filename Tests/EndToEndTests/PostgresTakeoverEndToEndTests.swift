import EnvmonTesting
import Foundation
import Testing

extension NotifierScenario: @unchecked Sendable {}
extension WebhookReceiver: @unchecked Sendable {}

extension EndToEnd {
    /// Daemons on one PostgreSQL when one of them goes away: the rule leader killed while
    /// `envmon simulate` feeds all three, a daemon killed while it holds claimed deliveries, the
    /// leader stopped with SIGTERM. Each prints its takeover figure (`takeover after …: N s`).
    @Suite(.serialized) struct PostgresTakeoverEndToEndTests {
        let dir = TemporaryDirectory()
        typealias S = NotifierScenario

        /// The scenario's rule and a webhook, on `db`.
        private func makeScenario(_ db: TestDatabase, receivers: String, extra: String = "") throws -> S {
            let scenario = try S(dir, notify: S.notify(root: "duty", receivers: receivers, extra: extra))
            try (scenario.configText + "store:\n  url: \"\(db.url)\"\n").write(toFile: scenario.config, atomically: true, encoding: .utf8)
            return scenario
        }

        /// One acknowledged reading of an `--acked-log`.
        private struct Acked: Hashable {
            let key: String  // station|parameter|utc
            let value: Double
        }

        private func acked(_ path: String) throws -> [Acked] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
            return try text.split(separator: "\n").flatMap { line -> [Acked] in
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let station = try #require(o["station"] as? String)
                let utc = try #require(o["utc"] as? NSNumber).int64Value
                let values = try #require(o["values"] as? [String: Any])
                return try values.map { p, v in Acked(key: "\(station)|\(p)|\(utc)", value: try #require(v as? NSNumber).doubleValue) }
            }
        }

        /// Three daemons, each fed by its own `envmon simulate` (the same four made-up stations,
        /// each simulator an hour of its own, so that consecutive readings of a station reach
        /// all three daemons; an episode of COD ten times its level fires and resolves the
        /// wastewater outlet's rule in each hour). The leader is killed with SIGKILL mid-run.
        @Test(.timeLimit(.minutes(2))) func threeDaemonsFedByTheSimulatorSurviveTheLeadersSIGKILL() async throws {
            let db = try await TestDatabase.make()
            let watch = PostgresTakeover(db: db)
            let hook = try await OffPool.run { [path = dir.path] in try WebhookReceiver(.ok, in: path) }
            // A claim the victim held when it was killed is sent by another daemon once its lease
            // ends: 4 s here (2 minutes by default), so that the test can wait for every delivery.
            let scenario = try makeScenario(db, receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]", extra: "lease: 4s\n")
            let sensors = dir.file("sim-sensors")
            let written = try await Envmon.run(["simulate", "--write-sensors", sensors, "--stations", "4"])
            #expect(written.status == 0, "\(written.stderr)")
            var daemons: [Daemon] = []
            for run in 1...3 {
                daemons.append(
                    try await PostgresTakeover.start(
                        ["--config", scenario.config, "--sensors", sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log")))
            }
            let logs = { daemons.map(\.log).joined(separator: "\n----\n") }
            let first = try #require(try await watch.leader(among: Set(daemons.map(\.process.processIdentifier))), "\(logs())")
            let victim = try #require(daemons.firstIndex { $0.process.processIdentifier == first.pid })

            // Simulator k plays the hour that began 3 - k hours before this one, at 5 frames a
            // second per station (60 frames: 12 s), on daemon k's port.
            let format = DateFormatter()
            format.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
            format.timeZone = TimeZone(identifier: "Asia/Shanghai")
            format.locale = Locale(identifier: "en_US_POSIX")
            let hour = (Date().timeIntervalSince1970 / 3_600).rounded(.down) * 3_600
            let logsAcked = (0..<3).map { dir.file("acked\($0).jsonl") }
            let starts = (0..<3).map { k in format.string(from: Date(timeIntervalSince1970: hour - Double(3 - k) * 3_600)) }
            let run: @Sendable (Int, Int) async throws -> Envmon.Result = { k, port in
                try await Envmon.run([
                    "simulate", "--sensors", sensors, "--port", String(port), "--start", starts[k], "--count", "60", "--rate", "5",
                    "--window", "4", "--flags", "none", "--episode", "sim-0002:COD:+20m:10m:10", "--ack-timeout", "2s", "--max-resends", "3",
                    "--seed", "7", "--acked-log", logsAcked[k], "--format", "json",
                ])
            }
            let ports = daemons.map(\.port)
            async let sim0 = run(0, ports[0])
            async let sim1 = run(1, ports[1])
            async let sim2 = run(2, ports[2])

            // Mid-run: once the daemons hold 600 readings (of 3 × 60 × 20), the leader is killed.
            var midRun = false
            for _ in 0..<300 {
                if let n = try await db.psql("SELECT count(*) FROM sample WHERE kind = 1").split(separator: "\n").first.flatMap({ Int($0) }), n >= 600 {
                    midRun = true
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(midRun, "\(logs())")
            let killed = ContinuousClock.now
            #expect(try await PostgresTakeover.stop(daemons[victim], SIGKILL) == SIGKILL)
            let headAtKill = try #require(try await watch.row()).head
            // The takeover: a survivor leads and has evaluated every batch committed by the kill.
            let taken = try await watch.takeover(from: first, since: killed, through: headAtKill)
            #expect(taken != nil, "\(logs())")
            if let taken {
                print("takeover after SIGKILL (three daemons fed by envmon simulate): \(PostgresTakeover.seconds(taken.after)) s (term \(taken.row.term), commit \(taken.row.evaluatedSeq) ≥ \(headAtKill), the head at the kill)")
                #expect(taken.after < .seconds(10), "takeover took \(PostgresTakeover.seconds(taken.after)) s")
            }
            let results = try await [sim0, sim1, sim2]
            // The survivors' simulators had every frame acknowledged; the victim's gave the
            // unacknowledged rest up when its daemon was gone.
            for k in daemons.indices where k != victim {
                let r = results[k]
                let summary = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
                #expect(r.status == 0 && summary["acks"] as? Int == 240 && summary["given_up"] as? Int == 0, "\(r.stdout)\(r.stderr)")
            }
            #expect(results[victim].status == 1, "\(results[victim].stdout)\(results[victim].stderr)")
            // Everything committed is evaluated once the simulators are done.
            let caughtUp = try await watch.takeover(from: first, since: .now, limit: .seconds(20))
            #expect(caughtUp.map { $0.row.evaluatedSeq == $0.row.head } == true, "\(logs())")

            // Every acknowledged reading is stored, once (the key), with the value it was sent with.
            var sent: [String: Double] = [:]
            for path in logsAcked {
                for a in try acked(path) {
                    #expect(sent[a.key] == nil, "\(a.key) acknowledged twice")
                    sent[a.key] = a.value
                }
            }
            #expect(sent.count > 2 * 240 * 5, "\(sent.count) readings acknowledged")
            var stored: [String: Double] = [:]
            let rows = try await db.psql(
                "SELECT s.station || '|' || s.parameter || '|' || m.ts || '|' || m.value FROM sample m JOIN series s ON s.id = m.series WHERE m.kind = 1")
            for row in rows.split(separator: "\n") {
                let f = row.split(separator: "|").map(String.init)
                if f.count == 4 { stored["\(f[0])|\(f[1])|\(f[2])"] = Double(f[3]) }
            }
            let missing = sent.keys.filter { stored[$0] == nil }
            let differing = sent.filter { k, v in stored[k].map { $0 != v } ?? false }
            #expect(missing.isEmpty, "\(missing.count) acknowledged readings not stored, e.g. \(missing.prefix(3))")
            #expect(differing.isEmpty, "\(differing.count) stored with another value, e.g. \(differing.prefix(3).map { "\($0.key): sent \($0.value), stored \(stored[$0.key] ?? .nan)" })")

            // Every alert transition recorded once; the outlet's episode fired.
            #expect(try await db.psql("SELECT count(*) FROM (SELECT 1 FROM alert_transition GROUP BY rule, station, parameter, sequence, to_state HAVING count(*) > 1) d").hasPrefix("0"))
            let transitions = try await db.psql("SELECT station || ' ' || to_state FROM alert_transition").split(separator: "\n").map(String.init)
            #expect(transitions.contains("sim-0002 firing"), "\(transitions)")
            #expect(transitions.allSatisfy { $0.hasPrefix("sim-0002 ") }, "\(transitions)")
            #expect(await eventually(within: 15) { hook.requests().contains { $0.delivered && $0.has(station: "sim-0002", "firing") } }, "\(logs())")
            // Every notification in the outbox was routed and reached the webhook: none waits,
            // none is dead, none is held by the victim's claim.
            let undelivered = "SELECT (SELECT count(*) FROM alert_outbox WHERE routed_at IS NULL) + (SELECT count(*) FROM outbox_delivery WHERE state <> 'delivered')"
            var left = "?"
            let deadline = ContinuousClock.now + .seconds(20)
            while ContinuousClock.now < deadline {
                left = try await db.psql(undelivered).trimmingCharacters(in: .whitespacesAndNewlines)
                if left == "0" { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            let waiting = left == "0" ? "" : try await db.psql("SELECT receiver, state, attempts, claimant, last_error FROM outbox_delivery WHERE state <> 'delivered'")
            #expect(left == "0", "\(left) undelivered: \(waiting)\(logs())")
            let deliveries = try await db.psql("SELECT count(*) FROM outbox_delivery").trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(deliveries != "0")
            for (k, d) in daemons.enumerated() where k != victim { #expect(try await PostgresTakeover.stop(d) == 0, "\(d.log)") }
            // Each notification reached the webhook once per idempotency key.
            let keys = hook.requests().filter(\.delivered).compactMap(\.idempotencyKey)
            #expect(!keys.isEmpty && Set(keys).count == keys.count, "\(keys)")
        }

        /// A daemon killed while it sends: its claimed deliveries stall in a webhook that does not
        /// answer. Another daemon, which neither routed nor claimed them, sends each once its
        /// claim's lease (4 s here) ends, from its look at the outbox (every 5 s).
        @Test(.timeLimit(.minutes(2))) func deliveriesClaimedByAKilledDaemonAreSentByAnother() async throws {
            let db = try await TestDatabase.make()
            let watch = PostgresTakeover(db: db)
            let release = dir.file("release-webhook")
            let hook = try await OffPool.run { [path = dir.path] in try WebhookReceiver(.hangUntil(path: release), in: path) }
            let scenario = try makeScenario(
                db, receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\", timeout: 60s}]", extra: "lease: 4s\n")
            var daemons: [Daemon] = []
            for run in 1...2 {
                daemons.append(
                    try await PostgresTakeover.start(
                        ["--config", scenario.config, "--sensors", scenario.sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log")))
            }
            let logs = { daemons.map(\.log).joined(separator: "\n----\n") }
            let pids = Set(daemons.map(\.process.processIdentifier))
            let leader = try #require(try await watch.leader(among: pids), "\(logs())")
            let mill = S.paperMill.id
            let acked1 = try await scenario.exceed(daemons[0], S.paperMill)
            #expect(acked1 == 1)
            // The firing is routed and claimed, and its send hangs in the webhook.
            #expect(await eventually(within: 20) { hook.requests().contains { $0.has(station: mill, "firing") } }, "\(logs())")
            let claimant = try await db.psql("SELECT claimant FROM outbox_delivery WHERE state = 'waiting' AND claimant IS NOT NULL")
                .split(separator: "\n").first.flatMap { $0.split(separator: "-").last }.flatMap { Int32($0) }
            let holder = try #require(claimant.flatMap { c in daemons.firstIndex { $0.process.processIdentifier == c } }, "\(logs())")
            let killed = ContinuousClock.now
            #expect(try await PostgresTakeover.stop(daemons[holder], SIGKILL) == SIGKILL)
            _ = FileManager.default.createFile(atPath: release, contents: nil)
            let survivor = daemons[1 - holder]
            var sentAfter: Duration?
            for _ in 0..<300 where sentAfter == nil {
                if hook.requests().contains(where: { $0.delivered && $0.has(station: mill, "firing") }) { sentAfter = killed.duration(to: .now) }
                try await Task.sleep(for: .milliseconds(100))
            }
            let after = try #require(sentAfter, "\(logs())")
            print("claimed deliveries of a SIGKILLed daemon sent by another after \(PostgresTakeover.seconds(after)) s (lease 4 s, the outbox looked at every 5 s; the killed daemon was \(leader.pid == claimant ? "the rule leader" : "a follower"))")
            #expect(after < .seconds(4 + 5 + 5), "sent \(PostgresTakeover.seconds(after)) s after the kill")
            #expect(try await PostgresTakeover.stop(survivor) == 0, "\(survivor.log)")
            // Once per idempotency key: the hung request's key, delivered once, by the survivor.
            let requests = hook.requests().filter { $0.has(station: mill, "firing") }
            let delivered = requests.filter(\.delivered).compactMap(\.idempotencyKey)
            #expect(delivered.count == 1, "\(requests.map { "\($0.idempotencyKey ?? "-") \($0.answer.map(String.init) ?? "hang")" })")
            #expect(Set(requests.compactMap(\.idempotencyKey)) == Set(delivered))
            #expect(try await db.psql("SELECT state || ' ' || coalesce(claimant, '-') FROM outbox_delivery").split(separator: "\n").map(String.init) == ["delivered -"])
        }

        /// A leader stopped with SIGTERM evaluates what is committed, gives the lock up and
        /// exits 0; the other daemon takes over where it stopped, at once.
        @Test(.timeLimit(.minutes(2))) func theLeaderHandsOverOnSIGTERM() async throws {
            let db = try await TestDatabase.make()
            let watch = PostgresTakeover(db: db)
            let hook = try await OffPool.run { [path = dir.path] in try WebhookReceiver(.ok, in: path) }
            let scenario = try makeScenario(db, receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]")
            var daemons: [Daemon] = []
            for run in 1...2 {
                daemons.append(
                    try await PostgresTakeover.start(
                        ["--config", scenario.config, "--sensors", scenario.sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log")))
            }
            let logs = { daemons.map(\.log).joined(separator: "\n----\n") }
            let first = try #require(try await watch.leader(among: Set(daemons.map(\.process.processIdentifier))), "\(logs())")
            let old = try #require(daemons.firstIndex { $0.process.processIdentifier == first.pid })
            let other = daemons[1 - old]
            let mill = S.paperMill.id
            // Readings to both, the exceedance to the leader just before it is stopped.
            let acked2 = try await scenario.send(daemons[1 - old], S.wwtp, [(9, 20), (8, 21)])
            #expect(acked2 == 2)
            let acked3 = try await scenario.exceed(daemons[old], S.paperMill)
            #expect(acked3 == 1)
            let stopped = ContinuousClock.now
            #expect(try await PostgresTakeover.stop(daemons[old]) == 0, "\(daemons[old].log)")
            let taken = try await watch.takeover(from: first, since: stopped)
            #expect(taken?.row.pid == other.process.processIdentifier, "\(logs())")
            if let taken {
                print("takeover after the leader's SIGTERM: \(PostgresTakeover.seconds(taken.after)) s from the signal (the old leader's exit included; term \(taken.row.term), through commit \(taken.row.evaluatedSeq))")
                #expect(taken.after < .seconds(10), "takeover took \(PostgresTakeover.seconds(taken.after)) s")
            }
            // The old leader evaluated everything committed before it let go; the new one
            // started from there.
            let head = try #require(try await watch.row()).head
            #expect(daemons[old].log.contains("evaluated through commit \(head) of \(head)"), "\(daemons[old].log)")
            #expect(other.log.contains("evaluating the commit log after \(head)"), "\(other.log)")
            #expect(await eventually(within: 15) { hook.requests().contains { $0.delivered && $0.has(station: mill, "firing") } }, "\(logs())")
            #expect(try await PostgresTakeover.stop(other) == 0, "\(other.log)")
            let transitions = try await db.psql("SELECT station || ' ' || to_state FROM alert_transition").split(separator: "\n").map(String.init)
            #expect(transitions == ["\(mill) firing"], "\(transitions)")
            let keys = hook.requests().filter(\.delivered).compactMap(\.idempotencyKey)
            #expect(keys.count == 1, "\(keys)")
        }

        /// A leader frozen (SIGSTOP: alive, its connections open, silent) loses the lock when the
        /// server ends its silent session (`idle_session_timeout` 15 s); the other daemon takes
        /// over, and the old one, resumed, finds it no longer leads and records nothing.
        @Test(.timeLimit(.minutes(2))) func aFrozenLeaderLosesTheLockWhenItsSessionTimesOut() async throws {
            let db = try await TestDatabase.make()
            let watch = PostgresTakeover(db: db)
            let hook = try await OffPool.run { [path = dir.path] in try WebhookReceiver(.ok, in: path) }
            let scenario = try makeScenario(db, receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]")
            var daemons: [Daemon] = []
            for run in 1...2 {
                daemons.append(
                    try await PostgresTakeover.start(
                        ["--config", scenario.config, "--sensors", scenario.sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log")))
            }
            let logs = { daemons.map(\.log).joined(separator: "\n----\n") }
            let first = try #require(try await watch.leader(among: Set(daemons.map(\.process.processIdentifier))), "\(logs())")
            let old = try #require(daemons.firstIndex { $0.process.processIdentifier == first.pid })
            let other = daemons[1 - old]
            let frozen = ContinuousClock.now
            kill(daemons[old].process.processIdentifier, SIGSTOP)
            let acked4 = try await scenario.exceed(daemons[1 - old], S.paperMill)
            #expect(acked4 == 1)
            let taken = try await watch.takeover(from: first, since: frozen, limit: .seconds(45))
            kill(daemons[old].process.processIdentifier, SIGCONT)
            #expect(taken?.row.pid == other.process.processIdentifier, "\(logs())")
            if let taken {
                print("takeover from a frozen (SIGSTOP) leader: \(PostgresTakeover.seconds(taken.after)) s (idle_session_timeout 15 s; term \(taken.row.term))")
                #expect(taken.after < .seconds(15 + 10), "takeover took \(PostgresTakeover.seconds(taken.after)) s")
            }
            let mill = S.paperMill.id
            #expect(await eventually(within: 15) { hook.requests().contains { $0.delivered && $0.has(station: mill, "firing") } }, "\(logs())")
            // Resumed, the old leader learns it lost the lock, and leads no more.
            #expect(await eventually(within: 15) { daemons[old].log.contains("rules: no longer leading (term \(first.term))") }, "\(daemons[old].log)")
            let acked5 = try await scenario.recover(daemons[old], S.paperMill)
            #expect(acked5 == 1)
            #expect(await eventually(within: 15) { hook.requests().contains { $0.delivered && $0.has(station: mill, "resolved") } }, "\(logs())")
            for d in daemons { #expect(try await PostgresTakeover.stop(d) == 0, "\(d.log)") }
            let transitions = try await db.psql("SELECT station || ' ' || to_state FROM alert_transition ORDER BY id").split(separator: "\n").map(String.init)
            #expect(transitions == ["\(mill) firing", "\(mill) resolved"], "\(transitions)")
            let keys = hook.requests().filter(\.delivered).compactMap(\.idempotencyKey)
            #expect(keys.count == 2 && Set(keys).count == 2, "\(keys)")
        }
    }
}
