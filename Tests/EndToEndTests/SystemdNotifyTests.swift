import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// systemd's `Type=notify` protocol as the real daemon speaks it: a Unix datagram socket plays
    /// systemd, named in `$NOTIFY_SOCKET`.
    @Suite(.serialized) struct SystemdNotifyTests {
        let dir = TemporaryDirectory("envmon-systemd")

        func environment(_ extra: [String: String]) -> [String: String] {
            ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        }

        /// Whether a TCP connection to 127.0.0.1:`port` is accepted.
        func accepts(_ port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0
        }

        @Test func readyWatchdogReloadAndStoppingReachSystemd() async throws {
            let socket = try NotifySocket(path: dir.file("notify.sock"))
            // Pings every quarter second.
            let daemon = try await Daemon.start(
                ["--db", dir.file("store.sqlite"), "--sensors", "sensors"], logPath: dir.file("serve.log"),
                environment: environment(["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "500000"]))

            // The first message: READY=1, sent once the store is open and both listeners are bound.
            let ready = try #require(await socket.next(within: .seconds(30)), "\(daemon.log)")
            #expect(ready.hasPrefix("READY=1\nSTATUS=ready: "), "\(ready)")
            #expect(ready.contains("HJ 212 on 127.0.0.1:\(daemon.port)") && ready.contains("HTTP on 127.0.0.1:\(daemon.httpPort)"), "\(ready)")
            #expect(accepts(daemon.port) && accepts(daemon.httpPort))

            // The watchdog, while the daemon is healthy.
            var pings = 0
            let until = ContinuousClock.now + .seconds(2)
            while ContinuousClock.now < until, let message = await socket.next(within: .seconds(1)) {
                #expect(message == "WATCHDOG=1\n")
                pings += 1
            }
            #expect(pings >= 2, "\(pings) pings in 2 s")

            // SIGHUP: RELOADING=1 with the monotonic clock, then READY=1.
            kill(daemon.process.processIdentifier, SIGHUP)
            let reloading = try #require(await socket.next(within: .seconds(10)) { !$0.hasPrefix("WATCHDOG=") })
            #expect(reloading.hasPrefix("RELOADING=1\nMONOTONIC_USEC="), "\(reloading)")
            let reloaded = try #require(await socket.next(within: .seconds(10)) { !$0.hasPrefix("WATCHDOG=") })
            #expect(reloaded.hasPrefix("READY=1\nSTATUS=ready: reloaded"), "\(reloaded)")

            // SIGTERM: STOPPING=1 at once, then a clean exit.
            kill(daemon.process.processIdentifier, SIGTERM)
            let stopping = try #require(await socket.next(within: .seconds(10)) { !$0.hasPrefix("WATCHDOG=") })
            #expect(stopping == "STOPPING=1\nSTATUS=stopping\n")
            try await OffPool.run { daemon.process.waitUntilExit() }
            #expect(daemon.process.terminationStatus == 0, "\(daemon.log)")
        }

        @Test func anAbstractSocketNameWorksToo() async throws {
            let name = "@envmon-e2e-\(UUID().uuidString)"
            let socket = try NotifySocket(path: name)
            let daemon = try await Daemon.start(
                ["--db", dir.file("abstract.sqlite"), "--sensors", "sensors"], logPath: dir.file("abstract.log"),
                environment: environment(["NOTIFY_SOCKET": name]))
            let ready = await socket.next(within: .seconds(30))
            #expect(ready?.hasPrefix("READY=1\n") == true, "\(daemon.log)")
            #expect(await daemon.stop() == 0)
            #expect(await socket.next(within: .seconds(5)) == "STOPPING=1\nSTATUS=stopping\n")
        }
    }
}
