@testable import Collectors
import EnvmonTesting
import Logging
import Monitoring
import NIOCore
import NIOEmbedded
import Store

/// An HJ 212 server's connection handling without sockets: connections are `EmbeddedChannel`s on
/// one `EmbeddedEventLoop` (time moves with `advanceTime`), admitted and set up as the server
/// does, and each batch of samples waits until the test completes its commit.
final class EmbeddedHJ212Server {
    /// The unit every test frame comes from.
    static let mn = "371499320120001000000101"
    static let password = "qh3201"
    /// 2026-11-24T12:00:00Z; the frames' DataTime is 09:00 in Asia/Shanghai, earlier that day.
    static let now: Int64 = 1_795_521_600

    let loop = EmbeddedEventLoop()
    let log = LogRecorder()
    let clock = TestClock()
    let connections = HJ212Connections()
    let statistics = HJ212Statistics()
    let context: HJ212ServerContext
    private let batches = Batches()

    /// The batches submitted and not yet completed (the submit closure keeps them here).
    private final class Batches: Sendable {
        let list = Locked<[(samples: Int, promise: EventLoopPromise<ArraySlice<SampleOutcome>>)]>([])
    }

    init(configuration: HJ212ServerConfiguration = HJ212ServerConfiguration()) {
        var station = TestStations.station("wwtp", kind: .dischargeOutlet, parameters: ["COD"])
        station.mn = Self.mn
        station.password = Self.password
        let batches = self.batches
        context = HJ212ServerContext(
            configuration: configuration, stations: StationBook(TestStations.registry(station)),
            submitBatch: { samples, loop in
                let promise = loop.makePromise(of: ArraySlice<SampleOutcome>.self)
                batches.list.withLock { $0.append((samples.count, promise)) }
                return promise.futureResult
            },
            statistics: statistics, logger: log.logger, events: RepeatedEventLog(logger: log.logger, clock: clock), now: { Self.now })
    }

    /// A new connection from `address`, admitted (or refused) and set up as the server does, then active.
    func connect(from address: String = "10.0.0.1", port: Int = 50_000) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        let remote = try SocketAddress(ipAddress: address, port: port)
        channel.remoteAddress = remote
        _ = try? connections.accept(channel, context: context).wait()
        // A refused channel is closed already; connecting it would make it look active.
        if connections.all.contains(where: { $0 === channel }) { try channel.connect(to: remote).wait() }
        return channel
    }

    /// A frame of the unit: hour data, a reply asked for; `qn` ends its QN.
    static func frame(_ qn: Int, password: String = password, mn: String = mn) throws -> [UInt8] {
        try HJ212Encoder.frame(
            segment: "QN=2026112410\(String(10_000_000 + qn).dropFirst());ST=32;CN=2061;PW=\(password);MN=\(mn);Flag=5;CP=&&DataTime=20261124090000;w01018-Avg=40.5&&"
        )
    }

    /// Sends bytes to the server over `channel` and lets the loop run what they started.
    func send(_ bytes: [UInt8], on channel: EmbeddedChannel) throws {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        loop.run()
    }

    /// Batches submitted and not yet completed.
    var pendingBatches: Int { batches.list.withLock { $0.count } }

    /// Completes the `index`th pending batch (0: the oldest): committed, or failed.
    func commit(_ index: Int = 0, failing: Bool = false, outcome: SampleOutcome = .inserted) {
        let (count, promise) = batches.list.withLock { $0.remove(at: index) }
        if failing {
            promise.fail(StoreError(.write, "database or disk is full"))
        } else {
            promise.succeed(ArraySlice(repeating: outcome, count: count))
        }
        loop.run()
    }

    /// The replies written on `channel` so far (and consumed from it), by the number their QN
    /// ends in (see ``frame(_:password:mn:)``); -1 for anything that is not a 9014 reply.
    func replies(on channel: EmbeddedChannel) throws -> [Int] {
        var qns: [Int] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
            let text = String(buffer: buffer)
            guard text.contains("CN=9014"), let qn = text.split(separator: ";").first?.suffix(7) else {
                qns.append(-1)
                continue
            }
            qns.append(Int(qn) ?? -1)
        }
        return qns
    }

    /// The last autoRead value the handler set on `channel` (nil: never set).
    static func autoRead(_ channel: EmbeddedChannel) -> Bool? {
        channel.options.first { $0.option is ChannelOptions.Types.AutoReadOption }?.value as? Bool
    }
}
