public import Foundation
import Monitoring
import Synchronization

/// A long-running child of a test (a daemon, a peer server, a load generator), started with
/// `posix_spawn` and shaped like the part of Foundation's `Process` the tests use, so a test
/// reads the same: set `executableURL`, `arguments`, the standard streams, then `run()`,
/// `isRunning`, `waitUntilExit()`, `terminationStatus`.
///
/// Not Foundation's `Process`: its `run()` can fault while it lists `/proc/self/fd` (see
/// ``Spawn``), and its children inherit the blocked signals of the thread that starts them. This
/// child gets clean signals (``PosixSpawn``) and every descriptor above 2 closed.
///
/// Standard streams take what `Process` takes: a `Pipe` (the child gets its write end for output,
/// its read end for input; the parent's copy of that end is closed once the child runs, so a
/// read to the end sees the child's end), a `FileHandle` (`FileHandle.nullDevice` is /dev/null),
/// or nil for the test process's own.
///
/// `@unchecked Sendable`: set up before `run()` on one thread; afterwards only the lock-guarded
/// exit state changes.
public final class SpawnedProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String] = []
    /// The child's environment; the test process's when nil.
    public var environment: [String: String]?
    /// Where the child starts; the test process's current directory when nil.
    public var currentDirectoryURL: URL?
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?

    /// How a child ended, as Foundation's `Process.TerminationReason`.
    public enum TerminationReason: Sendable {
        case exit
        case uncaughtSignal
    }

    private struct Exit {
        var status: Int32
        var reason: TerminationReason
    }

    private let state = Mutex<(pid: pid_t, exit: Exit?)>((0, nil))

    public init() {}

    /// Starts the child; throws when it cannot be started (a missing executable, a directory).
    public func run() throws {
        guard let path = executableURL?.path else { throw SpawnError("no executable set") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var closeInParent: [FileHandle] = []
        func arrange(_ stream: Any?, _ fd: Int32, input: Bool) throws {
            switch stream {
            case nil:
                break
            case let pipe as Pipe:
                let childEnd = input ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                posix_spawn_file_actions_adddup2(&actions, childEnd.fileDescriptor, fd)
                closeInParent.append(childEnd)
            case let handle as FileHandle where handle === FileHandle.nullDevice:
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", input ? O_RDONLY : O_WRONLY, 0)
            case let handle as FileHandle:
                posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, fd)
            default:
                throw SpawnError("standard stream \(fd) must be a Pipe, a FileHandle or nil, not \(type(of: stream!))")
            }
        }
        try arrange(standardInput, 0, input: true)
        try arrange(standardOutput, 1, input: false)
        try arrange(standardError, 2, input: false)
        try Spawn.closeOthers(&actions, changingTo: currentDirectoryURL?.path)
        let spawned = PosixSpawn.spawn(
            path, arguments: arguments, environment: environment ?? ProcessInfo.processInfo.environment, actions: &actions)
        switch spawned {
        case .success(let pid):
            state.withLock { $0.pid = pid }
            for handle in closeInParent { try? handle.close() }
        case .failure(let error):
            throw SpawnError("cannot start \(path): \(error)")
        }
    }

    /// The child's pid (0 before `run()`).
    public var processIdentifier: Int32 { state.withLock { $0.pid } }

    /// Whether the child has not ended yet (it is reaped when it has).
    public var isRunning: Bool { state.withLock { Self.poll(&$0) } == nil && processIdentifier != 0 }

    /// Blocks until the child has ended.
    public func waitUntilExit() {
        // Polled, not a blocking waitpid: another thread may ask `isRunning` meanwhile, and a
        // lock held across a blocking wait would stall it.
        while state.withLock({ Self.poll(&$0) }) == nil {
            usleep(2_000)
        }
    }

    /// The exit status, or the number of the signal that ended it (as `Process`); 0 while running.
    public var terminationStatus: Int32 { state.withLock { Self.poll(&$0)?.status } ?? 0 }

    /// Whether it exited or a signal ended it; `.exit` while running.
    public var terminationReason: TerminationReason { state.withLock { Self.poll(&$0)?.reason } ?? .exit }

    /// Sends SIGTERM.
    public func terminate() { signal(SIGTERM) }

    /// Sends SIGINT.
    public func interrupt() { signal(SIGINT) }

    /// Sends `number` unless the child has been reaped (its pid could be another process's by now).
    public func signal(_ number: Int32) {
        state.withLock { s in
            guard s.pid != 0, Self.poll(&s) == nil else { return }
            kill(s.pid, number)
        }
    }

    /// Reaps the child if it has ended; its exit once it has.
    private static func poll(_ s: inout (pid: pid_t, exit: Exit?)) -> Exit? {
        if let exit = s.exit { return exit }
        guard s.pid != 0 else { return nil }
        var status: Int32 = 0
        let r = waitpid(s.pid, &status, WNOHANG)
        if r < 0 && errno == ECHILD {
            // Reaped by someone else: its status is lost, but it has ended.
            s.exit = Exit(status: -1, reason: .exit)
            return s.exit
        }
        guard r == s.pid else { return nil }
        let ended = Spawn.ending(status)
        let exit = Exit(status: ended.code, reason: ended.signalled ? .uncaughtSignal : .exit)
        s.exit = exit
        return exit
    }
}
