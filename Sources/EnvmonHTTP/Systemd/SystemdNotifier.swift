import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells systemd how the service is doing (sd_notify(3)) without libsystemd: each message is one
/// datagram of newline-separated `KEY=VALUE` lines to the Unix socket named by `$NOTIFY_SOCKET`.
///
/// ```swift
/// let systemd = SystemdNotifier()                    // reads NOTIFY_SOCKET, WATCHDOG_USEC
/// systemd.notify(.ready, .status("listening"))       // READY=1\nSTATUS=listening
/// systemd.reloading(); …; systemd.notify(.ready)     // around a reload
/// ```
///
/// Without `$NOTIFY_SOCKET` (not started by systemd with `Type=notify`) every call does nothing.
/// A name starting with `@` is a socket in the abstract namespace. Sending never blocks and never
/// throws: a failure is reported by the return value and otherwise ignored, as sd_notify does.
public struct SystemdNotifier: Sendable {
    /// One line of a message.
    public struct State: Sendable, Hashable, CustomStringConvertible {
        /// The line, `KEY=VALUE`.
        public let line: String

        /// A line as given (`KEY=VALUE`, no newline).
        public init(_ line: String) { self.line = line }

        public var description: String { line }

        /// Startup (or a reload) is finished.
        public static let ready = State("READY=1")
        /// Shutdown has begun.
        public static let stopping = State("STOPPING=1")
        /// A reload has begun; ``ready`` must follow when it is done.
        public static let reloading = State("RELOADING=1")
        /// The watchdog ping.
        public static let watchdog = State("WATCHDOG=1")

        /// Free text that `systemctl status` shows (one line: newlines become spaces).
        public static func status(_ text: String) -> State {
            State("STATUS=" + text.replacingOccurrences(of: "\n", with: " "))
        }

        /// `CLOCK_MONOTONIC` now, in microseconds: sent with ``reloading`` (required by
        /// `Type=notify-reload`).
        public static func monotonicNow() -> State {
            // `timespec` is two machine words (tv_sec, tv_nsec) on 64-bit Linux. Read through a
            // tuple: in release builds the struct's initializer and fields resolve to NIO's
            // CNIOLinux module, which MemberImportVisibility refuses without importing it.
            var now: (Int, Int) = (0, 0)
            withUnsafeMutablePointer(to: &now) { p in
                p.withMemoryRebound(to: timespec.self, capacity: 1) { _ = clock_gettime(CLOCK_MONOTONIC, $0) }
            }
            return State("MONOTONIC_USEC=\(UInt64(now.0) * 1_000_000 + UInt64(now.1) / 1_000)")
        }
    }

    /// The socket's name (`$NOTIFY_SOCKET`), or `nil` when systemd is not listening.
    public let socketPath: String?
    /// How often systemd expects a watchdog ping at the latest (`$WATCHDOG_USEC`), when the
    /// watchdog is on and meant for this process (`$WATCHDOG_PID`, when set, is its pid).
    public let watchdogTimeout: Duration?

    /// Reads the settings from the process's environment.
    public init() {
        self.init(environment: ProcessInfo.processInfo.environment)
    }

    /// Reads the settings from `environment`.
    /// - Parameter environment: a test's environment.
    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        let forUs = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if forUs, let usec = environment["WATCHDOG_USEC"].flatMap({ UInt64($0) }), usec > 0 {
            watchdogTimeout = .microseconds(Int64(clamping: usec))
        } else {
            watchdogTimeout = nil
        }
    }

    /// Whether messages go anywhere.
    public var isEnabled: Bool { socketPath != nil }

    /// Sends one message made of `states`.
    /// - Returns: whether it was sent (false when disabled or the socket refused it).
    @discardableResult
    public func notify(_ states: State...) -> Bool {
        notify(states)
    }

    /// Sends one message made of `states`.
    /// - Returns: whether it was sent (false when disabled or the socket refused it).
    @discardableResult
    public func notify(_ states: [State]) -> Bool {
        guard let socketPath, !states.isEmpty else { return false }
        return Self.send(states.map(\.line).joined(separator: "\n") + "\n", to: socketPath)
    }

    /// Says a reload has begun: `RELOADING=1` with `MONOTONIC_USEC`; send ``State/ready`` when done.
    @discardableResult
    public func reloading(status: String? = nil) -> Bool {
        notify([.reloading, .monotonicNow()] + (status.map { [.status($0)] } ?? []))
    }

    /// Sends `message` as one datagram to the socket at `path` (`@` first: abstract namespace).
    static func send(_ message: String, to path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var name = Array(path.utf8)
        let abstract = name.first == UInt8(ascii: "@")
        if abstract { name[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path needs room for its terminating NUL; an abstract name has none.
        guard !name.isEmpty, name.count <= capacity - (abstract ? 0 : 1) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: name)
        }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + name.count + (abstract ? 0 : 1))
        #if canImport(Glibc)
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        #else
            let fd = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sockaddr in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), sockaddr, length) }
            }
        }
        return sent == bytes.count
    }
}
