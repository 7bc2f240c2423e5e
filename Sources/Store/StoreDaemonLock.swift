import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lock a daemon holds on its store for as long as it runs: `<store>.lock`, locked with
/// `flock` (which the kernel drops when the process dies, even by SIGKILL) and holding the
/// daemon's pid for people.
///
/// A second daemon on the same store is refused (two writers would take turns at SQLite's
/// write lock and each guard would take the other's mark for an overwrite), and commands that
/// write a lot, such as `envmon import`, see that a daemon is there and leave it room.
public final class StoreDaemonLock: Sendable {
    private let descriptor: Int32
    /// The lock file.
    public let path: String

    /// Takes the lock of the store at `storePath`.
    /// - Throws: ``StoreError`` with code `open` naming the holder's pid when another daemon has it.
    public init(storePath: String) throws(StoreError) {
        path = storePath + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError(.open, "cannot open the daemon lock \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.pid(in: fd)
            close(fd)
            throw StoreError(
                .open, "another envmon daemon\(holder.map { " (pid \($0))" } ?? "") is using the store \(storePath) (lock \(path))")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Writes the daemon's HTTP address beside its pid (`pid\nhttp=http://127.0.0.1:9090\n`), so
    /// commands that change alert handling find the daemon even on a port picked at start.
    public func record(httpAddress: String) {
        let text = Array("\(getpid())\nhttp=\(httpAddress)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The HTTP address the daemon holding the store at `storePath` recorded, if any.
    public static func httpAddress(storePath: String) -> String? {
        guard let text = try? String(contentsOfFile: storePath + ".lock", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("http=") { return String(line.dropFirst(5)) }
        return nil
    }

    /// Whether a daemon holds the lock of the store at `storePath` now.
    public static func isHeld(storePath: String) -> Bool {
        let fd = open(storePath + ".lock", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }

    private static func pid(in fd: Int32) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 32, 0) }
        guard n > 0 else { return nil }
        return String(decoding: bytes[0..<n], as: UTF8.self).split(separator: "\n").first.flatMap { Int($0) }
    }
}
