import Foundation
import Monitoring

/// A real mosquitto broker for a test (Debian's `mosquitto`, installed by
/// `scripts/install-deps.sh`): listening on a free loopback port, anonymous, with persistence in
/// its own folder so that a restarted broker keeps its sessions and their queued messages.
/// Killed when released.
public final class MosquittoBroker: @unchecked Sendable {
    /// The port it listens on (kept across restarts).
    public let port: Int
    /// Its folder: config, persistence file, log.
    public let folder: TemporaryDirectory
    private var pid: pid_t?

    /// The broker's binary: `/usr/sbin/mosquitto` (where Debian puts it) or one on `PATH`.
    public static var binary: String? {
        for p in ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"] where FileManager.default.isExecutableFile(atPath: p) {
            return p
        }
        return nil
    }

    /// `mosquitto_pub`.
    public static var publisher: String? {
        ["/usr/bin/mosquitto_pub", "/usr/local/bin/mosquitto_pub"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a broker on a free loopback port and waits until it accepts connections.
    public init() throws {
        guard Self.binary != nil, Self.publisher != nil else {
            throw BrokerError("mosquitto or mosquitto_pub is not installed: run scripts/install-deps.sh")
        }
        folder = TemporaryDirectory("envmon-mosquitto")
        port = try Self.freePort()
        // As root, mosquitto would switch to the user `mosquitto`, which cannot write to this folder.
        let user = getuid() == 0 ? "user root\n" : ""
        folder.write(
            "mosquitto.conf",
            """
            \(user)listener \(port) 127.0.0.1
            allow_anonymous true
            persistence true
            persistence_location \(folder.path)/
            autosave_interval 1
            max_queued_messages 100000
            log_dest file \(folder.path)/mosquitto.log
            log_type all

            """)
        try start()
    }

    /// Starts the broker again (after ``stop(_:)``) on the same port, with the same persistence.
    ///
    /// Spawned with ``PosixSpawn`` (an empty signal mask) rather than with `Process`: a child of
    /// a Swift test inherits the blocked signals of the thread that spawns it, and mosquitto 2.0
    /// waits with the mask it inherited, so it would never see SIGTERM.
    public func start() throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, folder.file("stderr.log"), O_WRONLY | O_CREAT | O_APPEND, 0o644)
        try Spawn.closeOthers(&actions, changingTo: nil)
        let child: pid_t
        switch PosixSpawn.spawn(
            Self.binary!, arguments: ["-c", folder.file("mosquitto.conf")], environment: ProcessInfo.processInfo.environment, actions: &actions)
        {
        case .success(let pid): child = pid
        case .failure(let error): throw BrokerError("posix_spawn mosquitto: \(error)")
        }
        pid = child
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            if !isRunning { break }
            usleep(20_000)
        }
        throw BrokerError("mosquitto did not start listening on 127.0.0.1:\(port): \(log)")
    }

    /// Stops the broker with `signal` (SIGTERM by default: it saves its sessions to the
    /// persistence file) and waits for it to exit.
    public func stop(_ signal: Int32? = nil) {
        guard let p = pid else { return }
        kill(p, signal ?? SIGTERM)
        var status: Int32 = 0
        while waitpid(p, &status, 0) < 0 && errno == EINTR {}
        pid = nil
    }

    /// Whether it is running.
    public var isRunning: Bool {
        guard let p = pid else { return false }
        var status: Int32 = 0
        if waitpid(p, &status, WNOHANG) == 0 { return true }
        pid = nil  // reaped: never signal that number again
        return false
    }

    /// The broker's log so far.
    public var log: String {
        ((try? String(contentsOfFile: folder.file("mosquitto.log"), encoding: .utf8)) ?? "")
            + ((try? String(contentsOfFile: folder.file("stderr.log"), encoding: .utf8)) ?? "")
    }

    /// Publishes one message with `mosquitto_pub` (QoS 1 by default) and waits for it to end;
    /// throws unless it exited 0 (with QoS 1: the broker acknowledged it).
    public func publish(topic: String, _ payload: String, qos: Int = 1) throws {
        let p = SpawnedProcess()
        p.executableURL = URL(fileURLWithPath: Self.publisher!)
        p.arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-q", "\(qos)", "-t", topic, "-m", payload]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw BrokerError("mosquitto_pub failed (\(p.terminationStatus)): \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }
    }

    /// Publishes each line of `lines` as its own message, in one `mosquitto_pub -l` run (QoS 1 by
    /// default): faster than one process a message.
    public func publishLines(topic: String, _ lines: [String], qos: Int = 1) throws {
        let p = SpawnedProcess()
        p.executableURL = URL(fileURLWithPath: Self.publisher!)
        p.arguments = ["-h", "127.0.0.1", "-p", "\(port)", "-q", "\(qos)", "-t", topic, "-l"]
        let input = Pipe()
        let err = Pipe()
        p.standardInput = input
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw BrokerError("mosquitto_pub -l failed (\(p.terminationStatus)): \(String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
        }
    }

    deinit { stop(SIGKILL) }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A TCP port free on 127.0.0.1 a moment ago.
    public static func freePort() throws -> Int { try freeLoopbackPort() }
}

/// The broker could not be started or used.
public struct BrokerError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
