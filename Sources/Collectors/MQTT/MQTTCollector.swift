import Dispatch
import Foundation
public import Logging
import Monitoring
public import ServiceLifecycle

/// Collects readings from an MQTT broker: subscribes with QoS 1 in a persistent session (clean
/// session off, under the configured client id) and hands each batch of messages to a
/// ``MQTTMessageSink``; a message is acknowledged (PUBACK) only after the sink returned, that is
/// after its readings are committed. What was delivered but not committed — the daemon killed,
/// the commit failed — is delivered again by the broker, from the session it keeps.
///
/// libmosquitto runs on the collector's own thread (its calls block), never on Swift's
/// cooperative pool. A lost connection is retried with exponential backoff and jitter
/// (``MQTTBackoff``); the log says when the broker went away and when it came back, once each,
/// not once per retry.
public final class MQTTCollector: Service, Sendable {
    /// The settings.
    public let configuration: MQTTConfiguration
    private let sink: any MQTTMessageSink
    private let metrics: MQTTMetrics
    private let logger: Logger
    private let random: @Sendable () -> Double
    /// At most this many messages make one batch (libmosquitto reads one packet a call; the
    /// broker sends at most its in-flight limit, 20 by default, before it sees PUBACKs).
    public static let maxBatch = 1_000

    private let stopping = Locked(false)
    private let wake = DispatchSemaphore(value: 0)

    /// Creates the collector.
    /// - Parameters:
    ///   - configuration: the broker, the client id and the subscriptions.
    ///   - sink: where the messages go; returns after their commit.
    ///   - metrics: its figures.
    ///   - logger: where the connection's transitions are told.
    ///   - random: numbers in [0, 1) for the backoff's jitter.
    public init(
        configuration: MQTTConfiguration, sink: any MQTTMessageSink, metrics: MQTTMetrics = MQTTMetrics(), logger: Logger,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        self.logger = logger
        self.random = random
    }

    /// Runs until graceful shutdown or cancellation; then the batch in hand is committed and
    /// acknowledged, and the connection is closed with DISCONNECT (the session stays on the broker).
    /// A thread stuck in a connection attempt (a broker that does not answer SYNs) is left
    /// behind after ``stopTimeout``: it can acknowledge nothing that is not committed.
    public func run() async throws {
        let waiting = Locked<CheckedContinuation<Void, Never>?>(nil)
        let finish: @Sendable () -> Void = { waiting.withLock { $0?.resume(); $0 = nil } }
        await withTaskCancellationOrGracefulShutdownHandler {
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                waiting.withLock { $0 = done }
                let thread = Thread { [self] in
                    loop()
                    finish()
                }
                thread.name = "envmon-mqtt"
                thread.start()
            }
        } onCancelOrGracefulShutdown: { [self] in
            stop()
            Task { [logger, timeout = Self.stopTimeout] in
                try? await Task.sleep(for: timeout)
                if waiting.withLock({ $0 != nil }) {
                    logger.warning("mqtt: the collector did not stop within \(timeout) (a connection attempt hangs); leaving it")
                    finish()
                }
            }
        }
    }

    /// How long a shutdown waits for the collector's thread.
    public static let stopTimeout = Duration.seconds(5)

    /// Asks the collector's thread to finish.
    public func stop() {
        stopping.withLock { $0 = true }
        wake.signal()
    }

    private var isStopping: Bool { stopping.withLock { $0 } }

    /// Why a connection ended.
    private enum End {
        case stopped
        case lost(String)
        case refused(String)
        case notCommitted(String)
    }

    private func loop() {
        let broker = configuration.brokerDescription
        var failures = 0  // attempts in a row that did not end in a working connection
        var everConnected = false
        var down: (since: ContinuousClock.Instant, reason: String)?  // told once, until connected again
        while !isStopping {
            let client: MQTTClient
            do {
                client = try MQTTClient(configuration: configuration)
            } catch {
                logger.critical("mqtt: \(error); the collector stops")
                return
            }
            var end: End
            var connected = false
            if let problem = client.connect() {
                end = .lost("cannot connect: \(problem)")
            } else {
                (end, connected) = serve(client, broker: broker) { sessionPresent in
                    if let d = down {
                        let seconds = Double((ContinuousClock.now - d.since).components.seconds)
                        logger.notice("mqtt: connected to \(broker) again after \(failures) failed attempt\(failures == 1 ? "" : "s") over \(Int(seconds)) s (\(sessionPresent ? "the broker kept the session" : "NEW session: messages published while away were not kept"))")
                    } else {
                        logger.notice("mqtt: connected to \(broker) as '\(configuration.clientID)', \(sessionPresent ? "resuming its session" : "new session"); subscribed to \(configuration.subscriptions.map { "\($0.filter) (\($0.format.rawValue))" }.joined(separator: ", "))")
                    }
                    if everConnected || failures > 0 { metrics.reconnected() }
                    everConnected = true
                    failures = 0
                    down = nil
                    metrics.connection(up: true)
                }
            }
            metrics.connection(up: false)
            let reason: String
            switch end {
            case .stopped:
                logger.info("mqtt: disconnected from \(broker)")
                return
            case .lost(let r), .refused(let r), .notCommitted(let r): reason = r
            }
            if connected { failures = 0 }
            failures += 1
            if down == nil {
                down = (ContinuousClock.now, reason)
                let what = connected ? "connection to \(broker) lost" : "no connection to \(broker)"
                logger.warning("mqtt: \(what): \(reason); retrying with backoff up to \(configuration.reconnect.maximumMilliseconds / 1_000) s (each retry is logged at debug level)")
            } else {
                logger.debug("mqtt: attempt \(failures) failed: \(reason)")
            }
            let delay = configuration.reconnect.delay(attempt: failures, unit: random())
            _ = wake.wait(timeout: .now() + .milliseconds(delay))
        }
    }

    /// Serves one connection until it ends; returns why, and whether it was ever up.
    private func serve(_ client: MQTTClient, broker: String, connectedNow: (Bool) -> Void) -> (End, Bool) {
        var up = false
        while true {
            if isStopping { return (closeGracefully(client), up) }
            let fd = client.socket
            guard fd >= 0 else { return (.lost("the socket closed"), up) }
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN) | (client.wantsWrite ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&descriptor, 1, 200)
            if ready > 0 && descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let rc = client.read()
                if rc != 0 { return (.lost(lostReason(client, rc)), up) }
                // Whatever else has arrived joins the batch, without waiting.
                while client.events.messages.count < Self.maxBatch {
                    var more = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                    guard poll(&more, 1, 0) > 0 else { break }
                    let rc = client.read()
                    if rc != 0 { return (.lost(lostReason(client, rc)), up) }
                }
            }
            if let connack = client.events.connack {
                client.events.connack = nil
                guard connack.code == 0 else {
                    return (.refused("the broker refused the connection: \(MQTTClient.describeConnack(connack.code))"), up)
                }
                up = true
                connectedNow(connack.sessionPresent)
            }
            if client.events.unmatched > 0 {
                logger.warning("mqtt: \(client.events.unmatched) message(s) on topics no subscription matches were ignored (acknowledged)")
                client.events.unmatched = 0
            }
            if !client.events.messages.isEmpty {
                let batch = client.events.messages
                client.events.messages = []
                metrics.received(batch.count)
                if let failure = deliver(batch) {
                    // Nothing of the queue is written: the PUBACKs stay unsent, and the broker
                    // delivers the batch again on the next connection.
                    metrics.batchFailed()
                    return (.notCommitted("a batch of \(batch.count) message(s) was not committed (\(failure)); not acknowledged, the broker sends it again"), up)
                }
            }
            if client.wantsWrite {
                let rc = client.write()
                if rc != 0 { return (.lost(lostReason(client, rc)), up) }
            }
            let rc = client.misc()
            if rc != 0 { return (.lost(lostReason(client, rc)), up) }
        }
    }

    private func lostReason(_ client: MQTTClient, _ rc: Int32) -> String {
        let code = client.events.disconnected ?? rc
        return MQTTClient.describe(code == 0 ? rc : code)
    }

    /// Everything read is committed (``serve`` delivers before it looks at `stopping` again):
    /// writes the PUBACKs and DISCONNECT, for at most two seconds.
    private func closeGracefully(_ client: MQTTClient) -> End {
        client.disconnect()
        let deadline = ContinuousClock.now + .seconds(2)
        while client.wantsWrite && client.socket >= 0 && ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: client.socket, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, 100)
            if client.write() != 0 { break }
        }
        return .stopped
    }

    /// Hands a batch to the sink and waits for its commit; the error when it failed.
    private func deliver(_ batch: [MQTTMessage]) -> String? {
        let outcome = Locked<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Task { [sink] in
            do {
                try await sink.deliver(batch)
            } catch {
                outcome.withLock { $0 = "\(error)" }
            }
            finished.signal()
        }
        finished.wait()
        return outcome.withLock { $0 }
    }
}
