import Store
import Foundation

/// Runs a command (no shell) with the webhook JSON on its standard input and `ENVMON_RECEIVER`,
/// `ENVMON_STATUS`, `ENVMON_IDEMPOTENCY_KEY` in its environment. Exit 0 is delivered; another
/// status, or being killed at the timeout, is retried; a command that cannot be found or started
/// is final. Its standard output is discarded; its standard error is the daemon's. It starts
/// through ``ChildProcess`` (signals unblocked and at their defaults, a process group of its own).
public struct ExecChannel: NotificationChannel {
    public let config: ExecConfig

    /// Creates the channel.
    public init(config: ExecConfig) { self.config = config }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        guard let program = config.command.first, !program.isEmpty else { return .final(reason: "exec: no command configured") }
        guard let path = Self.resolve(program) else { return .final(reason: "exec: \(program): command not found") }
        let environment = ProcessInfo.processInfo.environment.merging([
            "ENVMON_RECEIVER": message.receiver,
            "ENVMON_STATUS": message.status.rawValue,
            "ENVMON_IDEMPOTENCY_KEY": message.idempotencyKey,
        ]) { _, new in new }
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                path, arguments: Array(config.command.dropFirst()), environment: environment, input: WebhookPayload(message).json())
        } catch {
            return .init(failure: NotifierError(error.code, "exec: \(error.message)"))
        }
        let timedOut = ExitSignal()
        let timeout = config.timeout
        let killer = Task {
            try await Task.sleep(for: .seconds(timeout))
            timedOut.fire()
            child.kill(SIGTERM)
            try await Task.sleep(for: .seconds(2))
            child.kill(SIGKILL)
        }
        let exit = await child.wait()
        killer.cancel()
        if timedOut.fired { return .retryable(reason: "exec: \(program): killed after the \(Self.seconds(timeout)) timeout") }
        switch exit {
        case .status(0): return .delivered
        case .status(let status): return .retryable(reason: "exec: \(program): exit status \(status)")
        case .signal(let signal): return .retryable(reason: "exec: \(program): killed by signal \(signal)")
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

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : "\(s) s" }
}

/// A flag set once, from any thread.
final class ExitSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    var fired: Bool { lock.withLock { done } }

    func fire() { lock.withLock { done = true } }
}
