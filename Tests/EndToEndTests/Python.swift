import Foundation

/// python3 snippets that play field units (or hostile peers) against a daemon.
enum Python {
    /// Runs `code` with `arguments` (sys.argv[1...]) and returns what it printed, trimmed. The
    /// snippet can `from hj212 import frame` (Tests/scripts/hj212.py).
    static func run(_ code: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code] + arguments
        p.environment = ProcessInfo.processInfo.environment.merging(["PYTHONPATH": Envmon.root + "/Tests/scripts"]) { _, new in new }
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
