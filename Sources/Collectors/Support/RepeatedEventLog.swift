import Monitoring
public import Logging

/// A log for events that can repeat thousands of times a second: each event (by key) is logged
/// the first time at once, then at most once per interval with how many occurrences were not
/// (see ``RepeatedEvents``). Shared by every connection of a server; thread-safe.
///
/// ```swift
/// let events = RepeatedEventLog(logger: logger)
/// events.warning("refused", "hj212: refused a connection from \(address): connection limit")
/// // every second or so, and once at shutdown:
/// events.flush()
/// ```
///
/// Counted occurrences take a lock and no formatting; only logged lines render their message.
/// Summaries of events that stop are written by ``flush()``, which its owner calls now and then
/// (``HJ212Server`` every second) and with `final: true` when it stops.
public final class RepeatedEventLog: Sendable {
    /// The underlying log.
    public let logger: Logger
    private let state: Locked<RepeatedEvents>
    private let elapsed: @Sendable () -> Duration

    /// Creates the log.
    ///
    /// - Parameters:
    ///   - logger: where lines go.
    ///   - interval: the shortest time between two lines about the same event; 10 s by default.
    ///   - clock: the clock that times the intervals; tests pass a manual one.
    public init<C: Clock>(logger: Logger, interval: Duration = .seconds(10), clock: C) where C.Duration == Duration {
        self.logger = logger
        state = Locked(RepeatedEvents(interval: interval))
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
    }

    /// Creates the log, timed by the continuous clock.
    public convenience init(logger: Logger, interval: Duration = .seconds(10)) {
        self.init(logger: logger, interval: interval, clock: ContinuousClock())
    }

    /// An occurrence of the event `key`, logged at `level` when it is not only counted.
    public func log(_ level: Logger.Level, _ key: String, _ message: @autoclosure () -> String) {
        // Below the logger's level nothing would be written: not even counted.
        guard logger.logLevel <= level else { return }
        let now = elapsed()
        let line = state.withLock { $0.occurred(key, level: level, at: now, message: message()) }
        if let line { logger.log(level: line.level, "\(line.text)") }
    }

    /// ``log(_:_:_:)`` at warning level.
    public func warning(_ key: String, _ message: @autoclosure () -> String) { log(.warning, key, message()) }

    /// ``log(_:_:_:)`` at error level.
    public func error(_ key: String, _ message: @autoclosure () -> String) { log(.error, key, message()) }

    /// ``log(_:_:_:)`` at info level.
    public func info(_ key: String, _ message: @autoclosure () -> String) { log(.info, key, message()) }

    /// Writes the summaries of intervals that have ended; with `final`, of every interval.
    public func flush(final: Bool = false) {
        let now = elapsed()
        let lines = state.withLock { final ? $0.all(at: now) : $0.due(at: now) }
        for line in lines { logger.log(level: line.level, "\(line.text)") }
    }
}
