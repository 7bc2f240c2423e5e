import Collectors
import Foundation
import Monitoring
import NIOCore
import NIOPosix

/// One simulated station's field unit: connects to the collector, sends the station's frames as
/// fast as the window, the rate and the acknowledgements allow, matches each 9014 reply by `QN`,
/// resends after the timeout, gives up after the last resend, and reconnects after a dropout or a
/// closed connection, resending every unacknowledged frame first.
///
/// Confined to one event loop: created there, and every connection of the station uses it, so no
/// state is shared across threads. The frames and the bookkeeping come from the pure
/// ``StationSimulator`` and ``AckTracker``.
final class SimulationSession {
    private let loop: any EventLoop
    private let plan: SimulationPlan
    private let index: Int
    private var simulator: StationSimulator
    private var tracker: AckTracker<SentFrame>
    private var report: StationReport
    private let finished: EventLoopPromise<StationReport>
    private var splitter = HJ212FrameSplitter()
    /// One for every session: a decoder builds its code table from the catalogue.
    private static let decoder = HJ212Decoder(parsesValues: false)
    private var channel: (any Channel)?
    private var connecting = false
    private var done = false
    private var generated = 0
    private var startedAt = NIODeadline.now()
    /// Connection attempts that failed, and connections closed by the collector before any
    /// acknowledgement, since the last acknowledgement.
    private var failuresInARow = 0
    private var ackedOnThisConnection = false
    private var ackTimer: (at: Int64, task: Scheduled<Void>)?
    private let scheduler: SendScheduler
    private var schedulerHandle: Int32 = -1
    private var sendTimerArmed = false
    private var keepAlive: SimulationSession?

    /// Runs a station's session on `loop`; the future completes with its report.
    static func run(
        station: Station, index: Int, start: Int64, episodes: [Episode], plan: SimulationPlan, on loop: any EventLoop,
        scheduler: NIOLoopBound<SendScheduler>
    ) -> EventLoopFuture<StationReport> {
        loop.flatSubmit {
            do {
                let simulator = try StationSimulator(
                    station, kind: plan.kind, seed: plan.seed, start: start, episodes: episodes, flags: plan.flags)
                let session = SimulationSession(
                    loop: loop, plan: plan, index: index, simulator: simulator, scheduler: scheduler.value)
                session.start()
                return session.finished.futureResult
            } catch {
                var report = StationReport(station: station.id)
                report.error = "\(error)"
                return loop.makeSucceededFuture(report)
            }
        }
    }

    private init(loop: any EventLoop, plan: SimulationPlan, index: Int, simulator: StationSimulator, scheduler: SendScheduler) {
        self.loop = loop
        self.scheduler = scheduler
        self.plan = plan
        self.index = index
        self.simulator = simulator
        tracker = AckTracker(timeout: plan.ackTimeout.nanoseconds, maxResends: plan.maxResends)
        report = StationReport(station: simulator.model.station.id)
        finished = loop.makePromise(of: StationReport.self)
    }

    private var maxFailuresInARow: Int { Swift.max(3, plan.maxResends + 1) }

    private func start() {
        keepAlive = self
        schedulerHandle = scheduler.register(self)
        connect()
    }

    /// Starts the station's send schedule, on its first connection.
    ///
    /// Field units are not in step: each keeps its own schedule, started at its own moment.
    /// Spread the stations' phases over one interval (golden-ratio sequence, so any number of
    /// stations covers it evenly) instead of sending in bursts. The schedule starts once the
    /// unit is connected: started before, every unit of a large network would owe the frames
    /// of its connecting time at once, a burst that only a collector restart produces (and
    /// `--dropout` plays the reconnects of a running network).
    private func startSchedule() {
        startedAt = .now()
        if let interval = plan.sendInterval {
            let fraction = (Double(index) * 0.618_033_988_749_895).truncatingRemainder(dividingBy: 1)
            startedAt = startedAt + .nanoseconds(Int64(Double(interval.nanoseconds) * fraction))
        }
    }

    // MARK: - Connections

    private func connect() {
        guard !connecting, channel == nil, !done else { return }
        connecting = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        var bootstrap = ClientBootstrap(group: loop)
            .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(SimulationClientHandler(session: bound.value))
                }
            }
        if !plan.sourceAddresses.isEmpty {
            let address = plan.sourceAddresses[index % plan.sourceAddresses.count]
            do {
                bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: address, port: 0))
            } catch {
                connecting = false
                fail("bad source address '\(address)': \(error)")
                return
            }
        }
        let connecting = plan.address.map { bootstrap.connect(to: $0) } ?? bootstrap.connect(host: plan.host, port: plan.port)
        connecting.assumeIsolated().whenComplete { result in
            self.connecting = false
            switch result {
            case .success(let channel): self.connected(channel)
            case .failure(let error): self.connectFailed(error)
            }
        }
    }

    private func connected(_ channel: any Channel) {
        guard !done else {
            channel.close(promise: nil)
            return
        }
        self.channel = channel
        report.connections += 1
        if report.connections == 1 { startSchedule() }
        splitter = HJ212FrameSplitter()
        ackedOnThisConnection = false
        for action in tracker.resendAll(at: Self.now()) { apply(action, on: channel) }
        channel.flush()
        pump()
    }

    private func connectFailed(_ error: any Error) {
        guard !done else { return }
        report.connectFailures += 1
        failuresInARow += 1
        guard failuresInARow <= maxFailuresInARow else {
            fail("cannot connect to \(plan.host):\(plan.port) (\(failuresInARow) attempts): \(error)")
            return
        }
        reconnect()
    }

    /// The connection closed: by the collector, or under us.
    func disconnected(_ closed: any Channel) {
        guard let current = channel, current === closed else { return }  // a dropout we made, or a stale channel
        channel = nil
        guard !done else { return }
        if !ackedOnThisConnection { failuresInARow += 1 }
        guard failuresInARow <= maxFailuresInARow else {
            fail("the collector at \(plan.host):\(plan.port) closed \(failuresInARow) connections in a row without acknowledging anything")
            return
        }
        report.reconnects += 1
        reconnect()
    }

    /// Connects again: at once after a clean close, after a growing pause (50 ms … 2 s) after failures.
    private func reconnect() {
        guard failuresInARow > 0 else {
            connect()
            return
        }
        let pause = Swift.min(2_000, 50 << Swift.min(failuresInARow - 1, 6))
        loop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(pause))) {
            if !self.done { self.connect() }
        }
    }

    // MARK: - Frames and acknowledgements

    /// Bytes from the collector: 9014 replies, matched by `QN` (from this connection or an earlier one).
    func received(_ buffer: ByteBuffer) {
        guard !done else { return }
        var frames: [[UInt8]] = []
        buffer.withUnsafeReadableBytes { bytes in
            splitter.feed(bytes) { output in
                if case .frame(let frame) = output { frames.append(frame) }
            }
        }
        let now = Self.now()
        for bytes in frames {
            // The common case on a fast path; anything else as the decoder reads it.
            let scanned = DataReplyScan.qn(ofDataReply: bytes)
            guard let qn = scanned ?? Optional(Self.decoder.decode(bytes)).flatMap({ $0.cn == "9014" ? $0.qn : nil }) else { continue }
            if let ack = tracker.acknowledge(qn, at: now) {
                report.acks += 1
                report.latencies.append(ack.latency)
                report.sentAt.append(Int32((now - ack.latency - Int64(plan.began.uptimeNanoseconds)) / 1_000_000))
                if let log = plan.ackedLog, let frame = ack.entry.payload.frame { log.append(frame) }
                failuresInARow = 0
                ackedOnThisConnection = true
            } else {
                report.duplicateAcks += 1
            }
        }
        pump()
    }

    /// Sends new frames while the window, the rate and the run's limits allow.
    private func pump() {
        guard !done else { return }
        guard let channel else { return }
        let now = NIODeadline.now()
        var wrote = false
        while tracker.count < plan.window, !noMoreFrames(now) {
            if let interval = plan.sendInterval {
                let due = startedAt + .nanoseconds(interval.nanoseconds * Int64(generated))
                if due > now {
                    armSendTimer(due)
                    break
                }
            }
            let frame: SentFrame
            do {
                // Real-time frames go straight into bytes unless the acked log wants their readings.
                if plan.kind == .realtime && plan.ackedLog == nil {
                    frame = try simulator.nextRealtimeFrame(sentAt: Self.wallMilliseconds())
                } else {
                    frame = SentFrame(try simulator.nextFrame(sentAt: Self.wallMilliseconds()))
                }
            } catch {
                fail("\(error)")
                return
            }
            generated += 1
            report.framesSent += 1
            report.flags[frame.flag, default: 0] += 1
            tracker.sent(frame.qn, payload: frame, at: Int64(now.uptimeNanoseconds))
            channel.write(channel.allocator.buffer(bytes: frame.bytes), promise: nil)
            wrote = true
            if plan.dropout > 0,
                SimulationRandom.unit(plan.seed, simulator.model.key, 5, UInt64(generated)) < plan.dropout
            {
                // Forget the channel before closing it: its channelInactive may run inside close().
                self.channel = nil
                channel.flush()
                channel.close(promise: nil)
                report.reconnects += 1
                armAckTimer()
                reconnect()
                return
            }
        }
        if wrote { channel.flush() }
        armAckTimer()
        if noMoreFrames(now) && tracker.isEmpty { finish() }
    }

    private func noMoreFrames(_ now: NIODeadline) -> Bool {
        if let count = plan.count, generated >= count { return true }
        if let deadline = plan.deadline, now >= deadline { return true }
        return false
    }

    private func apply(_ action: AckTracker<SentFrame>.Action, on channel: any Channel) {
        switch action {
        case .resend(let entry):
            report.resends += 1
            channel.write(channel.allocator.buffer(bytes: entry.payload.bytes), promise: nil)
        case .giveUp(let entry):
            gaveUp(entry.qn)
        }
    }

    private func gaveUp(_ qn: String) {
        report.givenUp += 1
        if report.givenUpQNs.count < 5 { report.givenUpQNs.append(qn) }
    }

    // MARK: - Timers

    private func armAckTimer() {
        guard let next = tracker.nextDeadline else { return }
        if let timer = ackTimer {
            if timer.at <= next { return }
            timer.task.cancel()
        }
        let task = loop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(UInt64(Swift.max(0, next)))) {
            self.ackTimer = nil
            self.ackTimeout()
        }
        ackTimer = (next, task)
    }

    private func ackTimeout() {
        guard !done, let channel else { return }  // while disconnected, the reconnect resends everything
        for action in tracker.due(at: Self.now()) { apply(action, on: channel) }
        channel.flush()
        pump()
        if !done && tracker.isEmpty && noMoreFrames(.now()) { finish() }
    }

    private func armSendTimer(_ due: NIODeadline) {
        guard !sendTimerArmed else { return }
        sendTimerArmed = true
        scheduler.schedule(schedulerHandle, at: due)
    }

    /// The station's send time has come (see ``SendScheduler``).
    func sendTimerFired() {
        sendTimerArmed = false
        pump()
    }

    // MARK: - The end

    private func fail(_ message: String) {
        report.error = message
        for entry in tracker.giveUpAll() { gaveUp(entry.qn) }
        finish()
    }

    private func finish() {
        guard !done else { return }
        done = true
        ackTimer?.task.cancel()
        ackTimer = nil
        sendTimerArmed = false
        scheduler.unregister(schedulerHandle)
        let last = channel
        channel = nil
        last?.close(promise: nil)
        finished.succeed(report)
        keepAlive = nil
    }

    private static func now() -> Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }

    private static func wallMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down)) }
}
