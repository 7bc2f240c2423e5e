import Foundation
import Monitoring

/// A command started with ``PosixSpawn`` (clean signals), fed bytes on its standard input, waited
/// for on a thread of its own; in a process group of its own so a timeout ends its children too.
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

        let pid: pid_t
        switch PosixSpawn.spawn(path, arguments: arguments, environment: environment, actions: &actions, newProcessGroup: true) {
        case .success(let child):
            pid = child
            close(readEnd)
        case .failure(let error):
            close(readEnd)
            close(writeEnd)
            throw NotifierError(.badTarget, "\(path): \(error)")
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
