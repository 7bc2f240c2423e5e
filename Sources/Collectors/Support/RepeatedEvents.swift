public import Logging

/// Which occurrences of a repeated event make a log line: the first at once, then at most one line
/// per interval that says how many were not logged. A pure state machine: time is passed in.
///
/// A fault that hits every frame or every connection (a full disk, a flood of connections over the
/// limit) would otherwise write a line per occurrence: tens of thousands a minute, which bury the
/// first line that says what is wrong and can fill the disk that holds the log.
///
/// ```swift
/// var events = RepeatedEvents(interval: .seconds(10))
/// if let line = events.occurred("refused", level: .warning, at: now, message: "refused a connection") { log(line) }
/// for line in events.due(at: now) { log(line) }   // now and then: summaries of windows that ended
/// ```
public struct RepeatedEvents: Sendable {
    /// A line to write.
    public struct Line: Sendable, Hashable {
        /// The level its event was reported at.
        public var level: Logger.Level
        /// The text.
        public var text: String
    }

    private struct Window: Sendable {
        var start: Duration
        var level: Logger.Level
        var message: String
        var more: Int
    }

    /// The shortest time between two lines about the same event.
    public let interval: Duration
    /// The most events followed at once; occurrences of further ones share one window, so that a
    /// flood of distinct messages (random MNs from a scanner) cannot grow this without bound.
    public let maxEvents: Int
    private var windows: [String: Window] = [:]
    private var overflow: Window?

    /// Creates the state.
    ///
    /// - Parameters:
    ///   - interval: the shortest time between two lines about one event.
    ///   - maxEvents: how many distinct events are followed at once.
    public init(interval: Duration = .seconds(10), maxEvents: Int = 1_000) {
        self.interval = interval
        self.maxEvents = maxEvents
    }

    /// How many events are being followed (for tests).
    public var followed: Int { windows.count + (overflow == nil ? 0 : 1) }

    /// An occurrence of the event `key` at `now` (time since any fixed origin).
    ///
    /// - Returns: the line to log, or nil when it is only counted. The message is rendered only
    ///   when a line is returned.
    public mutating func occurred(
        _ key: String, level: Logger.Level, at now: Duration, message: @autoclosure () -> String
    ) -> Line? {
        if var window = windows[key] {
            if now - window.start < interval {
                window.more += 1
                windows[key] = window
                return nil
            }
            // The window is over: this occurrence is logged, with the count the window kept back.
            let text = message()
            let line = Line(level: level, text: Self.text(text, more: window.more, over: now - window.start))
            windows[key] = Window(start: now, level: level, message: text, more: 0)
            return line
        }
        guard windows.count < maxEvents else {
            if overflow == nil {
                let text = message()
                overflow = Window(start: now, level: level, message: text, more: 0)
                return Line(level: level, text: text + " (too many kinds of repeated event to follow each; further ones are counted together)")
            }
            overflow?.more += 1
            return nil
        }
        let text = message()
        windows[key] = Window(start: now, level: level, message: text, more: 0)
        return Line(level: level, text: text)
    }

    /// The summaries of windows that have ended by `now` with occurrences not yet logged. Such a
    /// window starts again, so an event that goes on makes one line per interval; a window that
    /// ended without any is forgotten, so the next occurrence of its event is logged at once.
    public mutating func due(at now: Duration) -> [Line] {
        lines(at: now, final: false)
    }

    /// Every window's summary, whether or not its interval is over, and forgets them (at shutdown).
    public mutating func all(at now: Duration) -> [Line] {
        lines(at: now, final: true)
    }

    private mutating func lines(at now: Duration, final: Bool) -> [Line] {
        var lines: [Line] = []
        for (key, window) in windows where final || now - window.start >= interval {
            if window.more > 0 {
                lines.append(Line(level: window.level, text: Self.text(window.message, more: window.more, over: now - window.start)))
            }
            windows[key] = window.more > 0 && !final ? Window(start: now, level: window.level, message: window.message, more: 0) : nil
        }
        if let window = overflow, final || now - window.start >= interval {
            if window.more > 0 {
                let text = "… and \(window.more) more repeated events of other kinds in the last \(Self.seconds(now - window.start)) s"
                lines.append(Line(level: window.level, text: text))
            }
            overflow = window.more > 0 && !final ? Window(start: now, level: window.level, message: window.message, more: 0) : nil
        }
        return lines
    }

    private static func text(_ message: String, more: Int, over: Duration) -> String {
        more == 0 ? message : "\(message) … and \(more) more in the last \(seconds(over)) s"
    }

    private static func seconds(_ duration: Duration) -> Int64 {
        let c = duration.components
        return max(1, c.seconds + (c.attoseconds >= 500_000_000_000_000_000 ? 1 : 0))
    }
}
