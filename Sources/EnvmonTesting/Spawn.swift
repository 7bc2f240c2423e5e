public import Foundation
import Monitoring

/// Runs a child process to its end with `posix_spawn`, for the tests' short-lived children
/// (`envmon` commands, python3 peers and checks).
///
/// Not Foundation's `Process`: on this toolchain its `run()` copies each `/proc/self/fd` entry's
/// whole 256-byte name out of glibc's directory buffer, and when an entry sits at the buffer's
/// end before an unmapped page the copy faults (swift-corelibs-foundation PR #5472, fixed
/// upstream in 2026). The test process spawns hundreds of children while it holds hundreds of
/// descriptors, and the whole suite died of it once in CI (`Envmon.run`, SIGSEGV in memcpy).
///
/// The child gets /dev/null on standard input, every descriptor above 2 closed, and clean
/// signals (``PosixSpawn``).
public enum Spawn {
    /// How a child ended and what it wrote.
    public struct Output: Sendable {
        /// The exit status, or the signal's number when a signal ended it (as `Process`'s
        /// `terminationStatus`).
        public let status: Int32
        public let stdout: Data
        /// Empty when standard error was merged or left to the test process.
        public let stderr: Data
    }

    /// Where the child's standard error goes.
    public enum StandardError: Sendable {
        /// Read apart, into ``Output/stderr``.
        case captured
        /// Into standard output, interleaved as written.
        case merged
        /// The test process's own.
        case inherited
    }

    /// Runs `executable` (a path) with `arguments`, in `directory` (the current one when nil),
    /// with `environment` (the test process's when nil), and waits for it: blocking, so call it
    /// off the cooperative pool (``OffPool``).
    public static func runBlocking(
        _ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil,
        standardError: StandardError = .captured
    ) throws -> Output {
        let out = try Self.pipe()
        let err = standardError == .captured ? try Self.pipe() : nil

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out.write, 1)
        switch standardError {
        case .captured: posix_spawn_file_actions_adddup2(&actions, err!.write, 2)
        case .merged: posix_spawn_file_actions_adddup2(&actions, out.write, 2)
        case .inherited: break
        }
        try closeOthers(&actions, changingTo: directory)

        let spawned = PosixSpawn.spawn(
            executable, arguments: arguments, environment: environment ?? ProcessInfo.processInfo.environment, actions: &actions)
        close(out.write)
        if let err { close(err.write) }
        let pid: pid_t
        switch spawned {
        case .success(let child): pid = child
        case .failure(let error):
            close(out.read)
            if let err { close(err.read) }
            throw SpawnError("cannot start \(executable): \(error)")
        }
        let (stdout, stderr) = drain(out.read, err?.read)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Output(status: ending(status).code, stdout: stdout, stderr: stderr)
    }

    /// The actions every test child ends with: each descriptor above 2 closed (another test's
    /// pipe must not stay open in this child), and `directory` as its current one, if given.
    static func closeOthers(_ actions: inout posix_spawn_file_actions_t, changingTo directory: String?) throws {
        _ = GNU.addCloseFrom(&actions, 3)
        if let directory {
            guard GNU.addChdir(&actions, directory) == 0 else { throw SpawnError("cannot change to \(directory) in the child") }
        }
    }

    /// A wait status as `Process` reports it: the exit status, or the number of the signal that
    /// ended the child (WIFEXITED, WEXITSTATUS and WTERMSIG, which Swift does not import).
    static func ending(_ status: Int32) -> (code: Int32, signalled: Bool) {
        status & 0x7f == 0 ? ((status >> 8) & 0xff, false) : (status & 0x7f, true)
    }

    /// Reads both pipes to their ends together (one read after the other could leave a child
    /// blocked on a full standard error while we wait on its standard output).
    private static func drain(_ a: Int32, _ b: Int32?) -> (Data, Data) {
        var outputs = [Data(), Data()]
        var fds = [pollfd(fd: a, events: Int16(POLLIN), revents: 0)]
        if let b { fds.append(pollfd(fd: b, events: Int16(POLLIN), revents: 0)) }
        var open = fds.count
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open > 0 {
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for i in fds.indices where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(fds[i].fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    outputs[i].append(contentsOf: buffer[0..<n])
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1  // poll ignores negative descriptors
                    open -= 1
                }
            }
        }
        for f in fds where f.fd >= 0 { close(f.fd) }
        return (outputs[0], outputs[1])
    }

    /// A pipe whose ends close on exec: only the child's dup2'd copies survive into it.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.pipe(&fds) == 0 else { throw SpawnError("pipe: \(String(cString: strerror(errno)))") }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return (fds[0], fds[1])
    }

    /// glibc's GNU extensions (2.29 and 2.34), which Swift's Glibc module does not import.
    private enum GNU {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

        static let closeFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            .map { unsafeBitCast($0, to: AddCloseFrom.self) }
        static let chdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
            .map { unsafeBitCast($0, to: AddChdir.self) }

        static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32) -> Int32 {
            closeFrom?(actions, fd) ?? -1
        }

        static func addChdir(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ path: String) -> Int32 {
            guard let chdir else { return -1 }
            return chdir(actions, path)
        }
    }
}

/// A child that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
