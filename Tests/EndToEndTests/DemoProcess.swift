import EnvmonTesting
import Foundation
import Monitoring

/// `envmon demo` running in the background, as README starts it, with what it has printed so far.
final class DemoProcess: Sendable {
    let process: SpawnedProcess
    // Bytes, decoded only whole: a character split between two reads of the pipe stays one.
    private let seen = Locked([UInt8]())
    private let stderr: Pipe
    private let reader: Task<Void, Never>

    /// Starts `envmon demo` with `arguments` from the checkout (its sensors/, seeds/, rules/).
    init(_ arguments: [String]) throws {
        process = SpawnedProcess()
        process.executableURL = URL(fileURLWithPath: Envmon.binary)
        process.arguments = ["demo"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Envmon.root)
        let out = Pipe()
        stderr = Pipe()
        process.standardOutput = out
        process.standardError = stderr
        try process.run()
        let seen = self.seen
        reader = Task.detached {
            while true {
                let data = out.fileHandleForReading.availableData
                if data.isEmpty { return }
                seen.withLock { $0 += data }
            }
        }
    }

    /// A test that fails before ``stop()`` leaves no demo running.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    /// What the demo printed so far.
    var output: String { String(decoding: seen.withLock { $0 }, as: UTF8.self) }

    /// Waits until `done` holds (checked every 200 ms), the demo ends, or `seconds` pass;
    /// returns whether it held.
    func wait(upTo seconds: Double, until done: () -> Bool) async throws -> Bool {
        let started = Date()
        while Date().timeIntervalSince(started) < seconds, process.isRunning {
            if done() { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return done()
    }

    /// Sends SIGTERM and waits for the demo to end; returns its exit status and its stderr.
    func stop() async -> (status: Int32, stderr: String) {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        // Waited for off the cooperative pool (``OffPool``): the demo takes a while to shut down.
        let process = self.process
        _ = try? await OffPool.run { process.waitUntilExit() }
        await reader.value
        return (process.terminationStatus, String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }
}
