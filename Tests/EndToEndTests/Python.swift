import EnvmonTesting
import Foundation

/// python3 snippets that play field units (or hostile peers) against a daemon.
enum Python {
    /// Runs `code` with `arguments` (sys.argv[1...]) and returns what it printed, trimmed. The
    /// snippet can `from hj212 import frame` (Tests/scripts/hj212.py). It is waited for on a thread
    /// of its own (``OffPool``): a snippet may wait seconds on a socket, and the cooperative pool
    /// (two threads on two cores) is every other test's.
    static func run(_ code: String, _ arguments: [String]) async throws -> String {
        let environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": Envmon.root + "/Tests/scripts"]) { _, new in new }
        let output = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", code] + arguments, environment: environment).output
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs the script at `path` with `arguments` and returns its exit status and what it printed
    /// (the independent computations the reports are checked against), waited for off the pool.
    static func script(_ path: String, _ arguments: [String]) async throws -> (status: Int32, stdout: Data) {
        let (status, output) = try await ChildProcess.run("/usr/bin/env", ["python3", path] + arguments)
        return (status, output)
    }
}
