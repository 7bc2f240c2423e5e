import NIOCore
import Synchronization

/// The open connections, in all and per address, under the configured limits.
final class HJ212Connections: Sendable {
    private struct State: ~Copyable {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var perAddress: [String: Int] = [:]
    }
    private let state = Mutex(State())

    func admit(_ channel: any Channel, address: String, configuration: HJ212ServerConfiguration) -> Bool {
        state.withLock { s in
            guard s.channels.count < configuration.maxConnections,
                s.perAddress[address, default: 0] < configuration.maxConnectionsPerAddress
            else { return false }
            s.channels[ObjectIdentifier(channel)] = channel
            s.perAddress[address, default: 0] += 1
            return true
        }
    }

    func release(_ channel: any Channel, address: String) {
        state.withLock { s in
            guard s.channels.removeValue(forKey: ObjectIdentifier(channel)) != nil else { return }
            s.perAddress[address, default: 1] -= 1
            if s.perAddress[address] == 0 { s.perAddress[address] = nil }
        }
    }

    var all: [any Channel] { state.withLock { Array($0.channels.values) } }

    /// Sets up a connection just accepted: admits it under the limits, or refuses (closes) it,
    /// and builds its pipeline. The server's child channel initializer; tests call it on
    /// embedded channels.
    func accept(_ child: any Channel, context shared: HJ212ServerContext) -> EventLoopFuture<Void> {
        let config = shared.configuration
        let address = child.remoteAddress?.ipAddress ?? "?"
        guard admit(child, address: address, configuration: config) else {
            shared.statistics.totals { $0.connectionsRefused += 1 }
            // A flood of connections over the limit is refused as fast as it comes.
            shared.events.warning("refused", "hj212: refused a connection from \(address): connection limit")
            return child.close()
        }
        shared.statistics.totals {
            $0.connectionsAccepted += 1
            $0.connectionsOpen += 1
        }
        child.closeFuture.whenComplete { _ in
            self.release(child, address: address)
            shared.statistics.totals { $0.connectionsOpen -= 1 }
        }
        return child.eventLoop.makeCompletedFuture {
            let idle = TimeAmount.seconds(config.idleTimeout)
            try child.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
            try child.pipeline.syncOperations.addHandler(HJ212ConnectionHandler(shared: shared))
        }
    }
}
