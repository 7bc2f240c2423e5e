import Monitoring
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The file frames are kept in instead of being stored: frames from unknown MNs (`unknown_mn:
/// quarantine`) and frames whose DataTime no working clock gives (`bad_time: quarantine`). One raw
/// frame a line, CR and LF written as the escapes `\r` and `\n`, so `envmon hj212 decode --escaped
/// FILE` reads it back. A frame is on disk (fsync) before it is acknowledged.
///
/// Bounded, so that one device cannot fill the disk or hold up the others:
/// * the file is rotated to `FILE.1` (replacing it) when it would pass ``Limits/maxBytes``: at most
///   twice that on disk, the newest frames kept;
/// * each address may quarantine ``Limits/burst`` frames at once and ``Limits/rate`` a second
///   after that (``admit(from:at:)``); frames over it are refused, unanswered, and the device
///   sends them again later;
/// * writes happen on a thread of their own, many frames per `write` and `fsync`
///   (``keep(_:then:)`` returns at once), never on the event loop that read the frame.
public final class HJ212Quarantine: Sendable {
    /// How much the quarantine takes.
    public struct Limits: Sendable, Hashable {
        /// The size at which the file is rotated to `FILE.1`.
        public var maxBytes: Int64 = 64 << 20
        /// Frames a second each address may quarantine, once its burst is spent.
        public var rate: Double = 1
        /// Frames an address may quarantine at once.
        public var burst = 60
        /// Bytes of frames waiting for their write; beyond, frames are refused (the disk is slower than the flood).
        public var maxBacklogBytes = 4 << 20

        /// The defaults the README documents.
        public init() {}
    }

    /// The file's path; the rotated one is `path + ".1"`.
    public let path: String
    /// The bounds.
    public let limits: Limits
    private let file: Locked<File>
    private let queue = Locked(Queue())
    private let writer = DispatchQueue(label: "envmon.hj212.quarantine")

    private struct File: ~Copyable {
        var descriptor: Int32
        var size: Int64
        var rotations = 0
    }

    private struct Queue: ~Copyable {
        var lines: [[UInt8]] = []
        var waiting: [@Sendable (CollectorError?) -> Void] = []
        var bytes = 0
        var draining = false
        var buckets: [String: Bucket] = [:]
        var pruneAt = 1_024
    }

    private struct Bucket {
        var tokens: Double
        var at: Int64
    }

    /// Opens (creating, appending) the file; its folder must exist.
    public init(path: String, limits: Limits = Limits()) throws(CollectorError) {
        self.path = path
        self.limits = limits
        let fd = try Self.openFile(path)
        var status = stat()
        let size = fstat(fd, &status) == 0 ? Int64(status.st_size) : 0
        file = Locked(File(descriptor: fd, size: size))
    }

    deinit { file.withLock { _ = close($0.descriptor) } }

    /// How many times the file was rotated to `FILE.1`.
    public var rotations: Int { file.withLock { $0.rotations } }

    /// How many addresses' rates are tracked.
    var trackedAddresses: Int { queue.withLock { $0.buckets.count } }

    /// Whether `address` may quarantine one more frame now (and counts it when so).
    /// - Parameters:
    ///   - address: the sender's IP address.
    ///   - now: the collector's clock, seconds since the epoch.
    public func admit(from address: String, at now: Int64) -> Bool {
        let rate = limits.rate, burst = Double(limits.burst)
        return queue.withLock { q in
            var bucket = q.buckets[address] ?? Bucket(tokens: burst, at: now)
            bucket.tokens = Swift.min(burst, bucket.tokens + Double(Swift.max(0, now - bucket.at)) * rate)
            bucket.at = now
            let admitted = bucket.tokens >= 1
            if admitted { bucket.tokens -= 1 }
            q.buckets[address] = bucket
            if q.buckets.count > q.pruneAt {
                // Addresses whose burst has refilled are as good as new: forget them.
                q.buckets = q.buckets.filter { Swift.min(burst, $0.value.tokens + Double(now - $0.value.at) * rate) < burst }
                q.pruneAt = Swift.max(1_024, q.buckets.count * 2)
            }
            return admitted
        }
    }

    /// Queues a frame for the file and returns at once; `done` is called on the writer's thread
    /// once the frame is on disk (`nil`) or could not be written, or at once when the backlog is full.
    public func keep(_ frame: [UInt8], then done: @escaping @Sendable (CollectorError?) -> Void) {
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
        let maxBacklog = limits.maxBacklogBytes
        let start = queue.withLock { q -> Bool? in
            guard q.bytes + line.count <= maxBacklog || q.lines.isEmpty else { return nil }
            q.lines.append(line)
            q.waiting.append(done)
            q.bytes += line.count
            defer { q.draining = true }
            return !q.draining
        }
        guard let start else {
            done(CollectorError(.store, "the quarantine file \(path) is \(maxBacklog) bytes behind: frame refused"))
            return
        }
        if start { writer.async { self.drain() } }
    }

    /// Writes what is queued, one `write` and one `fsync` per round, until nothing is.
    private func drain() {
        while true {
            let (lines, waiting) = queue.withLock { q -> ([[UInt8]], [@Sendable (CollectorError?) -> Void]) in
                // Nothing left: the next `keep` starts a new drain.
                if q.lines.isEmpty { q.draining = false }
                defer {
                    q.lines = []
                    q.waiting = []
                    q.bytes = 0
                }
                return (q.lines, q.waiting)
            }
            if lines.isEmpty { return }
            let error = append(lines)
            for done in waiting { done(error) }
        }
    }

    private func append(_ lines: [[UInt8]]) -> CollectorError? {
        file.withLock { f -> CollectorError? in
            var chunk: [UInt8] = []
            for line in lines {
                if f.size > 0 && f.size + Int64(chunk.count + line.count) > limits.maxBytes {
                    if let error = flush(&chunk, &f) ?? rotate(&f) { return error }
                }
                chunk += line
            }
            return flush(&chunk, &f)
        }
    }

    /// Appends `chunk` and syncs it.
    private func flush(_ chunk: inout [UInt8], _ f: inout File) -> CollectorError? {
        defer { chunk.removeAll(keepingCapacity: true) }
        guard !chunk.isEmpty else { return nil }
        var done = 0
        while done < chunk.count {
            let n = chunk.withUnsafeBytes { write(f.descriptor, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return failure("cannot write to") }
            done += n
        }
        f.size += Int64(chunk.count)
        return fsync(f.descriptor) == 0 ? nil : failure("cannot sync")
    }

    /// `FILE` becomes `FILE.1` (replacing it) and a new, empty `FILE` is opened.
    private func rotate(_ f: inout File) -> CollectorError? {
        guard rename(path, path + ".1") == 0 else { return failure("cannot rotate") }
        let fd: Int32
        do { fd = try Self.openFile(path) } catch { return error }
        close(f.descriptor)
        f.descriptor = fd
        f.size = 0
        f.rotations += 1
        return nil
    }

    private func failure(_ what: String) -> CollectorError {
        CollectorError(.store, "\(what) the quarantine file \(path): \(String(cString: strerror(errno)))")
    }

    private static func openFile(_ path: String) throws(CollectorError) -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CollectorError(.unreadable, "cannot open the quarantine file \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }
}
