import Logging
import Monitoring
import NIOCore
import Store

/// One field unit's TCP connection: frames the byte stream, checks and stores each frame, and
/// sends each reply only after the commit that holds the frame's readings, in frame order
/// (``HJ212ReplyQueue``). Closes the connection when a frame takes too long or none comes
/// (``HJ212ConnectionDeadlines``), and tells ``HJ212Connections`` when its first authenticated
/// frame arrives.
///
/// Confined to its channel's event loop, like every NIO handler; commits run as tasks whose
/// completions hop back to the loop.
final class HJ212ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let shared: HJ212ServerContext
    private let connections: HJ212Connections
    /// Shared: a decoder builds its code table from the catalogue, which for 1,000 units
    /// connecting at once was an eighth of the daemon's first half second.
    private let decoder = HJ212Decoder.standard
    private var splitter: HJ212FrameSplitter
    private var peer = "?"
    /// The replies in frame order, and when to pause reading.
    private var replies: HJ212ReplyQueue<HJ212Statistics.Figures>
    /// When the connection has had its time; started when it becomes active.
    private var deadlines: HJ212ConnectionDeadlines
    /// The next check of ``deadlines``: one timer per connection, moved only when it fires (a
    /// timer per frame would cost an allocation per frame).
    private var check: Scheduled<Void>?
    /// Whether a frame with a valid CRC, a known MN and the right password has arrived.
    private var authenticated = false
    /// The stations this connection has carried, by MN, each with its ingest (zone, units,
    /// ranges): held by reference, so a frame neither copies the station nor looks it up twice.
    private var known: [String: KnownStation] = [:]
    private var stationsGeneration = 0
    /// The last frame's station: a connection nearly always carries one.
    private var lastKnown: KnownStation?
    private var submitCoalescer: HJ212SubmitCoalescer?
    private var replyCache = HJ212ReplyCache()

    private func coalescer(_ context: ChannelHandlerContext) -> HJ212SubmitCoalescer {
        if let submitCoalescer { return submitCoalescer }
        let made = shared.coalescers.coalescer(for: context.eventLoop)
        submitCoalescer = made
        return made
    }
    private var garbageRun = 0
    /// Failure reasons already logged on this connection, with how many more were not.
    private var logged: [String: Int] = [:]

    init(shared: HJ212ServerContext, connections: HJ212Connections) {
        self.shared = shared
        self.connections = connections
        splitter = HJ212FrameSplitter(
            configuration: .init(maxFrameSize: shared.configuration.maxFrameBytes, lengthPolicy: .fallBackToDelimiters))
        replies = HJ212ReplyQueue(maxInFlight: shared.configuration.maxFramesInFlight)
        deadlines = HJ212ConnectionDeadlines(
            connectedAt: .uptimeNanoseconds(0), frameTimeout: .seconds(shared.configuration.frameTimeout),
            idleTimeout: .seconds(shared.configuration.idleTimeout))
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        deadlines = HJ212ConnectionDeadlines(
            connectedAt: context.eventLoop.now, frameTimeout: deadlines.frameTimeout, idleTimeout: deadlines.idleTimeout)
        checkDeadlines(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        check?.cancel()
        check = nil
        for (reason, more) in logged where more > 0 {
            shared.events.warning("more: " + reason, "hj212: \(more) more frames from \(peer): \(reason)")
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if replies.draining { return }
        let buffer = unwrapInboundIn(data)
        var outputs: [HJ212FrameSplitter.Output] = []
        buffer.withUnsafeReadableBytes { bytes in
            splitter.feed(bytes) { outputs.append($0) }
        }
        var frames = 0
        for output in outputs {
            switch output {
            case .frame(let frame):
                frames += 1
                garbageRun = 0
                handle(frame, context: context)
            case .skipped(let count):
                shared.statistics.totals { $0.garbageBytes += count }
                garbageRun += count
                warnOnce("\(count) bytes outside any frame")
            case .unframeable(let failure, let dropped):
                shared.metrics.frameUnframeable()
                shared.statistics.totals {
                    $0.unframeable += 1
                    $0.garbageBytes += dropped
                }
                garbageRun += dropped
                warnOnce("unframeable bytes dropped (\(failure.rawValue), \(dropped) bytes)")
            }
        }
        if garbageRun > shared.configuration.maxGarbageBytes {
            shared.events.warning("garbage", "hj212: closing \(peer): \(garbageRun) bytes without a frame")
            context.close(promise: nil)
        }
        let partial = splitter.bufferedCount > 0
        if deadlines.needsTime(completedFrames: frames, holdsPartialFrame: partial) {
            deadlines.read(at: context.eventLoop.now, completedFrames: frames, holdsPartialFrame: partial)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HJ212DrainEvent {
            perform(replies.drain(), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        shared.logger.debug("hj212: \(peer): \(error)")
        context.close(promise: nil)
    }

    // MARK: - Frames

    private func handle(_ frame: [UInt8], context: ChannelHandlerContext) {
        let read = NIODeadline.now()
        let decoded = decoder.decode(frame)
        let config = shared.configuration
        guard let mn = decoded.mn, !mn.isEmpty else {
            shared.statistics.totals { $0.unattributed += 1 }
            shared.metrics.frameRefused(.noMN, readings: decoded.readingCount)
            warnOnce("frame without MN")
            return
        }
        let crcAccepted = config.acceptedCRCVariants.contains(decoded.crcVariant)
        let generation = shared.stations.generation
        if generation != stationsGeneration {
            // sensors/ was reloaded: rebuild the per-station ingests (zone, units, ranges).
            known.removeAll()
            lastKnown = nil
            stationsGeneration = generation
        }
        let entry: KnownStation?
        if let last = lastKnown, last.mn == mn {
            entry = last
        } else if let seen = known[mn] {
            entry = seen
            lastKnown = seen
        } else if let station = shared.stations.registry.station(mn: mn) {
            let made = KnownStation(
                mn: mn, station: station, figures: shared.statistics.figures(of: station.id),
                ingest: HJ212Ingest(station: station, maxFuture: config.maxFuture, maxPast: config.maxPast))
            known[mn] = made
            lastKnown = made
            entry = made
        } else {
            entry = nil
        }
        guard let entry else {
            shared.statistics.totals { $0.unknownMN += 1 }
            guard crcAccepted, config.unknownMN == .quarantine, let quarantine = shared.quarantine else {
                shared.metrics.frameRefused(crcAccepted ? .unknownMN : .badCRC, readings: decoded.readingCount)
                warnOnce("unknown MN \(mn)")
                return
            }
            warnOnce("unknown MN \(mn), frames quarantined in \(quarantine.path)")
            keepInQuarantine(frame, decoded, station: nil, context: context)
            return
        }
        // Only the id and the password are read: no copy of the whole station per frame.
        let stationID = entry.station.id
        let figures = entry.figures
        let now = shared.now()
        figures.change {
            $0.frames += 1
            $0.lastSeen = now
            $0.lastPeer = peer
        }
        guard crcAccepted else {
            figures.change { $0.badCRC += 1 }
            shared.metrics.frameRefused(.badCRC, readings: decoded.readingCount)
            warnOnce(
                "\(stationID): CRC \(decoded.frame.crcText ?? "missing") where \(HJ212CRC.hex(decoded.crcExpected)) was expected (\(decoded.crcVariant.rawValue))"
            )
            return
        }
        if config.checkPassword, let password = entry.station.password, decoded.pw != password {
            reject(stationID, figures, .badPassword, "wrong password", decoded)
            return
        }
        if !authenticated {
            // Once per connection: it leaves the smaller budget of unauthenticated ones.
            authenticated = true
            connections.authenticated(context.channel)
        }
        guard let command = decoded.frame.command else {
            reject(stationID, figures, .noCommand, "no CN", decoded)
            return
        }
        if HJ212Ingest.kind(ofCommand: command) == nil {
            // Time-calibration requests, equipment state, logs, instrument ids…: accepted and
            // answered as the standard says, nothing to store.
            figures.change { $0.accepted += 1 }
            shared.metrics.frameAccepted()
            enqueue(reply(to: decoded), station: figures, waitsForCommit: false, context: context)
            return
        }
        let result = entry.ingest.samples(from: decoded, now: now)
        if let fault = result.clockFault {
            // The station's clock is wrong, not the frame: counted, told to the rules, then
            // refused or quarantined as `bad_time` says.
            shared.record(fault)
            warnOnce("\(stationID): \(fault.kind.plural)", first: "\(stationID): \(fault)")
            if config.badTime == .quarantine, shared.quarantine != nil {
                keepInQuarantine(frame, decoded, station: stationID, context: context)
            } else {
                figures.change { $0.rejected += 1 }
                shared.metrics.frameRefused(.badTime, readings: decoded.readingCount)
            }
            return
        }
        if let failure = result.failure {
            reject(stationID, figures, result.failureReason ?? .badTime, failure, decoded)
            return
        }
        if result.rejectedCount > 0 {
            figures.change { $0.valuesRejected += result.rejectedCount }
            for (reason, count) in result.rejectedByReason { shared.metrics.readingsRejected(reason, count: count) }
            for rejection in result.rejections {
                warnOnce("\(stationID): \(rejection.reason)", first: "\(stationID): \(rejection.code): \(rejection.reason)")
            }
            if result.rejectedCount > result.rejections.count {
                warnOnce(
                    "\(stationID): more values refused than listed",
                    first: "\(stationID): \(result.rejectedCount - result.rejections.count) more values refused in one frame")
            }
        }
        let reply = reply(to: decoded)
        if result.samples.isEmpty {
            figures.change { $0.accepted += 1 }
            shared.metrics.frameAccepted()
            enqueue(reply, station: figures, waitsForCommit: false, context: context)
            return
        }
        let id = enqueue(reply, station: figures, waitsForCommit: true, context: context)
        let samples = result.samples.count
        coalescer(context).enqueue(result.samples) { outcome in
            switch outcome {
            case .success(let summary) where summary.unknownSeries > 0:
                // The station or a parameter left sensors/ (SIGHUP) between this frame's check
                // and its commit: the store refused those values, so the frame is not
                // acknowledged (what was stored of it stays; a resend is refused or a duplicate).
                figures.change {
                    $0.rejected += 1
                    $0.samplesStored += summary.inserted + summary.changed
                }
                self.shared.metrics.readingsStored(summary.inserted + summary.changed, duplicates: summary.duplicates)
                self.shared.metrics.frameRefused(.storeRefused, readings: summary.unknownSeries)
                self.shared.events.warning(
                    "refused-by-store", "hj212: \(stationID) from \(self.peer): \(summary.unknownSeries) values refused by the store (station or parameter removed from sensors/), no reply")
                self.complete(id, acknowledge: false, context: context)
            case .success(let summary):
                figures.change {
                    $0.accepted += 1
                    $0.samplesStored += summary.inserted + summary.changed
                    $0.duplicates += summary.duplicates
                }
                self.shared.metrics.frameAccepted()
                self.shared.metrics.readingsStored(summary.inserted + summary.changed, duplicates: summary.duplicates)
                self.complete(id, acknowledge: true, context: context)
                self.shared.metrics.acknowledged(afterNanoseconds: (NIODeadline.now() - read).nanoseconds)
            case .failure(let error):
                figures.change { $0.rejected += 1 }
                self.shared.metrics.frameRefused(.storeFailed, readings: samples)
                // While the store fails (a full disk) every frame fails alike: one line, then a count.
                self.shared.events.error("not-stored", "hj212: \(stationID) from \(self.peer): not stored, no reply: \(error)")
                self.complete(id, acknowledge: false, context: context)
            }
        }
    }

    private func reply(to decoded: HJ212Decoded) -> [UInt8]? {
        if let fast = replyCache.reply(to: decoded, accepting: shared.configuration.acceptedCRCVariants) { return fast }
        do {
            return try HJ212Encoder.reply(to: decoded, accepting: shared.configuration.acceptedCRCVariants)
        } catch {
            warnOnce("no reply possible: \(error)")
            return nil
        }
    }

    private func reject(_ stationID: String, _ figures: HJ212Statistics.Figures, _ code: HJ212Refusal, _ reason: String, _ decoded: HJ212Decoded) {
        figures.change { $0.rejected += 1 }
        shared.metrics.frameRefused(code, readings: decoded.readingCount)
        warnOnce("\(stationID): \(reason)")
    }

    /// Keeps the frame in the quarantine file (written off the event loop) and acknowledges it
    /// once it is on disk. Over its address's quarantine rate it gets no reply: the device sends
    /// it again later.
    private func keepInQuarantine(_ frame: [UInt8], _ decoded: HJ212Decoded, station: String?, context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? peer
        guard let written = shared.quarantine(frame, from: address, station: station, on: context.eventLoop) else {
            shared.metrics.frameRefused(.quarantineRefused, readings: 0)
            warnOnce("quarantine rate exceeded: frames refused, unanswered")
            return
        }
        let id = enqueue(
            reply(to: decoded), station: station.map { shared.statistics.figures(of: $0) }, waitsForCommit: true, context: context)
        written.assumeIsolated().whenComplete { result in
            // The quarantine file's disk is full or gone: every such frame would say so.
            if case .failure(let error) = result {
                self.shared.metrics.frameRefused(.quarantineRefused, readings: 0)
                self.shared.events.error("quarantine", "hj212: \(self.peer): \(error)")
            } else {
                self.shared.metrics.frameQuarantined()
            }
            self.complete(id, acknowledge: (try? result.get()) != nil, context: context)
        }
    }

    // MARK: - Replies in frame order

    @discardableResult
    private func enqueue(_ reply: [UInt8]?, station: HJ212Statistics.Figures?, waitsForCommit: Bool, context: ChannelHandlerContext) -> Int {
        var wrote = false
        let (id, action) = replies.enqueue(reply: reply, station: station, waitsForCommit: waitsForCommit) { due in
            wrote = write(due, context: context) || wrote
        }
        if wrote { context.flush() }
        perform(action, context: context)
        return id
    }

    private func complete(_ id: Int, acknowledge: Bool, context: ChannelHandlerContext) {
        var wrote = false
        let action = replies.complete(id, acknowledged: acknowledge) { due in
            wrote = write(due, context: context) || wrote
        }
        if wrote { context.flush() }
        perform(action, context: context)
    }

    private func write(_ reply: HJ212ReplyQueue<HJ212Statistics.Figures>.Reply, context: ChannelHandlerContext) -> Bool {
        guard context.channel.isActive else { return false }
        context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.bytes)), promise: nil)
        reply.station?.change { $0.replies += 1 }
        return true
    }

    private func perform(_ action: HJ212ReplyQueue<HJ212Statistics.Figures>.Action, context: ChannelHandlerContext) {
        switch action {
        case .none: break
        case .pauseReading:
            deadlines.pause()
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        case .resumeReading:
            deadlines.resume(at: context.eventLoop.now)
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        case .close: context.close(promise: nil)
        }
    }

    // MARK: - Time limits

    private func checkDeadlines(context: ChannelHandlerContext) {
        check = nil
        guard context.channel.isActive else { return }
        switch deadlines.verdict(at: context.eventLoop.now) {
        case .check(let at):
            check = context.eventLoop.assumeIsolated().scheduleTask(deadline: at) { self.checkDeadlines(context: context) }
        case .close(let reason):
            let config = shared.configuration
            switch reason {
            case .idle:
                shared.statistics.totals { $0.idleClosed += 1 }
                shared.events.info("idle", "hj212: closing \(peer): idle for \(config.idleTimeout) s")
            case .noFirstFrame:
                shared.statistics.totals { $0.frameTimeouts += 1 }
                shared.events.warning("no-first-frame", "hj212: closing \(peer): no frame within \(config.frameTimeout) s of connecting")
            case .incompleteFrame:
                shared.statistics.totals { $0.frameTimeouts += 1 }
                shared.events.warning(
                    "incomplete-frame", "hj212: closing \(peer): no complete frame within \(config.frameTimeout) s of its first byte")
            }
            context.close(promise: nil)
        }
    }

    /// Logs a failure the first time it happens on this connection (as `first`, when given),
    /// and counts the rest, which are summed up when the connection closes. The same failure on
    /// many connections at once (a unit that reconnects for every frame, a misconfigured fleet)
    /// is logged once with a count per interval.
    private func warnOnce(_ reason: String, first: String? = nil) {
        if let more = logged[reason] {
            logged[reason] = more + 1
            return
        }
        if logged.count >= 64 { return }  // a connection sending endless variety logs no more
        logged[reason] = 0
        shared.events.warning(reason, "hj212: \(peer): \(first ?? reason)")
    }
}

/// A station a connection carries, with its ingest, looked up once per MN and generation.
private final class KnownStation {
    let mn: String
    let station: Station
    /// The station's figures, changed per frame without a lookup.
    let figures: HJ212Statistics.Figures
    let ingest: HJ212Ingest

    init(mn: String, station: Station, figures: HJ212Statistics.Figures, ingest: HJ212Ingest) {
        self.mn = mn
        self.station = station
        self.figures = figures
        self.ingest = ingest
    }
}
