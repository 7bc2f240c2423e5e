import EnvmonHTTP
import EnvmonTesting
import Foundation
import Logging
import Monitoring
import ServiceLifecycle
import Testing

/// The sd_notify protocol against a real Unix datagram socket, at a path and in the abstract
/// namespace. (The daemon's own messages are checked end to end in EndToEndTests.)
@Suite struct SystemdNotifierTests {
    let dir = TemporaryDirectory("envmon-notify")
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    @Test func withoutNotifySocketNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(!notifier.isEnabled)
        #expect(notifier.watchdogTimeout == nil)
        #expect(!notifier.notify(.ready))
    }

    @Test func aMessageArrivesAtASocketPath() async throws {
        let socket = try NotifySocket(path: dir.file("notify.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        #expect(notifier.notify(.ready, .status("ready:\nall\nwell")))
        #expect(await socket.next(within: .seconds(5)) == "READY=1\nSTATUS=ready: all well\n")
    }

    @Test func aMessageArrivesAtAnAbstractSocket() async throws {
        let name = "@envmon-test-\(UUID().uuidString)"
        let socket = try NotifySocket(path: name)
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name])
        #expect(notifier.notify(.stopping))
        #expect(await socket.next(within: .seconds(5)) == "STOPPING=1\n")
    }

    @Test func reloadingCarriesTheMonotonicClock() async throws {
        let socket = try NotifySocket(path: dir.file("reload.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name])
        #expect(notifier.reloading())
        let lines = try #require(await socket.next(within: .seconds(5))).split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usec = try #require(lines.dropFirst().first.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let current = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        #expect(usec <= current && current - usec < 5_000_000)
    }

    @Test func aSocketThatIsNotThereIsAFailureNotACrash() {
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": dir.file("nobody.sock")])
        #expect(notifier.isEnabled)
        #expect(!notifier.notify(.ready))
    }

    @Test func theWatchdogIsForThisProcessOnly() {
        let mine = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "\(getpid())"])
        #expect(mine.watchdogTimeout == .seconds(30))
        let other = SystemdNotifier(environment: ["NOTIFY_SOCKET": "@x", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"])
        #expect(other.watchdogTimeout == nil)
    }

    /// READY=1 after `ready`, watchdog pings only while the checks pass, STOPPING=1 on shutdown.
    @Test func theServiceSaysReadyPingsWhileHealthyAndSaysStopping() async throws {
        let socket = try NotifySocket(path: dir.file("service.sock"))
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": socket.name, "WATCHDOG_USEC": "100000"])
        let healthy = Locked(true)
        let service = SystemdService(
            notifier: notifier, checks: [HealthCheck("store") { healthy.withLock { $0 } ? .ok : .failing("gone") }], logger: logger
        ) { "ready: testing" }
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // Generous bounds: on a loaded 2-core machine the whole suite shares two pool threads
            // (CI once waited more than 10 s for READY=1); a message that never comes still fails.
            #expect(await socket.next(within: .seconds(60)) == "READY=1\nSTATUS=ready: testing\n")
            #expect(await socket.next(within: .seconds(30)) == "WATCHDOG=1\n")
            #expect(await socket.next(within: .seconds(30)) == "WATCHDOG=1\n")
            healthy.withLock { $0 = false }
            // The status says why; then no ping for several intervals.
            #expect(await socket.next(within: .seconds(5)) { $0.hasPrefix("STATUS=") } == "STATUS=unhealthy: store: gone\n")
            try await Task.sleep(for: .milliseconds(300))
            while let message = socket.poll() { #expect(message == "WATCHDOG=1\n") }  // at most one sent before the change
            try await Task.sleep(for: .milliseconds(300))
            #expect(socket.poll() == nil)
            healthy.withLock { $0 = true }
            #expect(await socket.next(within: .seconds(5)) == "WATCHDOG=1\n")
            await group.triggerGracefulShutdown()
            let stopping = await socket.next(within: .seconds(5)) { $0.contains("STOPPING=1") }
            #expect(stopping == "STOPPING=1\nSTATUS=stopping\n")
            try await tasks.waitForAll()
        }
    }
}
