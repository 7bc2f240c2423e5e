import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon serve` against a field unit written in python3 (Tests/scripts/hj212_client.py), which
    /// builds its frames and the replies it expects with its own CRC: valid, invalid and split frames,
    /// the replies byte for byte, and what ends up in the store.
    @Suite(.serialized) struct HJ212ServerTests {
        let dir = TemporaryDirectory()

        /// sensors/ plus the station of the IceCoffee vector, whose 9014 reply hj212.md §6 gives.
        func sensors() throws -> String {
            let folder = dir.file("sensors")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: Envmon.root + "/sensors") where name.hasSuffix(".yaml") {
                try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/" + name, toPath: folder + "/" + name)
            }
            _ = dir.write(
                "sensors/icecoffee.yaml",
                """
                id: icecoffee-air
                name: IceCoffee demo air station
                kind: ambient-air
                time_zone: Asia/Shanghai
                interval: 1h
                hj212: {mn: "Z13401000010301", password: "BF470F88957588DE902D1A52"}
                parameters:
                  PM2.5: {}
                  PM10: {}

                """)
            return folder
        }

        func query(_ db: String, _ parameter: String, kind: String) async throws -> [String] {
            let r = try await Envmon.run([
                "query", "--db", db, "--station", "qinghe-wwtp-outlet", "--parameter", parameter, "--kind", kind,
                "--from", "2026-11-24T00:00:00+08:00", "--to", "2026-11-25T00:00:00+08:00", "--format", "csv",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            return Array(r.stdout.split(separator: "\n").dropFirst().map(String.init))
        }

        @Test func pythonFieldUnitGetsTheRightRepliesAndTheRightDataIsStored() async throws {
            let db = dir.file("store.sqlite")
            // The IceCoffee vector is dated 2019: the horizon for late data must reach back to it.
            let config = dir.write("envmon.yaml", "hj212:\n  max_past: 4000d\n")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", try sensors()], logPath: dir.file("serve.log"))

            let (status, output) = try await Python.script(
                Envmon.root + "/Tests/scripts/hj212_client.py", [String(daemon.port), Envmon.sharedData + "/hj212-vectors.tsv"])
            #expect(status == 0)

            let result = try JSONSerialization.jsonObject(with: output) as? [String: Any]
            let steps = result?["steps"] as? [[String: Any]] ?? []
            #expect(steps.count == 15)
            for step in steps {
                let name = step["name"] as? String ?? "?"
                let received = step["received"] as? [String] ?? []
                let expected = step["expected"] as? [String] ?? []
                #expect(received == expected, "step \(name)")
            }
            #expect((result?["over_long_frame_bytes"] as? Int ?? 0) > 1_024 + 12)

            #expect(await daemon.stop() == 0, "\(daemon.log)")

            // Hour averages of COD (w01018, and 011 in the 2005 frame): not the bad-CRC, wrong-password,
            // unknown-MN or out-of-range values; the re-send stored once; the sender's flag kept.
            let codHours = try await query(db, "COD", kind: "hour")
            #expect(
                codHours == [
                    "2026-11-24T09:00:00+08:00,23.5,N", "2026-11-24T12:00:00+08:00,12,N", "2026-11-24T13:00:00+08:00,13,N",
                    "2026-11-24T14:00:00+08:00,14,M", "2026-11-24T15:00:00+08:00,15,N", "2026-11-24T17:00:00+08:00,17,N",
                    "2026-11-24T18:00:00+08:00,18,N",
                ])
            let nh3NHours = try await query(db, "NH3-N", kind: "hour")
            #expect(
                nh3NHours == [
                    "2026-11-24T09:00:00+08:00,1.25,N", "2026-11-24T15:00:00+08:00,1.5,N", "2026-11-24T16:00:00+08:00,1.6,N",
                ])
            let codRealtime = try await query(db, "COD", kind: "realtime")
            #expect(codRealtime == ["2026-11-24T09:30:00+08:00,31,N"])

            // Every failure is counted and logged once with its peer and reason.
            let log = daemon.log
            #expect(log.contains("hj212 qinghe-wwtp-outlet: frames "))
            #expect(log.contains("bad CRC 1"))
            #expect(log.contains("wrong password"))
            #expect(log.contains("unknown MN 999999999999999999999999"))
            #expect(log.contains("outside the instrument range"))
            #expect(log.contains("127.0.0.1:"))
        }

        @Test func sigtermStopsAcceptingAndExitsZero() async throws {
            let daemon = try await Daemon.start(["--db", dir.file("s.sqlite"), "--sensors", try sensors()], logPath: dir.file("serve.log"))
            let port = daemon.port
            #expect(await daemon.stop(SIGTERM) == 0)
            #expect(daemon.log.contains("stopped; every acknowledged reading is committed"))
            // Nothing listens any more.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            #expect(rc != 0)
        }

        @Test func configErrorsNameFileLineAndColumn() async throws {
            let config = dir.write("envmon.yaml", "store:\n  max_delay: soon\nhj212:\n  unknown_mn: maybe\n  colour: blue\n")
            let r = try await Envmon.run(["serve", "--config", config])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(config):2:14: expected a duration"))
            #expect(r.stderr.contains("\(config):4:15: expected one of: reject, quarantine"))
            #expect(r.stderr.contains("\(config):5:3: unknown key 'colour' in hj212"))
        }

        @Test func anUnknownSectionNamesEveryKnownOne() async throws {
            let config = dir.write("sections.yaml", "rule:\n  path: rules\n")
            let r = try await Envmon.run(["serve", "--config", config])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(config):1:1: unknown section 'rule' (store, sensors, hj212, rules, log, http, notify, reports, mqtt, dashboard)"), "\(r.stderr)")
        }

        @Test func openDashboardPagesNeedALoopbackListener() async throws {
            let config = dir.write("open.yaml", "http:\n  host: 0.0.0.0\ndashboard:\n  open: true\n")
            let r = try await Envmon.run(["serve", "--config", config])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(config):4:9: dashboard.open: true needs http.host on loopback"), "\(r.stderr)")
        }
    }
}

extension EndToEnd {
    /// The server's limits and policies, set in a config file.
    @Suite struct HJ212ServerPolicyTests {
        let dir = TemporaryDirectory()

        func python(_ code: String, port: Int, _ arguments: String...) async throws -> String {
            try await Python.run(code, [String(port)] + arguments)
        }

        @Test func sighupReloadsSensorsAndKeepsThemWhenTheFolderHasErrors() async throws {
            let sensors = dir.file("sensors")
            try FileManager.default.createDirectory(atPath: sensors, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/qinghe-wwtp-outlet.yaml", toPath: sensors + "/wwtp.yaml")
            let daemon = try await Daemon.start(["--db", dir.file("s.sqlite"), "--sensors", sensors], logPath: dir.file("serve.log"))
            // Sends one hourly frame of the paper mill and prints its reply, or "none" after 1.5 s.
            let send = """
                import datetime, socket, sys
                from hj212 import frame
                # Yesterday at the mill (Beijing time): inside the daemon's default max_past whenever the test runs.
                day = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) - datetime.timedelta(days=1)).strftime("%Y%m%d")
                seg = "QN=%s100000%s;ST=32;CN=2061;PW=qh3202;MN=371499320150002000000201;Flag=5;CP=&&DataTime=%s090000;w01018-Avg=40.5&&" % (day, sys.argv[2], day)
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(1.5)
                s.sendall(frame(seg))
                try:
                    print("reply" if s.recv(4096).startswith(b"##") else "none")
                except socket.timeout:
                    print("none")
                """
            func frame(_ qn: String) async throws -> String { try await python(send, port: daemon.port, qn) }
            func reload(expecting text: String) async throws {
                kill(daemon.process.processIdentifier, SIGHUP)
                for _ in 0..<100 where !daemon.log.contains(text) { try await Task.sleep(for: .milliseconds(20)) }
                #expect(daemon.log.contains(text))
            }

            #expect(try await frame("001") == "none")  // the paper mill is not in the folder yet
            try FileManager.default.copyItem(
                atPath: Envmon.root + "/sensors/qinghe-paper-mill-outlet.yaml", toPath: sensors + "/paper.yaml")
            try await reload(expecting: "sensors reloaded: 2 stations")
            #expect(try await frame("002") == "reply")

            // A broken file: the reload is refused with file and line, and the stations in use stay.
            _ = dir.write("sensors/broken.yaml", "id: x\nname: X\nkind: stack\nparameters:\n  SO3: {}\n")
            try await reload(expecting: "sensors not reloaded")
            #expect(daemon.log.contains("broken.yaml:5:3: unknown parameter 'SO3'"))
            #expect(try await frame("003") == "reply")
            #expect(await daemon.stop() == 0)
        }

        @Test func connectionLimitIdleTimeoutAndQuarantine() async throws {
            let quarantine = dir.file("quarantine.log")
            let config = dir.write(
                "envmon.yaml",
                """
                hj212:
                  max_connections_per_address: 2
                  idle_timeout: 1s
                  unknown_mn: quarantine
                  quarantine_file: \(quarantine)
                log:
                  stats_interval: 0

                """)
            let daemon = try await Daemon.start(["--config", config, "--db", dir.file("s.sqlite"), "--sensors", "sensors"], logPath: dir.file("serve.log"))

            // Three connections from one address: the third is closed at once (EOF), the first two stay.
            let limits = try await python(
                """
                import socket, sys, time
                port = int(sys.argv[1])
                t0 = time.time()
                socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(3)]
                time.sleep(0.2)
                out = []
                for s in socks:
                    s.settimeout(0.1)
                    try:
                        out.append("closed" if s.recv(10) == b"" else "data")
                    except socket.timeout:
                        out.append("open")
                # An idle connection is closed by the server after idle_timeout (1 s).
                s = socks[0]
                s.settimeout(5)
                closed = s.recv(10) == b""
                out.append("idle-closed-after-%.0fs" % (time.time() - t0) if closed else "idle-open")
                print(",".join(out))
                """, port: daemon.port)
            #expect(limits == "open,open,closed,idle-closed-after-1s")

            // A frame from an unknown MN is kept, acknowledged, and readable by `hj212 decode`.
            let reply = try await python(
                """
                import socket, sys
                from hj212 import frame
                seg = "QN=20261124100000099;ST=32;CN=2061;PW=x;MN=UNKNOWN0001;Flag=5;CP=&&DataTime=20261124090000;w01018-Avg=1.5&&"
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(5); s.sendall(frame(seg))
                print(s.recv(4096).decode().strip())
                """, port: daemon.port)
            #expect(reply.hasPrefix("##0069QN=20261124100000099;ST=91;CN=9014;PW=x;MN=UNKNOWN0001;Flag=4;CP=&&&&"))
            #expect(await daemon.stop() == 0)
            let decoded = try await Envmon.run(["hj212", "decode", "--escaped", quarantine])
            #expect(decoded.stdout.contains("\"mn\":\"UNKNOWN0001\""))
            #expect(decoded.stdout.contains("\"crc_ok\":true"))
            let log = daemon.log
            #expect(log.contains("refused a connection from 127.0.0.1: connection limit"))
            #expect(log.contains("idle for 1 s"))
            #expect(log.contains("quarantined 1"))
        }

        /// Sends the paper mill's hourly COD: three frames dated 1970-01-01 (its clock reset), then
        /// one of the last hour. Prints the QNs of the replies, in order, as they come within 3 s.
        static let clockResetFrames = """
            import socket, sys, time
            from hj212 import frame
            def seg(qn, dt, v):
                return "QN=%s;ST=32;CN=2061;PW=qh3202;MN=371499320150002000000201;Flag=5;CP=&&DataTime=%s;w01018-Avg=%s&&" % (qn, dt, v)
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(3)
            for i in range(3):
                s.sendall(frame(seg("2026120600000000%d" % i, "19700101080000", "41.5")))
            s.sendall(frame(seg("20261206000000009", time.strftime("%Y%m%d%H0000", time.gmtime(time.time() + 7 * 3600)), "42.5")))
            buf = b""
            try:
                while b"20261206000000009" not in buf:
                    data = s.recv(4096)
                    if not data: break
                    buf += data
            except socket.timeout:
                pass
            print(",".join(r.split(";")[0].split("QN=")[-1] for r in buf.decode().split("\\r\\n") if r))
            """

        /// The paper mill's COD hour values, as `envmon query` prints them (CSV rows), over all time.
        func paperMillHours(_ db: String) async throws -> [String] {
            let r = try await Envmon.run([
                "query", "--db", db, "--sensors", "sensors", "--station", "qinghe-paper-mill-outlet", "--parameter", "COD", "--kind", "hour",
                "--from", "1969-12-31T00:00:00+08:00", "--to", "2100-01-01T00:00:00+08:00", "--format", "csv",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            return Array(r.stdout.split(separator: "\n").dropFirst().map(String.init))
        }

        @Test func aFrameDated1970IsNeitherAcknowledgedNorStoredAndRaisesTheClockAlert() async throws {
            let db = dir.file("clock.sqlite")
            let config = dir.write("clock.yaml", "rules:\n  tick: 100ms\nlog:\n  stats_interval: 0\n")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", "sensors"], logPath: dir.file("clock.log"))
            // Only the frame of the last hour is answered (bad_time: reject is the default).
            #expect(try await python(Self.clockResetFrames, port: daemon.port) == "20261206000000009")
            // The shipped rule station-clock (rules/completeness.yaml): three faults within 6 h.
            for _ in 0..<200 where !daemon.log.contains("station-clock") { try await Task.sleep(for: .milliseconds(25)) }
            #expect(await daemon.stop() == 0)
            let log = daemon.log
            #expect(log.contains("DataTime 19700101080000 is "), "\(log)")
            #expect(log.contains("behind the collector's clock (max_past 400 days)"))
            #expect(log.contains("alert station-clock{station=qinghe-paper-mill-outlet,parameter=*}: inactive → firing"))
            // The station's clock-fault count in its figures (the stats line at shutdown).
            #expect(log.contains("rejected 3, clock faults 3 (last DataTime 19700101080000), quarantined 0"))
            let hours = try await paperMillHours(db)
            #expect(hours.count == 1 && hours.allSatisfy { $0.hasPrefix("20") && $0.hasSuffix(",42.5,N") }, "\(hours)")
            let alerts = try await Envmon.run(["alerts", "--db", db, "--sensors", "sensors", "--format", "json"])
            #expect(alerts.stdout.contains("station-clock") && alerts.stdout.contains("firing"), "\(alerts.stdout)")
        }

        @Test func underBadTimeQuarantineA1970FrameIsKeptAndAcknowledgedNotStored() async throws {
            let db = dir.file("q.sqlite")
            let quarantine = dir.file("clock-quarantine.log")
            let config = dir.write("q.yaml", "hj212:\n  bad_time: quarantine\n  quarantine_file: \(quarantine)\nlog:\n  stats_interval: 0\n")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", "sensors"], logPath: dir.file("q.log"))
            #expect(
                try await python(Self.clockResetFrames, port: daemon.port) == "20261206000000000,20261206000000001,20261206000000002,20261206000000009")
            #expect(await daemon.stop() == 0)
            #expect(daemon.log.contains("clock faults 3 (last DataTime 19700101080000), quarantined 3"), "\(daemon.log)")
            let kept = try await Envmon.run(["hj212", "decode", "--escaped", quarantine])
            #expect(kept.stdout.split(separator: "\n").count == 3)
            #expect(kept.stdout.contains("\"data_time\":\"1970-01-01T08:00:00\""))
            let hours = try await paperMillHours(db)
            #expect(hours.count == 1)
        }

        /// One address flooding the quarantine: a burst, then its rate; the file rotated at its cap.
        @Test func theQuarantineIsBoundedInSizeAndPerAddress() async throws {
            let quarantine = dir.file("flood.log")
            let config = dir.write(
                "flood.yaml",
                "hj212:\n  unknown_mn: quarantine\n  quarantine_file: \(quarantine)\n  quarantine_max_bytes: 64KiB\n  quarantine_burst: 400\n  quarantine_rate: 1\nlog:\n  stats_interval: 0\n"
            )
            let daemon = try await Daemon.start(["--config", config, "--db", dir.file("f.sqlite"), "--sensors", "sensors"], logPath: dir.file("f.log"))
            // 500 frames of an unknown MN, about 200 bytes a line: 100 KB, more than the cap.
            let replies = try await python(
                """
                import socket, sys
                from hj212 import frame
                s = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); s.settimeout(2)
                pad = "w01018-Avg=1.5;" * 6
                for i in range(500):
                    s.sendall(frame("QN=20261206%09d;ST=32;CN=2061;PW=x;MN=FLOOD0001;Flag=5;CP=&&DataTime=20261206080000;%sw01018-Avg=1&&" % (i, pad)))
                buf = b""
                try:
                    while True:
                        data = s.recv(65536)
                        if not data: break
                        buf += data
                except socket.timeout:
                    pass
                print(buf.count(b"CN=9014"))
                """, port: daemon.port)
            #expect(await daemon.stop() == 0)
            // The burst of 400 and a frame a second while they were sent.
            let acknowledged = Int(replies) ?? 0
            #expect((400...410).contains(acknowledged), "\(replies)")
            let size = { (path: String) in (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1 }
            #expect(size(quarantine + ".1") > 0 && size(quarantine + ".1") <= 65_536)
            #expect(size(quarantine) > 0 && size(quarantine) <= 65_536)
            let lines = try await Envmon.run(["hj212", "decode", "--escaped", quarantine + ".1", quarantine]).stdout.split(separator: "\n")
            #expect(lines.count == acknowledged, "every acknowledged frame is in the file or the rotated one")
            #expect(daemon.log.contains("quarantine rate exceeded"))
            #expect(daemon.log.contains("quarantined \(acknowledged) (\(500 - acknowledged) refused over rate or backlog)"), "\(daemon.log)")
        }
    }
}
