@testable import Collectors
import Testing

/// The reply queue as a state machine: events in, replies and actions out.
@Suite struct HJ212ReplyQueueTests {
    /// Sends collected by a test.
    struct Sent {
        var replies: [[UInt8]] = []
        mutating func callAsFunction(_ reply: HJ212ReplyQueue<String>.Reply) { replies.append(reply.bytes) }
    }

    @Test func repliesGoOutInFrameOrderWhateverTheOrderOfCommits() {
        var queue = HJ212ReplyQueue<String>(maxInFlight: 256)
        var sent = Sent()
        let a = queue.enqueue(reply: [1], station: "s", waitsForCommit: true) { sent($0) }
        let b = queue.enqueue(reply: [2], station: "s", waitsForCommit: true) { sent($0) }
        let c = queue.enqueue(reply: [3], station: "s", waitsForCommit: false) { sent($0) }  // a 1013: no commit
        let d = queue.enqueue(reply: [4], station: "s", waitsForCommit: true) { sent($0) }
        #expect([a.action, b.action, c.action, d.action] == [.none, .none, .none, .none])
        #expect(queue.complete(d.id, acknowledged: true) { sent($0) } == .none)
        #expect(queue.complete(b.id, acknowledged: true) { sent($0) } == .none)
        #expect(sent.replies.isEmpty)  // all wait for the first
        #expect(queue.complete(a.id, acknowledged: true) { sent($0) } == .none)
        #expect(sent.replies == [[1], [2], [3], [4]])
        #expect(queue.count == 0)
    }

    @Test func aFailedCommitWithdrawsOnlyItsOwnReply() {
        var queue = HJ212ReplyQueue<String>(maxInFlight: 256)
        var sent = Sent()
        let a = queue.enqueue(reply: [1], station: "s", waitsForCommit: true) { sent($0) }
        let b = queue.enqueue(reply: [2], station: "s", waitsForCommit: true) { sent($0) }
        _ = queue.complete(b.id, acknowledged: true) { sent($0) }
        _ = queue.complete(a.id, acknowledged: false) { sent($0) }
        #expect(sent.replies == [[2]])
        // Completing twice, or an id never given, changes nothing.
        #expect(queue.complete(a.id, acknowledged: true) { sent($0) } == .none)
        #expect(queue.complete(99, acknowledged: true) { sent($0) } == .none)
        #expect(sent.replies == [[2]])
    }

    @Test func readingPausesAtTheLimitAndResumesBelowHalf() {
        var queue = HJ212ReplyQueue<String>(maxInFlight: 4)
        var sent = Sent()
        var ids: [Int] = []
        var actions: [HJ212ReplyQueue<String>.Action] = []
        for i in 0..<4 {
            let (id, action) = queue.enqueue(reply: [UInt8(i)], station: nil, waitsForCommit: true) { sent($0) }
            ids.append(id)
            actions.append(action)
        }
        #expect(actions == [.none, .none, .none, .pauseReading])
        #expect(queue.complete(ids[0], acknowledged: true) { sent($0) } == .none)  // 3 left: not below 2
        #expect(queue.complete(ids[1], acknowledged: true) { sent($0) } == .none)  // 2 left
        #expect(queue.complete(ids[2], acknowledged: true) { sent($0) } == .resumeReading)  // 1 left
        #expect(queue.complete(ids[3], acknowledged: true) { sent($0) } == .none)
    }

    @Test func aLimitOfOneResumesWhenEmpty() {
        var queue = HJ212ReplyQueue<String>(maxInFlight: 1)
        let (id, action) = queue.enqueue(reply: nil, station: nil, waitsForCommit: true) { _ in }
        #expect(action == .pauseReading)
        #expect(queue.complete(id, acknowledged: true) { _ in } == .resumeReading)
    }

    @Test func drainingClosesOnceTheLastReplyIsOut() {
        var empty = HJ212ReplyQueue<String>(maxInFlight: 8)
        #expect(empty.drain() == .close)

        var queue = HJ212ReplyQueue<String>(maxInFlight: 8)
        var sent = Sent()
        let a = queue.enqueue(reply: [1], station: nil, waitsForCommit: true) { sent($0) }
        let b = queue.enqueue(reply: [2], station: nil, waitsForCommit: true) { sent($0) }
        #expect(queue.drain() == .pauseReading)
        #expect(queue.complete(b.id, acknowledged: true) { sent($0) } == .none)
        #expect(queue.complete(a.id, acknowledged: true) { sent($0) } == .close)
        #expect(sent.replies == [[1], [2]])
    }

    @Test func drainingWhilePausedNeitherResumesNorPausesAgain() {
        var queue = HJ212ReplyQueue<String>(maxInFlight: 2)
        let a = queue.enqueue(reply: [1], station: nil, waitsForCommit: true) { _ in }
        let b = queue.enqueue(reply: [2], station: nil, waitsForCommit: true) { _ in }
        #expect(b.action == .pauseReading)
        #expect(queue.drain() == .none)
        #expect(queue.complete(a.id, acknowledged: true) { _ in } == .none)  // below half, but draining
        #expect(queue.complete(b.id, acknowledged: true) { _ in } == .close)
    }
}
