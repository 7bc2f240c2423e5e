import Foundation

/// A real `envmon serve` process for a test: started on a free port, its log kept in a file.
final class Daemon {
    let process = Process()
    let logPath: String
    /// The HJ 212 port.
    private(set) var port = 0
    /// The HTTP port (`/healthz`, `/readyz`, `/metrics`).
    private(set) var httpPort = 0
    private let stdout = Pipe()

    /// Starts `envmon serve ARGUMENTS --hj212-host 127.0.0.1 --hj212-port 0 --http-port 0` and waits
    /// until it listens (both ports are printed once both listeners are bound).
    ///
    /// With a `launcher` (a program and its arguments), that program is run with the binary and its
    /// arguments after its own, and must `exec` them (so that the process is the daemon's).
    init(_ arguments: [String], logPath: String, launcher: [String] = [], environment: [String: String]? = nil) throws {
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let command = launcher + [Envmon.binary, "serve"] + arguments + ["--hj212-host", "127.0.0.1", "--hj212-port", "0", "--http-port", "0"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: Envmon.root)
        if let environment { process.environment = environment }
        process.standardOutput = stdout
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        var seen = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }  // the daemon closed its stdout: it exited
            seen += String(decoding: data, as: UTF8.self)
            if let port = Self.port(in: seen, "hj212"), let httpPort = Self.port(in: seen, "http") {
                self.port = port
                self.httpPort = httpPort
                return
            }
        }
        process.terminate()
        throw DaemonError("envmon serve did not start listening: \(seen)\n\(log)")
    }

    /// The port of the line `envmon serve: NAME listening on 127.0.0.1:PORT` in `output`.
    static func port(in output: String, _ name: String) -> Int? {
        guard let range = output.range(of: "envmon serve: \(name) listening on 127.0.0.1:") else { return nil }
        let rest = output[range.upperBound...]
        guard let end = rest.firstIndex(of: "\n") else { return nil }
        return Int(rest[..<end])
    }

    /// The daemon's local admin token (`<store>.token`, written at start): what a test sends to
    /// routes that need a role, such as `/metrics`.
    static func localToken(store: String) -> String? {
        (try? String(contentsOfFile: store + ".token", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The daemon's log so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Sends a signal and waits for the exit; returns the exit status (or the signal number).
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

struct DaemonError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
