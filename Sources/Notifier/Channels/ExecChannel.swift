import Store
import Foundation

/// Runs a command (no shell) with the webhook JSON on its standard input and `ENVMON_RECEIVER`,
/// `ENVMON_STATUS`, `ENVMON_IDEMPOTENCY_KEY` in its environment. Exit 0 is delivered; another
/// status, or being killed at the timeout, is retried; a command that cannot be found or started
/// is final. Its standard output is discarded; its standard error is the daemon's.
public struct ExecChannel: NotificationChannel {
    public let config: ExecConfig

    /// Creates the channel.
    public init(config: ExecConfig) { self.config = config }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        guard let program = config.command.first, !program.isEmpty else { return .final(reason: "exec: no command configured") }
        guard let path = Self.resolve(program) else { return .final(reason: "exec: \(program): command not found") }
        Self.ignoreSIGPIPE
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(config.command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging([
            "ENVMON_RECEIVER": message.receiver,
            "ENVMON_STATUS": message.status.rawValue,
            "ENVMON_IDEMPOTENCY_KEY": message.idempotencyKey,
        ]) { _, new in new }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { _ in exited.fire() }
        do {
            try process.run()
        } catch {
            return .final(reason: "exec: \(program): \(error.localizedDescription)")
        }
        let body = Data(WebhookPayload(message).json())
        let writer = Thread {
            // A command that exits without reading gets EPIPE here, not a signal.
            try? stdin.fileHandleForWriting.write(contentsOf: body)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let pid = process.processIdentifier
        let timedOut = ExitSignal()
        let killer = Task {
            try await Task.sleep(for: .seconds(config.timeout))
            timedOut.fire()
            kill(pid, SIGTERM)
            try await Task.sleep(for: .seconds(2))
            kill(pid, SIGKILL)
        }
        await exited.wait()
        killer.cancel()
        if timedOut.fired { return .retryable(reason: "exec: \(program): killed after the \(Self.seconds(config.timeout)) timeout") }
        switch (process.terminationReason, process.terminationStatus) {
        case (.exit, 0): return .delivered
        case (.exit, let status): return .retryable(reason: "exec: \(program): exit status \(status)")
        case (_, let signal): return .retryable(reason: "exec: \(program): killed by signal \(signal)")
        }
    }

    /// `program` itself when it has a slash, else the first executable of that name on `PATH`.
    static func resolve(_ program: String) -> String? {
        let fm = FileManager.default
        if program.contains("/") { return fm.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Writing to a pipe whose reader has gone must fail with EPIPE rather than end the daemon.
    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }
}

/// A one-shot event a task can wait for, fired from any thread.
final class ExitSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false
    private var waiter: CheckedContinuation<Void, Never>?

    var fired: Bool { lock.withLock { done } }

    func fire() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            if done { return nil }
            done = true
            defer { waiter = nil }
            return waiter
        }
        w?.resume()
    }

    func wait() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now: Bool = lock.withLock {
                if done { return true }
                waiter = c
                return false
            }
            if now { c.resume() }
        }
    }
}
