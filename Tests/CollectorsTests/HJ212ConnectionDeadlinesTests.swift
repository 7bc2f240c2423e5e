@testable import Collectors
import NIOCore
import Testing

/// The frame and idle timeouts as a state machine: reads and times in, verdicts out.
@Suite struct HJ212ConnectionDeadlinesTests {
    static func at(_ seconds: Int64) -> NIODeadline { .uptimeNanoseconds(UInt64(seconds) * 1_000_000_000) }
    static func deadlines() -> HJ212ConnectionDeadlines {
        HJ212ConnectionDeadlines(connectedAt: at(0), frameTimeout: .seconds(60), idleTimeout: .seconds(600))
    }

    @Test func theFirstFrameIsDueWithinTheFrameTimeoutOfConnecting() {
        let d = Self.deadlines()
        #expect(d.verdict(at: Self.at(10)) == .check(at: Self.at(60)))
        #expect(d.verdict(at: Self.at(60)) == .close(.noFirstFrame))
    }

    @Test func afterAFrameOnlyIdlenessCountsUntilTheNextFrameBegins() {
        var d = Self.deadlines()
        d.read(at: Self.at(5), completedFrames: 1, holdsPartialFrame: false)
        // Checked at least once a frame timeout, as a frame may begin at any time.
        #expect(d.verdict(at: Self.at(5)) == .check(at: Self.at(65)))
        #expect(d.verdict(at: Self.at(600)) == .check(at: Self.at(605)))
        #expect(d.verdict(at: Self.at(605)) == .close(.idle))
    }

    @Test func aFrameMustEndWithinTheFrameTimeoutOfItsFirstByte() {
        var d = Self.deadlines()
        d.read(at: Self.at(5), completedFrames: 1, holdsPartialFrame: false)
        #expect(d.needsTime(completedFrames: 0, holdsPartialFrame: true))
        d.read(at: Self.at(100), completedFrames: 0, holdsPartialFrame: true)
        // More bytes of the same frame change nothing (and need no clock).
        #expect(!d.needsTime(completedFrames: 0, holdsPartialFrame: true))
        #expect(d.verdict(at: Self.at(159)) == .check(at: Self.at(160)))
        #expect(d.verdict(at: Self.at(160)) == .close(.incompleteFrame))
    }

    @Test func aFrameEndingWithTheNextOnesFirstBytesStartsItsTimeAtOnce() {
        var d = Self.deadlines()
        d.read(at: Self.at(5), completedFrames: 2, holdsPartialFrame: true)
        #expect(d.verdict(at: Self.at(64)) == .check(at: Self.at(65)))
        #expect(d.verdict(at: Self.at(65)) == .close(.incompleteFrame))
        d.read(at: Self.at(30), completedFrames: 1, holdsPartialFrame: false)
        #expect(d.verdict(at: Self.at(65)) == .check(at: Self.at(125)))
    }

    @Test func bytesThatMakeNoFrameNeitherStartNorPostponeAnything() {
        var d = Self.deadlines()
        d.read(at: Self.at(1), completedFrames: 1, holdsPartialFrame: false)
        #expect(!d.needsTime(completedFrames: 0, holdsPartialFrame: false))
        #expect(d.verdict(at: Self.at(601)) == .close(.idle))
    }

    @Test func nothingRunsOutWhileTheServerDoesNotRead() {
        var d = Self.deadlines()
        d.read(at: Self.at(1), completedFrames: 1, holdsPartialFrame: true)
        d.pause()
        #expect(d.verdict(at: Self.at(1_000)) == .check(at: Self.at(1_060)))
        d.resume(at: Self.at(1_000))
        #expect(d.verdict(at: Self.at(1_059)) == .check(at: Self.at(1_060)))
        #expect(d.verdict(at: Self.at(1_060)) == .close(.incompleteFrame))
    }
}
