import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// What a unit was acknowledged stays stored, whatever happens to sensors/ afterwards; and
    /// when the store file itself is lost, the daemon stops acknowledging and says so.
    @Suite struct AcknowledgedReadingsTests {
        let dir = TemporaryDirectory()
        static let mill = (mn: "371499320150002000000201", pw: "qh3202", id: "qinghe-paper-mill-outlet")
        static let wwtp = (mn: "371499320120001000000101", pw: "qh3201", id: "qinghe-wwtp-outlet")

        /// A sensors folder with the WWTP and the paper mill.
        func sensors() throws -> String {
            let folder = dir.file("sensors")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/qinghe-wwtp-outlet.yaml", toPath: folder + "/wwtp.yaml")
            try FileManager.default.copyItem(atPath: Envmon.root + "/sensors/qinghe-paper-mill-outlet.yaml", toPath: folder + "/paper.yaml")
            return folder
        }

        /// Yesterday at the stations (Beijing time), as HJ 212's DataTime date and as the bounds of
        /// a query: inside the daemon's default max_past whenever the test runs.
        static let day: (compact: String, from: String, to: String) = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let yesterday = calendar.date(byAdding: .day, value: -1, to: Date())!
            let d = calendar.dateComponents([.year, .month, .day], from: yesterday)
            let next = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: 1, to: yesterday)!)
            func iso(_ c: DateComponents) -> String { String(format: "%04d-%02d-%02dT00:00:00+08:00", c.year!, c.month!, c.day!) }
            return (String(format: "%04d%02d%02d", d.year!, d.month!, d.day!), iso(d), iso(next))
        }()

        /// Sends `hours` hourly frames (COD and NH3-N) of a station on one connection, one at a
        /// time, and returns how many were acknowledged with a 9014 (a frame gets 1.5 s).
        func send(_ port: Int, _ unit: (mn: String, pw: String, id: String), hours: Range<Int>, start: String = Self.day.compact) async throws -> Int {
            let code = """
                import socket, sys
                from hj212 import frame
                port, mn, pw, first, last, day = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
                acked = 0
                try:
                    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(1.5)
                    for h in range(first, last):
                        seg = "QN=%s%02d0000%03d;ST=32;CN=2061;PW=%s;MN=%s;Flag=5;CP=&&DataTime=%s%02d0000;w01018-Avg=%d.5;w21003-Avg=1.%d&&" % (day, h, h, pw, mn, day, h, 40 + h, h)
                        s.sendall(frame(seg))
                        try:
                            if b"CN=9014" in s.recv(4096): acked += 1
                        except socket.timeout:
                            pass
                except OSError:
                    pass  # the daemon went away: what was acknowledged is counted
                print(acked)
                """
            let printed = try await Python.run(
                code, [String(port), unit.mn, unit.pw, String(hours.lowerBound), String(hours.upperBound), start])
            return Int(printed) ?? -1
        }

        /// The hourly values of a station's parameter, read with `envmon query` against `sensors`.
        func stored(_ db: String, _ sensors: String, _ station: String, _ parameter: String) async throws -> [String] {
            let r = try await Envmon.run([
                "query", "--db", db, "--sensors", sensors, "--station", station, "--parameter", parameter, "--kind", "hour",
                "--from", Self.day.from, "--to", Self.day.to, "--format", "csv",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[1]) }
        }

        func reload(_ daemon: Daemon, expecting text: String) async throws {
            let before = daemon.log.components(separatedBy: text).count
            kill(daemon.process.processIdentifier, SIGHUP)
            for _ in 0..<200 where daemon.log.components(separatedBy: text).count == before {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(daemon.log.components(separatedBy: text).count > before, "\(daemon.log)")
        }

        /// How a station or parameter leaves sensors/: by SIGHUP to the running daemon, or while
        /// it is down after a SIGKILL (the staged readings are then folded by the next daemon).
        enum Removal { case sighup, restart }

        /// Five hours of the paper mill acknowledged, then `remove` applied to sensors/ through
        /// `removal`, then one more frame (from `next`, whose commit folds what is staged): the
        /// five hours of COD and NH3-N are all stored, and readable with `envmon query`.
        func expectAcknowledgedReadingsKept(
            _ removal: Removal, remove: (String) throws -> Void, reloaded: String, next: (mn: String, pw: String, id: String),
            codAfter: [String] = ["41.5", "42.5", "43.5", "44.5", "45.5"]
        ) async throws {
            let sensors = try sensors()
            let db = dir.file("s.sqlite")
            let first = try await Daemon.start(["--db", db, "--sensors", sensors], logPath: dir.file("serve1.log"))
            // By default a reading is acknowledged only once it is on disk (survives a power cut).
            #expect(first.log.contains("synchronous full: acknowledged once synced to disk"), "\(first.log)")
            #expect(try await send(first.port, Self.mill, hours: 1..<6) == 5)
            var daemon = first
            switch removal {
            case .sighup:
                try remove(sensors)
                try await reload(first, expecting: reloaded)
            case .restart:
                await first.stop(SIGKILL)
                try remove(sensors)
                daemon = try await Daemon.start(["--db", db, "--sensors", sensors], logPath: dir.file("serve2.log"))
            }
            #expect(try await send(daemon.port, next, hours: 6..<7) == 1)
            #expect(await daemon.stop() == 0, "\(daemon.log)")
            let cod = try await stored(db, sensors, Self.mill.id, "COD")
            #expect(cod == codAfter)
            let nh3N = try await stored(db, sensors, Self.mill.id, "NH3-N")
            #expect(nh3N == ["1.1", "1.2", "1.3", "1.4", "1.5"])
        }

        func removeMill(_ sensors: String) throws {
            try FileManager.default.moveItem(atPath: sensors + "/paper.yaml", toPath: dir.file("paper.yaml.away"))
        }

        @Test func aStationRemovedBySighupKeepsItsAcknowledgedReadings() async throws {
            try await expectAcknowledgedReadingsKept(.sighup, remove: removeMill, reloaded: "sensors reloaded: 1 stations", next: Self.wwtp)
        }

        @Test func aRemovedStationsNewFramesAreNotAcknowledged() async throws {
            let sensors = try sensors()
            let daemon = try await Daemon.start(["--db", dir.file("s.sqlite"), "--sensors", sensors], logPath: dir.file("serve.log"))
            #expect(try await send(daemon.port, Self.mill, hours: 1..<2) == 1)
            try removeMill(sensors)
            try await reload(daemon, expecting: "sensors reloaded: 1 stations")
            #expect(try await send(daemon.port, Self.mill, hours: 2..<3) == 0)
            #expect(await daemon.stop() == 0)
        }

        @Test func aParameterRemovedBySighupKeepsItsAcknowledgedReadings() async throws {
            try await expectAcknowledgedReadingsKept(
                .sighup, remove: removeNH3N, reloaded: "sensors reloaded: 2 stations", next: Self.mill,
                codAfter: ["41.5", "42.5", "43.5", "44.5", "45.5", "46.5"])
        }

        @Test func aStationMissingAfterSigkillAndRestartKeepsItsAcknowledgedReadings() async throws {
            try await expectAcknowledgedReadingsKept(.restart, remove: removeMill, reloaded: "", next: Self.wwtp)
        }

        @Test func aParameterMissingAfterSigkillAndRestartKeepsItsAcknowledgedReadings() async throws {
            try await expectAcknowledgedReadingsKept(
                .restart, remove: removeNH3N, reloaded: "", next: Self.mill, codAfter: ["41.5", "42.5", "43.5", "44.5", "45.5", "46.5"])
        }

        /// The paper mill's file without its NH3-N entry.
        func removeNH3N(_ sensors: String) throws {
            let path = sensors + "/paper.yaml"
            var lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\n")
            guard let at = lines.firstIndex(of: "  NH3-N:") else { throw DaemonError("no NH3-N in \(path)") }
            lines.removeSubrange(at...(at + 2))
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }

        // MARK: - One daemon a store, and imports beside it

        @Test func aSecondDaemonOnTheSameStoreIsRefusedAndAnImportBesideItGoesThroughIt() async throws {
            let sensors = try sensors()
            let db = dir.file("s.sqlite")
            let daemon = try await Daemon.start(["--db", db, "--sensors", sensors], logPath: dir.file("serve.log"))
            let second = try await Envmon.run(["serve", "--db", db, "--sensors", sensors, "--hj212-port", "0", "--http-port", "0"])
            #expect(second.status != 0)
            #expect(second.stderr.contains("another envmon daemon (pid \(daemon.process.processIdentifier)) is using the store"), "\(second.stderr)")
            // An import beside it goes through the daemon's /write; with --direct it writes the
            // store itself in short transactions; either way every unit is still acknowledged.
            let r = try await Envmon.run([
                "import", "--db", db, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", "seeds/city-network.csv",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.contains("importing through it"), "\(r.stderr)")
            let direct = try await Envmon.run([
                "import", "--db", db, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", "--direct", "seeds/city-network.csv",
            ])
            #expect(direct.status == 0, "\(direct.stderr)")
            #expect(direct.stderr.contains("importing in short transactions beside it"))
            #expect(try await send(daemon.port, Self.mill, hours: 1..<4) == 3)
            #expect(await daemon.stop() == 0)
            // Without a daemon, the import goes at full speed again (the lock went with the daemon).
            let alone = try await Envmon.run([
                "import", "--db", db, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", "seeds/city-network.csv",
            ])
            #expect(alone.status == 0)
            #expect(!alone.stderr.contains("beside it"))
        }

        // MARK: - The store file lost

        func expectStopsAcknowledging(after damage: (String) throws -> Void, problem: String) async throws {
            let db = dir.file("s.sqlite")
            let daemon = try await Daemon.start(["--db", db, "--sensors", try sensors()], logPath: dir.file("serve.log"))
            #expect(try await send(daemon.port, Self.mill, hours: 1..<3) == 2)
            try damage(db)
            // Nothing more is acknowledged (the writer checks after each commit, before the reply)…
            #expect(try await send(daemon.port, Self.wwtp, hours: 1..<4) == 0)
            // …the daemon stops by itself, with a critical line and a non-zero status.
            let deadline = Date().addingTimeInterval(15)
            while daemon.process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!daemon.process.isRunning, "the daemon went on: \(daemon.log)")
            if daemon.process.isRunning { await daemon.stop(SIGKILL) } else { try await OffPool.run { daemon.process.waitUntilExit() } }
            #expect(daemon.process.terminationStatus != 0)
            let log = daemon.log
            #expect(log.contains("critical"), "\(log)")
            #expect(log.contains(problem), "\(log)")
            #expect(!log.contains("every acknowledged reading is committed"), "\(log)")
        }

        @Test func aStoreFileMovedAwayStopsTheAcknowledgements() async throws {
            try await expectStopsAcknowledging(
                after: { db in try FileManager.default.moveItem(atPath: db, toPath: db + ".moved") },
                problem: "is gone (moved away or deleted)")
        }

        @Test func aStoreFileReplacedStopsTheAcknowledgements() async throws {
            try await expectStopsAcknowledging(
                after: { db in
                    // A copy renamed over it: the path never goes missing.
                    try FileManager.default.copyItem(atPath: db, toPath: db + ".copy")
                    #expect(rename(db + ".copy", db) == 0)
                },
                problem: "was replaced by another file")
        }

        @Test func aStoreFileOverwrittenInPlaceStopsTheAcknowledgements() async throws {
            // Another envmon store copied over it, as a restored backup would be (same inode).
            let other = dir.file("other.sqlite")
            let imported = try await Envmon.run(["import", "--db", other, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", "seeds/city-network.csv"])
            #expect(imported.status == 0)
            try await expectStopsAcknowledging(
                after: { db in
                    let data = try Data(contentsOf: URL(fileURLWithPath: other))
                    let handle = try #require(FileHandle(forWritingAtPath: db))
                    try handle.write(contentsOf: data)
                    try handle.close()
                },
                problem: "was overwritten in place")
        }

        @Test func aStoreFileOverwrittenWithGarbageStopsTheAcknowledgements() async throws {
            try await expectStopsAcknowledging(
                after: { db in
                    let handle = try #require(FileHandle(forWritingAtPath: db))
                    try handle.write(contentsOf: Data(repeating: 0x5a, count: 8_192))
                    try handle.close()
                },
                problem: "no longer starts with an SQLite header")
        }
    }
}
