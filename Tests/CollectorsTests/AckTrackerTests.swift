import Collectors
import Testing

/// Resend bookkeeping on injected times.
@Suite struct AckTrackerTests {
    @Test func anAcknowledgementEndsTheWaitAndGivesTheLatencyFromTheFirstSend() {
        var t = AckTracker<Int>(timeout: 100, maxResends: 2)
        let first = t.sent("A", payload: 1, at: 1_000)
        let again = t.sent("A", payload: 9, at: 1_001)
        let second = t.sent("B", payload: 2, at: 1_010)
        #expect(first && !again && second, "a QN already awaited is not tracked twice")
        #expect(t.count == 2 && t.contains("A"))
        #expect(t.nextDeadline == 1_100)
        let ack = t.acknowledge("A", at: 1_042)
        #expect(ack?.latency == 42 && ack?.entry.payload == 1 && ack?.entry.sends == 1)
        #expect(t.acknowledge("A", at: 1_050) == nil, "a duplicate reply matches nothing")
        #expect(t.acknowledge("Z", at: 1_050) == nil)
        #expect(t.count == 1 && t.nextDeadline == 1_110)
    }

    @Test func resendsAfterEachTimeoutThenGivesUp() {
        var t = AckTracker<String>(timeout: 100, maxResends: 2)
        t.sent("A", payload: "a", at: 0)
        #expect(t.due(at: 99).isEmpty)
        guard case .resend(let first)? = t.due(at: 100).first else { Issue.record("no resend at the timeout"); return }
        #expect(first.sends == 2 && first.lastSent == 100 && first.firstSent == 0 && first.resends == 1)
        #expect(t.due(at: 150).isEmpty, "the timeout restarts at each send")
        #expect(t.nextDeadline == 200)
        guard case .resend(let second)? = t.due(at: 230).first else { Issue.record("no second resend"); return }
        #expect(second.sends == 3 && second.lastSent == 230)
        guard case .giveUp(let last)? = t.due(at: 330).first else { Issue.record("not given up after 2 resends"); return }
        #expect(last.qn == "A" && last.sends == 3)
        #expect(t.isEmpty && t.nextDeadline == nil)
        #expect(t.due(at: 1_000).isEmpty)
    }

    @Test func anAckAfterAResendStillCountsFromTheFirstSend() {
        var t = AckTracker<Int>(timeout: 100, maxResends: 5)
        t.sent("A", payload: 1, at: 0)
        _ = t.due(at: 100)
        #expect(t.acknowledge("A", at: 130)?.latency == 130)
    }

    @Test func zeroResendsGivesUpAtTheFirstTimeout() {
        var t = AckTracker<Int>(timeout: 10, maxResends: 0)
        t.sent("A", payload: 1, at: 0)
        let actions = t.due(at: 10)
        guard case .giveUp(let entry)? = actions.first else { Issue.record("expected a give-up"); return }
        #expect(entry.sends == 1 && actions.count == 1)
    }

    @Test func dueFramesComeInSendOrder() {
        var t = AckTracker<Int>(timeout: 50, maxResends: 3)
        for (i, qn) in ["Q3", "Q1", "Q2", "Q0"].enumerated() { t.sent(qn, payload: i, at: Int64(i)) }
        let qns = t.due(at: 60).map { action -> String in
            switch action {
            case .resend(let e), .giveUp(let e): e.qn
            }
        }
        #expect(qns == ["Q3", "Q1", "Q2", "Q0"])
        #expect(t.pending.map(\.payload) == [0, 1, 2, 3])
    }

    @Test func resendAllAfterAReconnectCountsAsASendAndRespectsTheLimit() {
        var t = AckTracker<Int>(timeout: 1_000, maxResends: 1)
        t.sent("A", payload: 1, at: 0)
        t.sent("B", payload: 2, at: 5)
        let first = t.resendAll(at: 10)
        #expect(first.count == 2)
        #expect(t.pending.allSatisfy { $0.sends == 2 && $0.lastSent == 10 })
        // B is acknowledged; A has used its one resend and is given up at the next reconnect.
        _ = t.acknowledge("B", at: 20)
        let second = t.resendAll(at: 30)
        guard case .giveUp(let a)? = second.first else { Issue.record("expected A given up"); return }
        #expect(a.qn == "A" && second.count == 1 && t.isEmpty)
    }

    @Test func giveUpAllEmptiesTheTracker() {
        var t = AckTracker<Int>(timeout: 10, maxResends: 1)
        t.sent("A", payload: 1, at: 0)
        t.sent("B", payload: 2, at: 1)
        #expect(t.giveUpAll().map(\.qn) == ["A", "B"])
        #expect(t.isEmpty)
    }
}
