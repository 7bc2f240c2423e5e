@testable import Collectors
import EnvmonTesting
import Logging
import Testing

/// Repeated events make one line, then at most one line per interval with a count.
@Suite struct RepeatedEventsTests {
    @Test func firstOccurrenceAtOnceThenOneSummaryPerInterval() {
        var events = RepeatedEvents(interval: .seconds(10))
        #expect(events.occurred("refused", level: .warning, at: .seconds(0), message: "refused a") == .init(level: .warning, text: "refused a"))
        for i in 1...4_936 {
            #expect(events.occurred("refused", level: .warning, at: .milliseconds(i), message: "refused \(i)") == nil)
        }
        // Another event is counted apart.
        #expect(events.occurred("not-stored", level: .error, at: .seconds(1), message: "not stored") != nil)
        #expect(events.due(at: .seconds(9)).isEmpty)
        #expect(
            events.due(at: .seconds(10)).sorted { $0.text < $1.text } == [.init(level: .warning, text: "refused a … and 4936 more in the last 10 s")])
        // The event goes on: counted, and summed up again when the next interval ends.
        #expect(events.occurred("refused", level: .warning, at: .seconds(12), message: "refused b") == nil)
        #expect(events.due(at: .seconds(20)).map(\.text) == ["refused a … and 1 more in the last 10 s"])
        // A quiet interval ends the window; the next occurrence is logged at once.
        #expect(events.due(at: .seconds(30)).isEmpty)
        #expect(events.occurred("refused", level: .warning, at: .seconds(31), message: "refused c")?.text == "refused c")
    }

    @Test func anOccurrenceAfterTheIntervalCarriesTheCount() {
        var events = RepeatedEvents(interval: .seconds(10))
        _ = events.occurred("e", level: .error, at: .zero, message: "x")
        for _ in 0..<3 { _ = events.occurred("e", level: .error, at: .seconds(5), message: "x") }
        #expect(events.occurred("e", level: .error, at: .seconds(11), message: "y")?.text == "y … and 3 more in the last 11 s")
        #expect(events.occurred("e", level: .error, at: .seconds(12), message: "z") == nil)
        #expect(events.all(at: .seconds(13)).map(\.text) == ["y … and 1 more in the last 2 s"])
    }

    @Test func distinctEventsBeyondTheLimitShareOneCount() {
        var events = RepeatedEvents(interval: .seconds(10), maxEvents: 2)
        #expect(events.occurred("a", level: .warning, at: .zero, message: "a") != nil)
        #expect(events.occurred("b", level: .warning, at: .zero, message: "b") != nil)
        #expect(events.occurred("c", level: .warning, at: .zero, message: "c")?.text.hasPrefix("c (too many kinds") == true)
        for i in 0..<100 { #expect(events.occurred("mn-\(i)", level: .warning, at: .zero, message: "unknown MN \(i)") == nil) }
        #expect(events.followed == 3)
        #expect(events.due(at: .seconds(10)).map(\.text) == ["… and 100 more repeated events of other kinds in the last 10 s"])
        #expect(events.due(at: .seconds(20)).isEmpty)
        #expect(events.followed == 0)
    }

    /// Through a logger, on a manual clock: 19,464 failures in 20 s make four lines, not 19,464.
    @Test func logWritesTheFirstLineAndSummariesOnFlush() {
        let recorder = LogRecorder()
        let clock = TestClock()
        let log = RepeatedEventLog(logger: recorder.logger, interval: .seconds(10), clock: clock)
        for i in 0..<19_464 {
            log.error("not-stored", "hj212: s1 from 10.0.0.1:5000: not stored, no reply: disk full (\(i))")
            if i % 973 == 0 {
                clock.advance(by: .seconds(1))
                log.flush()
            }
        }
        log.flush(final: true)
        let lines = recorder.lines(containing: "not stored")
        #expect(lines.count <= 4, "\(lines)")
        #expect(lines.first == "hj212: s1 from 10.0.0.1:5000: not stored, no reply: disk full (0)")
        let counted = lines.dropFirst().compactMap { line in
            line.split(separator: " … and ").last?.split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(1 + counted.reduce(0, +) == 19_464, "\(lines)")
        #expect(recorder.lines.allSatisfy { $0.level == .error })
    }

    @Test func eventsBelowTheLoggersLevelAreNotKept() {
        let recorder = LogRecorder()
        let log = RepeatedEventLog(logger: recorder.logger(level: .error), clock: TestClock())
        log.info("idle", "closing: idle")
        log.flush(final: true)
        #expect(recorder.lines.isEmpty)
    }
}
