import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The daemon's HTTP listener, asked over loopback: health, readiness and the metrics of what
    /// a python3 field unit sent.
    @Suite(.serialized) struct HTTPEndToEndTests {
        let dir = TemporaryDirectory("envmon-http")
        static let mill = (mn: "371499320150002000000201", pw: "qh3202")

        func sensors() throws -> String {
            let folder = dir.file("sensors")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/qinghe-paper-mill-outlet.yaml", toPath: folder + "/paper.yaml")
            return folder
        }

        /// Sends, on one connection: a frame with a wrong CRC (no reply), three hourly frames of COD
        /// and NH3-N, and one whose COD is far outside the instrument's range; returns how many
        /// were acknowledged.
        func send(_ port: Int) async throws -> Int {
            let code = """
                import datetime, socket, sys
                from hj212 import frame
                port, mn, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                # Yesterday at the plant (Beijing time): inside the daemon's default max_past whenever the test runs.
                day = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) - datetime.timedelta(days=1)).strftime("%Y%m%d")
                def seg(h, cod):
                    return "QN=%s%02d0000000;ST=32;CN=2061;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s%02d0000;w01018-Avg=%s;w21003-Avg=1.5&&" % (day, h, pw, mn, day, h, cod)
                s = socket.create_connection(("127.0.0.1", port)); s.settimeout(5)
                s.sendall(frame(seg(8, "20.5"), crc_override="0000"))
                acked = 0
                for h, cod in [(9, "21.5"), (10, "22.5"), (11, "23.5"), (12, "1000000000")]:
                    s.sendall(frame(seg(h, cod)))
                    if b"CN=9014" in s.recv(4096): acked += 1
                print(acked)
                """
            return Int(try await Python.run(code, [String(port), Self.mill.mn, Self.mill.pw])) ?? -1
        }

        @Test func healthReadinessAndMetricsOfARunningDaemon() async throws {
            let daemon = try await Daemon.start(["--db", dir.file("store.sqlite"), "--sensors", try sensors()], logPath: dir.file("serve.log"))

            let health = try await HTTPGet.get(port: daemon.httpPort, "/healthz")
            #expect(health.status == 200)
            #expect(health.body == "ok\n")
            let ready = try await HTTPGet.get(port: daemon.httpPort, "/readyz")
            #expect(ready.status == 200)
            #expect(ready.body.contains(#"{"name":"store","status":"ok"}"#), "\(ready.body)")
            #expect(ready.body.contains(#"{"name":"hj212","status":"ok"}"#), "\(ready.body)")

            #expect(try await send(daemon.port) == 4)
            // The rules see a batch after its commit, and the connection's close reaches the
            // server after the unit has gone: asked again until both are counted (at most 10 s).
            let token = Daemon.localToken(store: dir.file("store.sqlite"))
            #expect(try await HTTPGet.get(port: daemon.httpPort, "/metrics").status == 401)
            var metrics = try await HTTPGet.get(port: daemon.httpPort, "/metrics", token: token)
            for _ in 0..<100 where metrics.sample("envmon_rule_readings_evaluated_total") != 7 || metrics.sample("envmon_hj212_connections") != 0 {
                try await Task.sleep(for: .milliseconds(100))
                metrics = try await HTTPGet.get(port: daemon.httpPort, "/metrics", token: token)
            }
            #expect(metrics.status == 200)
            #expect(metrics.contentType == "text/plain; version=0.0.4; charset=utf-8")
            // Three frames of two readings, and the NH3-N of the fourth.
            #expect(metrics.sample(#"envmon_readings_ingested_total{source="hj212"}"#) == 7, "\(metrics.body)")
            #expect(metrics.sample(#"envmon_hj212_frames_total{result="accepted"}"#) == 4)
            #expect(metrics.sample(#"envmon_hj212_frames_total{result="bad_crc"}"#) == 1)
            #expect(metrics.sample(#"envmon_readings_rejected_total{reason="bad_crc"}"#) == 2)
            #expect(metrics.sample(#"envmon_readings_rejected_total{reason="out_of_range"}"#) == 1)
            #expect(metrics.sample(#"envmon_readings_rejected_total{reason="bad_password"}"#) == 0)
            #expect(metrics.sample("envmon_hj212_connections") == 0)
            #expect((metrics.sample(#"envmon_writer_commits_total{result="ok"}"#) ?? 0) >= 1)
            #expect((metrics.sample("envmon_writer_commit_duration_seconds_count") ?? 0) >= 1)
            #expect((metrics.sample("envmon_rule_readings_evaluated_total") ?? 0) == 7)
            #expect(metrics.body.contains("# TYPE envmon_alerts gauge"))
            // The daemon's own acknowledgement latency: one observation per acknowledged frame
            // whose readings were committed, in the fine buckets around the 50 ms goal.
            #expect(metrics.sample("envmon_hj212_ack_duration_seconds_count") == 4)
            #expect(metrics.sample(#"envmon_hj212_ack_duration_seconds_bucket{le="0.05"}"#) != nil, "\(metrics.body)")
            #expect(metrics.sample(#"envmon_hj212_ack_duration_seconds_bucket{le="+Inf"}"#) == 4)

            #expect(await daemon.stop() == 0, "\(daemon.log)")
        }

        /// Readiness names the store once its file is deleted. The daemon stops with exit 3 at
        /// the next check of its store-file watch (within a second), so /readyz is asked at once;
        /// should the watch win the race, the listener may already be gone, and only the exit is
        /// checked.
        @Test func readinessNamesTheStoreWhenItsFileIsDeleted() async throws {
            let db = dir.file("lost.sqlite")
            let daemon = try await Daemon.start(["--db", db, "--sensors", try sensors()], logPath: dir.file("lost.log"))
            try FileManager.default.removeItem(atPath: db)
            if let reply = try? await HTTPGet.get(port: daemon.httpPort, "/readyz") {
                #expect(reply.status == 503)
                #expect(reply.body.contains(#""failing":["store"]"#), "\(reply.body)")
            }
            try await OffPool.run { daemon.process.waitUntilExit() }
            #expect(daemon.process.terminationStatus == 3, "\(daemon.log)")
        }
    }
}
