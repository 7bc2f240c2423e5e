#if canImport(Glibc)
import Monitoring
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file frames from unknown MNs are kept in, under the `quarantine` policy: one raw frame a
/// line, CR and LF written as the escapes `\r` and `\n`, so `envmon hj212 decode --escaped FILE`
/// reads it back. A frame is on disk (fsync) before it is acknowledged.
public final class HJ212Quarantine: Sendable {
    /// The file's path.
    public let path: String
    private let descriptor: Locked<Int32>

    /// Opens (creating, appending) the file; its folder must exist.
    public init(path: String) throws(CollectorError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CollectorError(.unreadable, "cannot open the quarantine file \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = Locked(fd)
    }

    deinit { descriptor.withLock { _ = close($0) } }

    /// Appends a frame and syncs it to disk.
    public func keep(_ frame: [UInt8]) throws(CollectorError) {
        var line: [UInt8] = []
        line.reserveCapacity(frame.count + 8)
        for byte in frame {
            switch byte {
            case 0x0D: line += [0x5C, 0x72]  // \r
            case 0x0A: line += [0x5C, 0x6E]  // \n
            default: line.append(byte)
            }
        }
        line.append(0x0A)
        let ok = descriptor.withLock { fd -> Bool in
            let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            return written == line.count && fsync(fd) == 0
        }
        if !ok {
            throw CollectorError(.store, "cannot write to the quarantine file \(path): \(String(cString: strerror(errno)))")
        }
    }
}
