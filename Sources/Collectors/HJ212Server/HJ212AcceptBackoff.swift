import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// On the server's listening channel: when accepting fails for want of descriptors or memory
/// (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`), stops accepting for a while instead of retrying at
/// once, logs it (once, then a count per interval) and counts it.
///
/// After such an error NIO keeps the listening socket open and registered for reading, and the
/// connection that could not be accepted stays in the kernel's backlog, so the socket is
/// readable again at once (epoll is level-triggered): without a pause the accept loop spins a
/// core at 100 % for as long as descriptors are short (measured: 1.6 s of CPU in 2 s). NIO's
/// `AcceptBackoffHandler` delays the next `read`, but after a failed first accept NIO asks for
/// none (its read is still pending), and it spun all the same (1.4 s of CPU in 2 s, in the
/// end-to-end test). So here reading itself is switched off (`autoRead`), which
/// takes the socket out of epoll, and on again after the backoff: 100 ms at first, doubling to
/// 1 s while accepting keeps failing, 100 ms again once a connection is accepted. Connections
/// wait in the backlog meanwhile and are accepted, in order, once descriptors are free.
final class HJ212AcceptBackoff: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    /// The first pause.
    static let initialBackoff = TimeAmount.milliseconds(100)
    /// The longest pause.
    static let maxBackoff = TimeAmount.seconds(1)

    private let shared: HJ212ServerContext
    private var backoff = HJ212AcceptBackoff.initialBackoff
    private var resume: Scheduled<Void>?

    init(shared: HJ212ServerContext) {
        self.shared = shared
    }

    /// Whether accepting is paused (for tests).
    var paused: Bool { resume != nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        backoff = Self.initialBackoff
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let failure = error as? IOError, [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(failure.errnoCode) else {
            context.fireErrorCaught(error)
            return
        }
        shared.statistics.totals { $0.acceptErrors += 1 }
        guard resume == nil else { return }
        let limit = failure.errnoCode == EMFILE ? OpenFileLimit.current().map { ", open-file limit \($0.soft)" } ?? "" : ""
        shared.events.error(
            "accept",
            "hj212: cannot accept connections: \(failure)\(limit); accepting again in \(backoff.nanoseconds / 1_000_000) ms, "
                + "then at most every second while it lasts (new connections wait in the listen backlog)"
        )
        context.channel.setOption(ChannelOptions.autoRead, value: false).whenComplete { _ in }
        resume = context.eventLoop.assumeIsolated().scheduleTask(in: backoff) {
            self.resume = nil
            context.channel.setOption(ChannelOptions.autoRead, value: true).whenComplete { _ in }
        }
        backoff = min(backoff * 2, Self.maxBackoff)
    }

    func channelInactive(context: ChannelHandlerContext) {
        resume?.cancel()
        resume = nil
        context.fireChannelInactive()
    }
}
