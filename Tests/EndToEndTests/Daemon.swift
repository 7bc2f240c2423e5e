import EnvmonTesting
import Foundation

/// A real `envmon serve` process for a test: started on a free port, its log kept in a file.
///
/// `@unchecked Sendable`: its state (the process, the log path, both ports) is set once in `init`
/// and only read afterwards; the `SpawnedProcess` it holds is only signalled and waited for.
/// Started with `start` and stopped with `stop`, both of which wait off Swift's cooperative pool.
final class Daemon: @unchecked Sendable {
    let process = SpawnedProcess()
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
    ///
    /// The wait blocks a thread for up to 60 s, on a thread of its own (`OffPool`) rather than one
    /// of the cooperative pool's.
    static func start(_ arguments: [String], logPath: String, launcher: [String] = [], environment: [String: String]? = nil) async throws -> Daemon {
        try await OffPool.run { try Daemon(arguments, logPath: logPath, launcher: launcher, environment: environment) }
    }

    /// The blocking start behind `start`.
    private init(_ arguments: [String], logPath: String, launcher: [String] = [], environment: [String: String]? = nil) throws {
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

    /// Sends a signal and waits for the exit (off the cooperative pool); returns the exit status
    /// (or the signal number), -1 if the wait could not be made.
    @discardableResult
    func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        (try? await OffPool.run {
            kill(self.process.processIdentifier, signal)
            self.process.waitUntilExit()
            return self.process.terminationStatus
        }) ?? -1
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
