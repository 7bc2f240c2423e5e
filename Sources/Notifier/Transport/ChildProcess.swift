import Foundation

/// A command started with `posix_spawn`, fed bytes on its standard input, waited for on a thread
/// of its own. Unlike Foundation's `Process`, the child starts with no signal blocked and every
/// signal at its default (a `Process` started from a concurrency thread hands its child that
/// thread's blocked-signal mask, SIGTERM included), in a process group of its own so a timeout
/// ends its children too.
struct ChildProcess {
    /// How it ended.
    enum Exit: Equatable {
        case status(Int32)
        case signal(Int32)
    }

    let pid: pid_t

    /// Starts `path` with `arguments` (argv[1...]) and `environment`; its standard output goes
    /// to /dev/null, its standard error is ours; `input` is written to its standard input.
    static func spawn(_ path: String, arguments: [String], environment: [String: String], input: [UInt8]) throws(NotifierError) -> ChildProcess {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw NotifierError(.io, "pipe: \(String(cString: strerror(errno)))") }
        let (readEnd, writeEnd) = (fds[0], fds[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(readEnd)
        guard rc == 0 else {
            close(writeEnd)
            throw NotifierError(.badTarget, "\(path): \(String(cString: strerror(rc)))")
        }
        // Writing may block on a full pipe until the child reads: a thread of its own. A child
        // that exits without reading makes this fail with EPIPE (SIGPIPE is ignored here).
        _ = ignoreSIGPIPE
        let writer = Thread {
            input.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = write(writeEnd, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    offset += n
                }
            }
            close(writeEnd)
        }
        writer.start()
        return ChildProcess(pid: pid)
    }

    /// Waits for the child to end (on a thread of its own, not the cooperative pool).
    func wait() async -> Exit {
        let pid = self.pid
        return await withCheckedContinuation { continuation in
            let waiter = Thread {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                let signal = status & 0x7f
                continuation.resume(returning: signal == 0 ? .status((status >> 8) & 0xff) : .signal(signal))
            }
            waiter.start()
        }
    }

    /// Sends `signal` to the child's process group.
    func kill(_ signal: Int32) { _ = Glibc.kill(-pid, signal) }

    /// Writing to a pipe whose reader has gone must fail with EPIPE rather than end the daemon.
    static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}
