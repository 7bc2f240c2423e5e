import Monitoring
public import Logging

/// Keeps what is logged through its ``logger``, for tests that check what a component says and
/// how often.
///
/// ```swift
/// let log = LogRecorder()
/// component.run(logger: log.logger)
/// #expect(log.lines(containing: "refused").count == 1)
/// ```
public final class LogRecorder: Sendable {
    /// One recorded line.
    public struct Line: Sendable, Hashable {
        /// Its level.
        public var level: Logger.Level
        /// Its message.
        public var message: String
    }

    private let recorded = Locked<[Line]>([])

    /// Creates an empty recorder.
    public init() {}

    /// A logger that records here, at `level` and above.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    /// A logger that records everything here.
    public var logger: Logger { logger() }

    /// Every line so far.
    public var lines: [Line] { recorded.withLock { $0 } }

    /// The messages so far that contain `text`.
    public func lines(containing text: String) -> [String] {
        recorded.withLock { $0.map(\.message).filter { $0.contains(text) } }
    }

    fileprivate func record(_ line: Line) { recorded.withLock { $0.append(line) } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.record(Line(level: event.level, message: "\(event.message)"))
        }
    }
}
