import Monitoring
import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// The HJ 212 TCP server: field units connect, send frames, and get their replies after the
/// commit that holds their readings.
///
/// ```swift
/// let server = HJ212Server(context: context)
/// let group = ServiceGroup(services: [writer, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// On graceful shutdown it stops accepting, stops reading, lets the frames in flight finish
/// (commit and reply, at most ``drainTimeout`` seconds), then closes every connection.
public final class HJ212Server: Service, Sendable {
    /// What every connection shares.
    public let context: HJ212ServerContext
    /// The longest a shutdown waits for frames in flight.
    public let drainTimeout: TimeAmount
    private let group: any EventLoopGroup
    private let connections = HJ212Connections()
    private let listening: Locked<(port: Int?, waiters: [CheckedContinuation<Int, any Error>])> = Locked((nil, []))
    /// Whether the listening socket is open: from the bind until the shutdown closes it.
    private let open = Locked(false)

    /// Creates a server; ``run()`` starts it.
    public init(context: HJ212ServerContext, group: MultiThreadedEventLoopGroup = .singleton, drainTimeout: TimeAmount = .seconds(10)) {
        self.context = context
        self.group = group
        self.drainTimeout = drainTimeout
    }

    /// The port the server listens on, once it does (useful with port 0).
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let port = listening.withLock { state -> Int? in
                if let port = state.port { return port }
                state.waiters.append(continuation)
                return nil
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    /// The port the server listens on while it does; `nil` before it is bound and after it
    /// stopped accepting (a readiness check). Unlike ``boundPort()``, never waits.
    public var listeningPort: Int? {
        open.withLock { $0 } ? listening.withLock { $0.port } : nil
    }

    /// Listens until graceful shutdown (or task cancellation), then drains and closes.
    public func run() async throws {
        let config = context.configuration
        let shared = context
        let connections = self.connections
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.backlog, value: 1_024)
                // NIO accepts 4 connections per wakeup by default. When a whole network
                // reconnects at once (a restart of the daemon or of the office router), the
                // units' frames wait in the kernel until they are accepted, and at 4 per turn
                // of a loop that is also reading hundreds of live connections the last of 1,000
                // units waited about 400 ms. Accepting is cheap: take what is queued.
                .serverChannelOption(ChannelOptions.maxMessagesPerRead, value: 256)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { server in
                    server.eventLoop.makeCompletedFuture {
                        try server.pipeline.syncOperations.addHandler(HJ212AcceptBackoff(shared: shared))
                    }
                }
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { child in connections.accept(child, context: shared) }
                .bind(host: config.host, port: config.port).get()
        } catch {
            let failure = CollectorError(.unreadable, "cannot listen on \(config.host):\(config.port) for HJ 212", underlying: error)
            for waiter in listening.withLock({ state in defer { state.waiters = [] }; return state.waiters }) {
                waiter.resume(throwing: failure)
            }
            throw failure
        }
        let port = channel.localAddress?.port ?? config.port
        open.withLock { $0 = true }
        channel.closeFuture.whenComplete { [open] _ in open.withLock { $0 = false } }
        for waiter in listening.withLock({ state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }) {
            waiter.resume(returning: port)
        }
        context.logger.info("hj212: listening on \(config.host):\(port)")
        // Summaries of repeated events are written when their interval ends, even when the
        // events have stopped: the operator learns how many there were.
        let events = context.events
        let flusher = channel.eventLoop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in events.flush() }

        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
        await drain()
        flusher.cancel()
        events.flush(final: true)
    }

    /// Tells every connection to finish what is in flight and close; waits for them, up to the timeout.
    private func drain() async {
        let open = connections.all
        guard !open.isEmpty else { return }
        context.logger.info("hj212: draining \(open.count) connections")
        for child in open { child.pipeline.fireUserInboundEventTriggered(HJ212DrainEvent()) }
        let deadline = NIODeadline.now() + drainTimeout
        for child in open {
            let remaining = deadline - NIODeadline.now()
            if remaining <= .zero {
                child.close(promise: nil)
                continue
            }
            let timeout = child.eventLoop.scheduleTask(in: remaining) { child.close(promise: nil) }
            try? await child.closeFuture.get()
            timeout.cancel()
        }
    }
}
