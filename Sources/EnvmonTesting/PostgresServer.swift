import Foundation
import Monitoring

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL server for tests and benchmarks (Debian's `postgresql-15`, installed by
/// `scripts/install-deps.sh`): a cluster made by `initdb` in a temporary folder, run by `pg_ctl`
/// on a free loopback port, TCP only (no Unix socket), trust authentication for its one user
/// `envmon`. Stopped (`pg_ctl stop -m fast`) and removed by ``stop()``, at the process's exit
/// (``shared()``), and, should the process die without either, by a watchdog process that waits
/// for it.
///
/// Run as root (as the tests are here), the cluster belongs to and runs as the `postgres` system
/// user that the package creates: `initdb` refuses root.
///
/// ```swift
/// let server = try PostgresServer.shared()
/// let url = try server.createDatabase()   // a fresh database for one test
/// ```
public final class PostgresServer: Sendable {
    /// The port it listens on, on 127.0.0.1.
    public let port: Int
    /// Its folder: `data/` (the cluster) and `server.log`.
    public let folder: String
    /// The superuser the cluster was made with.
    public let user = "envmon"

    /// Where Debian's PostgreSQL 15 programs are.
    public static let binaries = "/usr/lib/postgresql/15/bin"

    /// Starts a server with extra `postgres -c` settings (`fsync=off` and such); waits until it
    /// accepts connections.
    /// - Throws: ``PostgresServerError`` when PostgreSQL is not installed or does not start.
    public init(settings: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binaries + "/initdb") else {
            throw PostgresServerError("PostgreSQL 15 is not installed (\(Self.binaries)): run scripts/install-deps.sh")
        }
        let folder = "/tmp/envmon-pg-\(UUID().uuidString.prefix(8))"
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        if getuid() == 0 {
            guard let pw = getpwnam("postgres") else { throw PostgresServerError("there is no `postgres` user to run the server as") }
            for path in [folder, folder + "/data"] { chown(path, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        }
        chmod(folder + "/data", 0o700)
        try Self.run(
            [Self.binaries + "/initdb", "-D", folder + "/data", "-U", user, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            log: folder + "/initdb.log")
        port = try freeLoopbackPort()
        var options = [
            "-c listen_addresses=127.0.0.1", "-p \(port)", "-c unix_socket_directories=''",
            "-c max_connections=200", "-c shared_buffers=128MB",
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) { options.append("-c \(key)=\(value)") }
        try Self.run(
            [Self.binaries + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-w", "-t", "60", "-o", options.joined(separator: " "), "start"],
            log: folder + "/pg_ctl.log")
        Self.watch(folder: folder)
    }

    /// The server shared by every test of this process, started on first use and stopped at exit.
    public static func shared() throws -> PostgresServer {
        try sharedServer.withLock { server in
            if let server { return server }
            let started = try PostgresServer(settings: ["fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"])
            server = started
            atexit { PostgresServer.sharedServer.withLock { $0 }?.stop() }
            return started
        }
    }
    private static let sharedServer = Locked<PostgresServer?>(nil)

    /// A connection URL for `database`.
    public func url(database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Creates a new, empty database and returns its URL: one per test keeps tests apart on a
    /// shared server.
    /// - Parameter name: the database's name (letters, digits and `_`); a random one by default.
    public func createDatabase(_ name: String? = nil) throws -> String {
        let name = name ?? "t_" + UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: "")
        _ = try psql("CREATE DATABASE \(name)", database: "postgres")
        return url(database: name)
    }

    /// Runs SQL through `psql` (`ON_ERROR_STOP`) and returns what it printed, unaligned and
    /// without headers.
    @discardableResult
    public func psql(_ sql: String, database: String) throws -> String {
        try Self.run(
            [Self.binaries + "/psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database, "-c", sql],
            asPostgres: false)
    }

    /// Stops the server (`pg_ctl stop -m fast`) and removes its folder. Idempotent.
    public func stop() {
        guard FileManager.default.fileExists(atPath: folder + "/data/postmaster.pid") else {
            try? FileManager.default.removeItem(atPath: folder)
            return
        }
        _ = try? Self.run([Self.binaries + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"], log: folder + "/pg_ctl.log")
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A process that stops and removes the cluster once this process is gone, whatever ended it.
    private static func watch(folder: String) {
        let pid = getpid()
        let stop = commandLine([binaries + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"], asPostgres: true)
        let script = "while kill -0 \(pid) 2>/dev/null; do sleep 1; done; \(stop.map(quote).joined(separator: " ")) >/dev/null 2>&1; rm -rf \(quote(folder))"
        // Not waited for: it outlives this process on purpose.
        let words: [String] = ["/bin/sh", "-c", script]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var child: pid_t = 0
        _ = posix_spawn(&child, "/bin/sh", &actions, nil, &argv, environ)
    }

    private static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    private static func commandLine(_ arguments: [String], asPostgres: Bool) -> [String] {
        asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments
    }

    /// Runs a program (as `postgres` when root and `asPostgres`) and returns its output; throws
    /// with its output unless it exits 0.
    ///
    /// Through posix_spawn and waitpid rather than `Process`: `pg_ctl start` leaves a daemon
    /// behind, and `Process.waitUntilExit` was seen never to return after it (the child stayed a
    /// zombie). The output goes to a file (`log`, or a temporary one), not a pipe, for the same reason.
    @discardableResult
    static func run(_ arguments: [String], asPostgres: Bool = true, log: String? = nil) throws -> String {
        let command = commandLine(arguments, asPostgres: asPostgres)
        let output = log ?? "/tmp/envmon-pg-out-\(UUID().uuidString.prefix(8))"
        defer { if log == nil { unlink(output) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // An empty signal mask and default handlers: a child of a Swift test inherits the blocked
        // signals of the thread that spawns it (see MosquittoBroker), and the server must see its own.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) }
        argv.append(nil)
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, command[0], &actions, &attributes, &argv, environ)
        guard rc == 0 else { throw PostgresServerError("posix_spawn \(command[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw PostgresServerError("\(arguments[0]) failed (status \(status)): \(text.suffix(2_000))")
        }
        return text
    }
}

/// The test server could not be started or used.
public struct PostgresServerError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
