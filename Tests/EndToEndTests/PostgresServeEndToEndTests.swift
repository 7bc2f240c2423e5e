import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon serve` with `store: {url: …}`: the daemon on a real PostgreSQL (the tests' own
    /// server). HJ 212 frames come in over TCP; what is acknowledged is in the database; an
    /// outlet's exceedance reaches a webhook; SIGTERM ends it with 0; a restart on the same
    /// database keeps the alert state (the firing alert resolves, it does not fire again).
    @Suite(.serialized) struct PostgresServeEndToEndTests {
        let dir = TemporaryDirectory()
        typealias S = NotifierScenario

        /// The scenario's config with the store on `url`; the daemon gets no `--db`.
        func start(_ scenario: S, run: Int) async throws -> Daemon {
            try await Daemon.start(["--config", scenario.config, "--sensors", scenario.sensors, "--rules", scenario.rules], logPath: dir.file("serve\(run).log"))
        }

        @Test func theDaemonOnPostgreSQLStoresWhatItAcknowledgesAlertsAndKeepsItsStateOverARestart() async throws {
            let db = try await TestDatabase.make()
            let url = db.url
            let psql: @Sendable (String) async throws -> [String] = { sql in try await db.psql(sql).split(separator: "\n").map(String.init) }
            let hook = try WebhookReceiver(.ok, in: dir.path)
            let scenario = try S(dir, notify: S.notify(root: "duty", receivers: "- name: duty\n  webhook_configs: [{url: \"\(hook.url())\"}]"))
            try (scenario.configText + "store:\n  url: \"\(url)\"\n").write(toFile: scenario.config, atomically: true, encoding: .utf8)

            let daemon = try await start(scenario, run: 1)
            #expect(daemon.log.contains("store postgres://envmon@127.0.0.1:\(db.server.port)/\(db.name)?sslmode=disable"), "\(daemon.log)")
            let ready = try await HTTPGet.get(port: daemon.httpPort, "/readyz")
            #expect(ready.status == 200, "\(ready.body)")
            #expect(ready.body.contains(#"{"name":"store","status":"ok"}"#), "\(ready.body)")

            // Six hours of the WWTP's COD, under the limit, and the paper mill above it.
            let wwtp = [(8, 21.5), (7, 22.0), (6, 23.25), (5, 20.0), (4, 19.5), (3, 18.0)]
            #expect(try await scenario.send(daemon, S.wwtp, wwtp) == 6)
            #expect(try await scenario.exceed(daemon, S.paperMill) == 1)
            let mill = S.paperMill.id
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: mill, "firing") } }, "\(daemon.log)")
            #expect(!hook.requests().contains { $0.has(station: S.wwtp.id, "firing") })
            #expect(await daemon.stop() == 0, "\(daemon.log)")
            #expect(daemon.log.contains("stopped; every acknowledged reading is committed"), "\(daemon.log)")

            // Every acknowledged reading is in the database, once, with its value.
            let cod = """
                SELECT m.value FROM sample m JOIN series s ON s.id = m.series
                WHERE s.station = '%@' AND s.parameter = 'COD' AND s.kind = 'hour' ORDER BY m.ts
                """
            #expect(try await psql(cod.replacingOccurrences(of: "%@", with: S.wwtp.id)) == ["21.5", "22", "23.25", "20", "19.5", "18"])
            #expect(try await psql(cod.replacingOccurrences(of: "%@", with: mill)) == ["150"])
            #expect(try await psql("SELECT state FROM alert_instance WHERE rule = '\(S.rule)' AND station = '\(mill)'") == ["firing"])
            // No store file: nothing SQLite was made.
            #expect(!FileManager.default.fileExists(atPath: scenario.db))

            // A restart on the same database: the alert is still firing, so it is not sent again,
            // and a reading under the clear level resolves it.
            let again = try await start(scenario, run: 2)
            #expect(try await scenario.recover(again, S.paperMill) == 1)
            #expect(await eventually(within: 10) { hook.requests().contains { $0.delivered && $0.has(station: mill, "resolved") } }, "\(again.log)")
            #expect(hook.requests().filter { $0.has(station: mill, "firing") }.count == 1)
            #expect(await again.stop() == 0, "\(again.log)")
            #expect(try await psql("SELECT state FROM alert_instance WHERE rule = '\(S.rule)' AND station = '\(mill)'") != ["firing"])
            #expect(try await psql(cod.replacingOccurrences(of: "%@", with: mill)) == ["150", "40"])
        }
        /// With several daemons behind a load balancer, readiness is how units are sent away from
        /// one that cannot store: `/readyz` fails naming the store while its database does not
        /// answer (the check's 2 s timeout at most), and SIGTERM still ends the daemon with 0.
        @Test func readinessFailsNamingTheStoreWhileTheDatabaseDoesNotAnswer() async throws {
            // Its own server, stopped halfway: not the one the other tests share.
            let server = try await OffPool.run { try PostgresServer() }
            defer { server.stop() }
            let url = try await OffPool.run { try server.createDatabase() }
            let scenario = try S(dir, notify: nil)
            try (scenario.configText + "store:\n  url: \"\(url)\"\n").write(toFile: scenario.config, atomically: true, encoding: .utf8)
            let daemon = try await start(scenario, run: 3)
            let ready = try await HTTPGet.get(port: daemon.httpPort, "/readyz")
            #expect(ready.status == 200, "\(ready.body)")

            try await OffPool.run { server.stop() }
            var reply = try await HTTPGet.get(port: daemon.httpPort, "/readyz")
            for _ in 0..<50 where reply.status == 200 {
                try await Task.sleep(for: .milliseconds(200))
                reply = try await HTTPGet.get(port: daemon.httpPort, "/readyz")
            }
            #expect(reply.status == 503, "\(reply.body)")
            #expect(reply.body.contains(#""failing":["store"]"#), "\(reply.body)")
            #expect(await daemon.stop() == 0, "\(daemon.log)")
        }
    }
}
