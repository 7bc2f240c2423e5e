import Monitoring
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Notices when the store file the daemon writes is no longer the file at its path: moved away,
/// deleted, replaced by another file, or overwritten in place (a backup restored over it, a
/// stray `dd`). SQLite goes on writing into its open descriptor in all these cases, so without
/// this check acknowledged readings would land in a file nobody can read again.
///
/// What is checked, cheaply enough for every commit (two `stat`s and a 100-byte `pread`):
/// - the path still names the file SQLite opened (device and inode), and so does its `-wal`;
/// - the file's SQLite header still says SQLite, with the page size it had;
/// - the header's `user_version` holds the nonce this process wrote at ``arm(nonce:)``: a file
///   copied over the store in place keeps the inode but not the nonce.
///
/// The nonce reaches the file's header only when a checkpoint copies page 1 out of the WAL; until
/// the guard has seen it there once, the header's earlier value is accepted too.
///
/// Once a problem is found it stays: the store refuses every later write and checkpoint.
final class StoreFileGuard: Sendable {
    /// A descriptor of the store file kept open for the life of the store. Never closed early:
    /// closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
    /// included.
    private let descriptor: Int32
    private let path: String
    private let identity: FileIdentity
    private let walIdentity: FileIdentity?
    private let pageSize: UInt16
    private struct State {
        var nonce: Int32?
        var previousNonce: Int32?
        var nonceSeen = false
        var problem: String?
    }
    private let state = Locked(State())

    struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// Opens a descriptor on `path` and notes its identity; nil when the file cannot be opened
    /// (the store then runs unguarded, as every CLI command does).
    init?(path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var st = stat()
        guard fstat(fd, &st) == 0, let header = Self.header(fd), Self.isSQLite(header) else {
            // Left open on purpose: closing it would drop the locks SQLite holds on the file
            // (POSIX drops a process's locks on any close). One descriptor, in a rare case.
            return nil
        }
        descriptor = fd
        self.path = path
        identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        walIdentity = Self.identity(of: path + "-wal")
        pageSize = UInt16(header[16]) << 8 | UInt16(header[17])
        let version = Self.userVersion(header)
        state.withLock { $0.previousNonce = version }
    }

    deinit { close(descriptor) }

    /// Starts checking the nonce: the caller has just written it as `user_version`.
    func arm(nonce: Int32) {
        state.withLock { s in
            s.nonce = nonce
            s.nonceSeen = false
        }
    }

    /// The problem found so far, if any.
    var problem: String? { state.withLock { $0.problem } }

    /// Checks the file now; returns the problem (found now or before), or nil when all is well.
    @discardableResult
    func check() -> String? {
        if let known = problem { return known }
        let found = inspect()
        return state.withLock { s in
            if let found {
                s.problem = s.problem ?? found
            }
            return s.problem
        }
    }

    private func inspect() -> String? {
        guard let now = Self.identity(of: path) else {
            return "the store file \(path) is gone (moved away or deleted) while the daemon was writing it"
        }
        if now != identity {
            return "the store file \(path) was replaced by another file (inode \(identity.inode) became \(now.inode))"
        }
        if let walIdentity {
            guard let wal = Self.identity(of: path + "-wal") else {
                return "the store's write-ahead log \(path)-wal is gone (deleted while the daemon was writing it)"
            }
            if wal != walIdentity { return "the store's write-ahead log \(path)-wal was replaced by another file" }
        }
        guard let header = Self.header(descriptor) else {
            return "the store file \(path) was truncated: its SQLite header is gone"
        }
        guard Self.isSQLite(header) else {
            return "the store file \(path) was overwritten in place: it no longer starts with an SQLite header"
        }
        let size = UInt16(header[16]) << 8 | UInt16(header[17])
        if size != pageSize {
            return "the store file \(path) was overwritten in place: its page size became \(size == 1 ? 65_536 : Int(size))"
        }
        let version = Self.userVersion(header)
        return state.withLock { s -> String? in
            guard let nonce = s.nonce else { return nil }
            if version == nonce {
                s.nonceSeen = true
                return nil
            }
            if !s.nonceSeen && version == s.previousNonce { return nil }
            return "the store file \(path) was overwritten in place by another SQLite file (its identity mark \(version) is not this daemon's \(nonce))"
        }
    }

    private static func identity(of path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// The first 100 bytes of the file: the SQLite database header.
    private static func header(_ fd: Int32) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: 100)
        let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 100, 0) }
        return n == 100 ? bytes : nil
    }

    private static let magic = Array("SQLite format 3\0".utf8)

    private static func isSQLite(_ header: [UInt8]) -> Bool { header.prefix(16).elementsEqual(magic) }

    /// The header's `user_version`, big-endian at offset 60.
    private static func userVersion(_ header: [UInt8]) -> Int32 {
        Int32(bitPattern: UInt32(header[60]) << 24 | UInt32(header[61]) << 16 | UInt32(header[62]) << 8 | UInt32(header[63]))
    }
}
