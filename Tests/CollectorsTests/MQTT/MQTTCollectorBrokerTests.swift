@testable import Collectors
import EnvmonTesting
import Foundation
import Logging
import Monitoring
import Testing

/// The collector against a real mosquitto broker: QoS 1 in a persistent session, acknowledged
/// only once the sink (the commit) returned; re-delivered when it did not; reconnected after the
/// broker restarts.
@Suite(.serialized) struct MQTTCollectorBrokerTests {
    /// Records what it is given; fails the first `failures` deliveries.
    final class RecordingSink: MQTTMessageSink {
        struct State {
            var stored: [String] = []
            var refused: [String] = []
            var failuresLeft = 0
        }
        let state: Locked<State>
        init(failures: Int = 0) { state = Locked(State(failuresLeft: failures)) }

        func deliver(_ messages: [MQTTMessage]) async throws {
            let texts = messages.map { String(decoding: $0.payload, as: UTF8.self) }
            let fail = state.withLock { s -> Bool in
                if s.failuresLeft > 0 {
                    s.failuresLeft -= 1
                    s.refused += texts
                    return true
                }
                s.stored += texts
                return false
            }
            if fail { throw MQTTError(.notCommitted, "the test's store refused the batch") }
        }
        var stored: [String] { state.withLock { $0.stored } }
        var refused: [String] { state.withLock { $0.refused } }
    }

    private func configuration(_ broker: MosquittoBroker, clientID: String) -> MQTTConfiguration {
        var c = MQTTConfiguration()
        c.port = broker.port
        c.clientID = clientID
        c.reconnect = MQTTBackoff(minimumMilliseconds: 50, maximumMilliseconds: 400)
        c.subscriptions = [MQTTSubscription(filter: try! MQTTTopicFilter.parse("r/#").get(), format: .json)]
        return c
    }

    /// Runs a collector until the returned task is cancelled; returns once the broker has
    /// answered its subscription (the session exists from then on).
    private func start(_ broker: MosquittoBroker, clientID: String, sink: RecordingSink, logs: LogRecorder) async throws -> Task<Void, any Error> {
        let before = broker.log.components(separatedBy: "Sending SUBACK to \(clientID)").count
        let collector = MQTTCollector(configuration: configuration(broker, clientID: clientID), sink: sink, logger: logs.logger, random: { 0.5 })
        let task = Task { try await collector.run() }
        let subscribed = try await waitUntil { broker.log.components(separatedBy: "Sending SUBACK to \(clientID)").count > before }
        #expect(subscribed, "no SUBACK: \(broker.log)\n\(logs.lines.map(\.message))")
        return task
    }

    /// Two minutes: at the start of a full run every suite starts at once on two cores, and the
    /// cooperative pool was seen busy for 24 s (unit tests that take milliseconds reported 24 s),
    /// long enough that the collector's subscription missed a 20 s wait. A condition that never
    /// holds still fails.
    private func waitUntil(_ seconds: Double = 120, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func aBatchWhoseCommitFailedIsDeliveredAgainAndAnAcknowledgedOneIsNot() async throws {
        let broker = try MosquittoBroker()
        let logs = LogRecorder()
        let sink = RecordingSink(failures: 1)
        let first = try await start(broker, clientID: "t-redeliver", sink: sink, logs: logs)
        try broker.publish(topic: "r/a", "m1")
        // Refused once: not acknowledged, so the broker sends it again on the next connection.
        #expect(try await waitUntil { sink.stored == ["m1"] }, "stored \(sink.stored), refused \(sink.refused)")
        #expect(sink.refused == ["m1"])
        #expect(logs.lines(containing: "was not committed").count == 1)
        first.cancel()
        _ = await first.result

        // A new collector of the same session gets what was published since, and not m1 again:
        // its PUBACK went out once it was stored.
        let second = RecordingSink()
        let next = try await start(broker, clientID: "t-redeliver", sink: second, logs: logs)
        try broker.publish(topic: "r/a", "m2")
        #expect(try await waitUntil { second.stored == ["m2"] }, "\(second.stored)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(second.stored == ["m2"])
        next.cancel()
        _ = await next.result
    }

    @Test func messagesPublishedWhileTheCollectorIsAwayArriveWhenItComesBack() async throws {
        let broker = try MosquittoBroker()
        let logs = LogRecorder()
        let sink = RecordingSink()
        let first = try await start(broker, clientID: "t-session", sink: sink, logs: logs)
        first.cancel()
        _ = await first.result
        for i in 1...5 { try broker.publish(topic: "r/x/\(i)", "away-\(i)") }
        try broker.publish(topic: "elsewhere", "not subscribed")
        let again = RecordingSink()
        let second = try await start(broker, clientID: "t-session", sink: again, logs: logs)
        #expect(try await waitUntil { again.stored.count == 5 }, "\(again.stored)")
        #expect(again.stored == (1...5).map { "away-\($0)" })
        #expect(logs.lines(containing: "resuming its session").count == 1, "\(logs.lines.map(\.message))")
        second.cancel()
        _ = await second.result
    }

    @Test func aRestartedBrokerIsReconnectedToAndTheLossIsLoggedOnce() async throws {
        let broker = try MosquittoBroker()
        let logs = LogRecorder()
        let sink = RecordingSink()
        let task = try await start(broker, clientID: "t-restart", sink: sink, logs: logs)
        try broker.publish(topic: "r/1", "before")
        #expect(try await waitUntil { sink.stored == ["before"] })
        broker.stop()
        // Several retries fail while the broker is down (50 ms doubling to 400 ms).
        try await Task.sleep(for: .milliseconds(1_500))
        try broker.start()
        try broker.publish(topic: "r/1", "after")
        #expect(try await waitUntil { sink.stored == ["before", "after"] }, "\(sink.stored)")
        #expect(logs.lines(containing: "connection to mqtt://127.0.0.1:\(broker.port) lost").count == 1, "\(logs.lines.map(\.message))")
        #expect(logs.lines(containing: "again after").count == 1, "\(logs.lines.map(\.message))")
        let retries = logs.lines.filter { $0.level == .debug && $0.message.contains("attempt") }.count
        #expect(retries >= 2, "\(logs.lines.map(\.message))")
        task.cancel()
        _ = await task.result
    }
}
