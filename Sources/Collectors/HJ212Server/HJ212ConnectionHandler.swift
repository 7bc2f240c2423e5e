public import Logging
public import Monitoring
import NIOCore
public import Store

/// What every connection of one HJ 212 server shares.
public struct HJ212ServerContext: Sendable {
    /// The settings.
    public var configuration: HJ212ServerConfiguration
    /// The stations that may send, found by MN; replaced on reload.
    public var stations: StationBook
    /// Stores samples and returns, after their commit, what became of each (the store's
    /// ``BatchingWriter/submitOutcomes(_:)``).
    public var submit: @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>
    /// The per-event-loop coalescers of submissions.
    let coalescers: HJ212SubmitCoalescers
    /// The figures.
    public var statistics: HJ212Statistics
    /// Where frames of unknown MNs go under the quarantine policy.
    public var quarantine: HJ212Quarantine?
    /// The log.
    public var logger: Logger
    /// Seconds since the epoch; tests inject their own.
    public var now: @Sendable () -> Int64
    /// Told of every frame whose `DataTime` no working clock gives (the rules' `clock` kind).
    public var clockFaults: (@Sendable (StationClockFault) -> Void)?

    /// Creates the shared context.
    public init(
        configuration: HJ212ServerConfiguration, stations: StationBook,
        submit: @escaping @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>,
        statistics: HJ212Statistics = HJ212Statistics(),
        quarantine: HJ212Quarantine? = nil, logger: Logger, now: @escaping @Sendable () -> Int64,
        clockFaults: (@Sendable (StationClockFault) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.stations = stations
        self.submit = submit
        coalescers = HJ212SubmitCoalescers(submit: submit)
        self.statistics = statistics
        self.quarantine = quarantine
        self.logger = logger
        self.now = now
        self.clockFaults = clockFaults
    }
}

/// Sent down a connection's pipeline when the server shuts down: stop reading, finish the frames
/// in flight (their commits and replies), then close.
struct HJ212DrainEvent: Sendable {}

/// One field unit's TCP connection: frames the byte stream, checks and stores each frame, and
/// sends each reply only after the commit that holds the frame's readings, in frame order.
///
/// Confined to its channel's event loop, like every NIO handler; commits run as tasks whose
/// completions hop back to the loop.
final class HJ212ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A frame whose reply (or silence) is not yet sent.
    private struct Slot {
        var done = false
        var reply: [UInt8]?
        var station: String?
    }

    private let shared: HJ212ServerContext
    /// Shared: a decoder builds its code table from the catalogue, which for 1,000 units
    /// connecting at once was an eighth of the daemon's first half second.
    private let decoder = HJ212Decoder.standard
    private var splitter: HJ212FrameSplitter
    private var peer = "?"
    private var slots = CircularBuffer<Slot>()
    /// The id of `slots.first`; ids grow by one a frame.
    private var firstSlot = 0
    private var ingests: [String: HJ212Ingest] = [:]
    private var stationsGeneration = 0
    private var submitCoalescer: HJ212SubmitCoalescer?
    private var replyCache = HJ212ReplyCache()

    private func coalescer(_ context: ChannelHandlerContext) -> HJ212SubmitCoalescer {
        if let submitCoalescer { return submitCoalescer }
        let made = shared.coalescers.coalescer(for: context.eventLoop)
        submitCoalescer = made
        return made
    }
    private var garbageRun = 0
    private var readingPaused = false
    private var draining = false
    /// Failure reasons already logged on this connection, with how many more were not.
    private var logged: [String: Int] = [:]

    init(shared: HJ212ServerContext) {
        self.shared = shared
        splitter = HJ212FrameSplitter(
            configuration: .init(maxFrameSize: shared.configuration.maxFrameBytes, lengthPolicy: .fallBackToDelimiters))
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for (reason, more) in logged where more > 0 {
            shared.logger.warning("hj212: \(more) more frames from \(peer): \(reason)")
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if draining { return }
        let buffer = unwrapInboundIn(data)
        var outputs: [HJ212FrameSplitter.Output] = []
        buffer.withUnsafeReadableBytes { bytes in
            splitter.feed(bytes) { outputs.append($0) }
        }
        for output in outputs {
            switch output {
            case .frame(let frame):
                garbageRun = 0
                handle(frame, context: context)
            case .skipped(let count):
                shared.statistics.totals { $0.garbageBytes += count }
                garbageRun += count
                warnOnce("\(count) bytes outside any frame")
            case .unframeable(let failure, let dropped):
                shared.statistics.totals {
                    $0.unframeable += 1
                    $0.garbageBytes += dropped
                }
                garbageRun += dropped
                warnOnce("unframeable bytes dropped (\(failure.rawValue), \(dropped) bytes)")
            }
        }
        if garbageRun > shared.configuration.maxGarbageBytes {
            shared.logger.warning("hj212: closing \(peer): \(garbageRun) bytes without a frame")
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            shared.statistics.totals { $0.idleClosed += 1 }
            shared.logger.info("hj212: closing \(peer): idle for \(shared.configuration.idleTimeout) s")
            context.close(promise: nil)
        } else if event is HJ212DrainEvent {
            draining = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
            if slots.isEmpty { context.close(promise: nil) }
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
        let decoded = decoder.decode(frame)
        let config = shared.configuration
        guard let mn = decoded.mn, !mn.isEmpty else {
            shared.statistics.totals { $0.unattributed += 1 }
            warnOnce("frame without MN")
            return
        }
        let crcAccepted = config.acceptedCRCVariants.contains(decoded.crcVariant)
        let (registry, generation) = shared.stations.current
        if generation != stationsGeneration {
            // sensors/ was reloaded: rebuild the per-station ingests (zone, units, ranges).
            ingests.removeAll()
            stationsGeneration = generation
        }
        guard let station = registry.station(mn: mn) else {
            shared.statistics.totals { $0.unknownMN += 1 }
            guard crcAccepted, config.unknownMN == .quarantine, let quarantine = shared.quarantine else {
                warnOnce("unknown MN \(mn)")
                return
            }
            warnOnce("unknown MN \(mn), frames quarantined in \(quarantine.path)")
            keepInQuarantine(frame, decoded, station: nil, context: context)
            return
        }
        let now = shared.now()
        shared.statistics.station(station.id) {
            $0.frames += 1
            $0.lastSeen = now
            $0.lastPeer = peer
        }
        guard crcAccepted else {
            shared.statistics.station(station.id) { $0.badCRC += 1 }
            warnOnce(
                "\(station.id): CRC \(decoded.frame.crcText ?? "missing") where \(HJ212CRC.hex(decoded.crcExpected)) was expected (\(decoded.crcVariant.rawValue))"
            )
            return
        }
        if config.checkPassword, let password = station.password, decoded.pw != password {
            reject(station.id, "wrong password")
            return
        }
        guard let command = decoded.frame.command else {
            reject(station.id, "no CN")
            return
        }
        if HJ212Ingest.kind(ofCommand: command) == nil {
            // Time-calibration requests, equipment state, logs, instrument ids…: accepted and
            // answered as the standard says, nothing to store.
            shared.statistics.station(station.id) { $0.accepted += 1 }
            enqueue(done: true, reply: reply(to: decoded), station: station.id, context: context)
            return
        }
        let ingest = ingests[station.id] ?? HJ212Ingest(station: station, maxFuture: config.maxFuture, maxPast: config.maxPast)
        ingests[station.id] = ingest
        let result = ingest.samples(from: decoded, now: now)
        if let fault = result.clockFault {
            // The station's clock is wrong, not the frame: counted, told to the rules, then
            // refused or quarantined as `bad_time` says.
            shared.record(fault)
            warnOnce("\(station.id): \(fault.kind.plural)", first: "\(station.id): \(fault)")
            if config.badTime == .quarantine, shared.quarantine != nil {
                keepInQuarantine(frame, decoded, station: station.id, context: context)
            } else {
                shared.statistics.station(station.id) { $0.rejected += 1 }
            }
            return
        }
        if let failure = result.failure {
            reject(station.id, failure)
            return
        }
        if result.rejectedCount > 0 {
            shared.statistics.station(station.id) { $0.valuesRejected += result.rejectedCount }
            for rejection in result.rejections {
                warnOnce("\(station.id): \(rejection.reason)", first: "\(station.id): \(rejection.code): \(rejection.reason)")
            }
            if result.rejectedCount > result.rejections.count {
                warnOnce(
                    "\(station.id): more values refused than listed",
                    first: "\(station.id): \(result.rejectedCount - result.rejections.count) more values refused in one frame")
            }
        }
        let reply = reply(to: decoded)
        if result.samples.isEmpty {
            shared.statistics.station(station.id) { $0.accepted += 1 }
            enqueue(done: true, reply: reply, station: station.id, context: context)
            return
        }
        let id = enqueue(done: false, reply: reply, station: station.id, context: context)
        let stationID = station.id
        coalescer(context).enqueue(result.samples) { outcome in
            switch outcome {
            case .success(let summary):
                self.shared.statistics.station(stationID) {
                    $0.accepted += 1
                    $0.samplesStored += summary.inserted + summary.changed
                    $0.duplicates += summary.duplicates
                }
                self.complete(id, acknowledge: true, context: context)
            case .failure(let error):
                self.shared.statistics.station(stationID) { $0.rejected += 1 }
                self.shared.logger.error("hj212: \(stationID) from \(self.peer): not stored, no reply: \(error)")
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

    private func reject(_ station: String, _ reason: String) {
        shared.statistics.station(station) { $0.rejected += 1 }
        warnOnce("\(station): \(reason)")
    }

    /// Keeps the frame in the quarantine file (written off the event loop) and acknowledges it
    /// once it is on disk. Over its address's quarantine rate it gets no reply: the device sends
    /// it again later.
    private func keepInQuarantine(_ frame: [UInt8], _ decoded: HJ212Decoded, station: String?, context: ChannelHandlerContext) {
        let address = context.channel.remoteAddress?.ipAddress ?? peer
        guard let written = shared.quarantine(frame, from: address, station: station, on: context.eventLoop) else {
            warnOnce("quarantine rate exceeded: frames refused, unanswered")
            return
        }
        let id = enqueue(done: false, reply: reply(to: decoded), station: station, context: context)
        written.assumeIsolated().whenComplete { result in
            if case .failure(let error) = result { self.shared.logger.error("hj212: \(self.peer): \(error)") }
            self.complete(id, acknowledge: (try? result.get()) != nil, context: context)
        }
    }

    // MARK: - Replies in frame order

    @discardableResult
    private func enqueue(done: Bool, reply: [UInt8]?, station: String?, context: ChannelHandlerContext) -> Int {
        let id = firstSlot + slots.count
        slots.append(Slot(done: done, reply: reply, station: station))
        if done {
            flushReplies(context: context)
        } else if !readingPaused && slots.count >= shared.configuration.maxFramesInFlight {
            readingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        }
        return id
    }

    private func complete(_ id: Int, acknowledge: Bool, context: ChannelHandlerContext) {
        let index = id - firstSlot
        guard index >= 0, index < slots.count else { return }
        slots[slots.index(slots.startIndex, offsetBy: index)].done = true
        if !acknowledge { slots[slots.index(slots.startIndex, offsetBy: index)].reply = nil }
        flushReplies(context: context)
    }

    private func flushReplies(context: ChannelHandlerContext) {
        var wrote = false
        while let first = slots.first, first.done {
            slots.removeFirst()
            firstSlot += 1
            if let reply = first.reply, context.channel.isActive {
                context.write(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply)), promise: nil)
                wrote = true
                if let station = first.station { shared.statistics.station(station) { $0.replies += 1 } }
            }
        }
        if wrote { context.flush() }
        if readingPaused && slots.count < shared.configuration.maxFramesInFlight / 2 && !draining {
            readingPaused = false
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        if draining && slots.isEmpty { context.close(promise: nil) }
    }

    /// Logs a failure the first time it happens on this connection (as `first`, when given),
    /// and counts the rest, which are summed up when the connection closes.
    private func warnOnce(_ reason: String, first: String? = nil) {
        if let more = logged[reason] {
            logged[reason] = more + 1
            return
        }
        if logged.count >= 64 { return }  // a connection sending endless variety logs no more
        logged[reason] = 0
        shared.logger.warning("hj212: \(peer): \(first ?? reason)")
    }
}
