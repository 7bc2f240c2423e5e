import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Unix datagram socket that plays systemd's side of `$NOTIFY_SOCKET` in tests: bound at a
/// path (or an abstract name starting with `@`), it collects the messages a daemon sends.
///
/// ```swift
/// let socket = try NotifySocket(path: dir.file("notify.sock"))
/// // start the daemon with NOTIFY_SOCKET=socket.name
/// let ready = await socket.next(within: .seconds(30)) { $0.contains("READY=1") }
/// ```
public final class NotifySocket: @unchecked Sendable {
    // Invariant: `descriptor` is only read (recv is thread-safe) and closed in deinit.
    private let descriptor: Int32
    /// The name to put in `$NOTIFY_SOCKET`.
    public let name: String

    /// Binds a socket at `path` (a file), or in the abstract namespace when it starts with `@`.
    public init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw NotifySocketError("socket: errno \(errno)") }
        name = path
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(path.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw NotifySocketError("the socket path is too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + bytes.count + (abstract ? 0 : 1))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard rc == 0 else {
            let e = errno
            close(descriptor)
            throw NotifySocketError("bind \(path): errno \(e)")
        }
    }

    deinit { close(descriptor) }

    /// The next message already received, if any; never waits.
    public func poll() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4_096)
        let n = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : nil
    }

    /// The next message that `matches`, waiting at most `timeout`; the messages before it are
    /// dropped.
    public func next(within timeout: Duration, where matches: (String) -> Bool = { _ in true }) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let message = poll() {
                if matches(message) { return message }
                continue
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

/// The test socket could not be made.
public struct NotifySocketError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
