import Store
import Foundation

/// Appends one JSON line per alert to a file: the webhook alert object plus `receiver`,
/// `groupKey` and `idempotencyKey`. The file is opened with `O_APPEND` for each message and
/// `fsync`ed before the delivery counts; an I/O error is retried. Writes run on a queue of the
/// channel's own, off the cooperative pool.
public struct FileChannel: NotificationChannel {
    public let config: FileConfig
    private let queue: DispatchQueue

    /// Creates the channel.
    public init(config: FileConfig) {
        self.config = config
        queue = DispatchQueue(label: "envmon.file-channel")
    }

    /// One line of the file.
    public struct Line: Codable, Sendable, Hashable {
        public var receiver: String
        public var groupKey: String
        public var idempotencyKey: String
        public var status: String
        public var labels: [String: String]
        public var annotations: [String: String]
        public var startsAt: String
        public var endsAt: String
        public var generatorURL: String
        public var fingerprint: String
    }

    /// The lines for `message`, each ending in a newline.
    public func lines(for message: NotificationMessage) -> [UInt8] {
        var out: [UInt8] = []
        for alert in message.alerts {
            let a = WebhookAlert(alert, externalURL: message.externalURL)
            let line = Line(
                receiver: message.receiver, groupKey: message.groupKey, idempotencyKey: message.idempotencyKey, status: a.status,
                labels: a.labels, annotations: a.annotations, startsAt: a.startsAt, endsAt: a.endsAt, generatorURL: a.generatorURL,
                fingerprint: a.fingerprint)
            out += WebhookPayload.encode(line)
            out.append(0x0a)
        }
        return out
    }

    public func send(_ message: NotificationMessage, now: Int64) async -> RetryPolicy.Outcome {
        let bytes = lines(for: message)
        let path = config.path
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Self.append(bytes, to: path)) }
        }
    }

    static func append(_ bytes: [UInt8], to path: String) -> RetryPolicy.Outcome {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .init(failure: ioError("open", path)) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return .init(failure: ioError("write", path))
            }
            offset += n
        }
        guard fsync(fd) == 0 else { return .init(failure: ioError("fsync", path)) }
        return .delivered
    }

    static func ioError(_ call: String, _ path: String) -> NotifierError {
        NotifierError(.io, "file \(path): \(call): \(String(cString: strerror(errno)))")
    }
}
