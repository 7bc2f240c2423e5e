import Monitoring
import NIOCore

/// The open connections of an HJ 212 server, in all, per address and those that have not yet
/// sent an authenticated frame, under the configured limits. Shared by every event loop.
///
/// A connection counts as unauthenticated until its first frame with a valid CRC, a known MN
/// and the right password. Those connections have a smaller budget
/// (``HJ212ServerConfiguration/maxUnauthenticatedConnections``); when it is spent, or when every
/// connection slot is taken, a new connection closes the oldest unauthenticated one instead of
/// being refused. Refusing would let whoever holds the slots first (idle peers: 4,096 of them
/// from 64 addresses filled every slot) keep every unit out; closing the oldest means a unit
/// that has authenticated is never closed to make room, and no connection is closed before it is
/// ``HJ212ServerConfiguration/evictionGrace`` old (the newcomer is refused instead), so a flood
/// of new connections cannot close a unit before its first frame arrives. Per address, a
/// connection over the limit is refused, as before: the address already holds its share.
///
/// Admission takes the lock once per connection, authentication once more; frames never do.
final class HJ212Connections: Sendable {
    /// What became of a connection asking to be admitted.
    enum Admission {
        /// Admitted; `evicted`, when there is one, is the unauthenticated connection it replaces,
        /// which the caller closes.
        case admitted(evicted: Evicted?)
        /// Refused: its address holds its limit, or every slot holds a unit that authenticated.
        case refused(String)
    }

    /// A connection closed to make room.
    struct Evicted {
        let channel: any Channel
        let address: String
    }

    private struct Entry {
        let channel: any Channel
        let address: String
    }

    private struct State: ~Copyable {
        var channels: [ObjectIdentifier: Entry] = [:]
        var perAddress: [String: Int] = [:]
        /// The connections without an authenticated frame, by their arrival number.
        var unauthenticated: [ObjectIdentifier: UInt64] = [:]
        /// Arrival numbers in order, with the connection and when it came; entries of connections
        /// that have since authenticated or closed are stale and skipped (their number no longer
        /// matches).
        var arrivals = CircularBuffer<(number: UInt64, id: ObjectIdentifier, at: NIODeadline)>()
        var nextArrival: UInt64 = 0

        mutating func remove(_ id: ObjectIdentifier) -> Entry? {
            guard let entry = channels.removeValue(forKey: id) else { return nil }
            perAddress[entry.address, default: 1] -= 1
            if perAddress[entry.address] == 0 { perAddress[entry.address] = nil }
            unauthenticated[id] = nil
            return entry
        }

        /// Removes and returns the oldest unauthenticated connection, if it is at least `grace` old
        /// at `now`.
        mutating func evictOldestUnauthenticated(now: NIODeadline, grace: TimeAmount) -> Entry? {
            while let first = arrivals.first {
                guard unauthenticated[first.id] == first.number else {
                    arrivals.removeFirst()  // stale
                    continue
                }
                guard now - first.at >= grace else { return nil }
                arrivals.removeFirst()
                return remove(first.id)
            }
            return nil
        }

        /// Drops stale arrivals once they outnumber the live ones: units that authenticate and
        /// stay would otherwise leave one behind each, for good.
        mutating func compactArrivals() {
            guard arrivals.count > 2 * unauthenticated.count + 64 else { return }
            arrivals = CircularBuffer(arrivals.filter { unauthenticated[$0.id] == $0.number })
        }
    }
    private let state = Locked(State())

    /// Admits `channel` from `address`, arriving `now`, under `configuration`'s limits, as
    /// unauthenticated.
    func admit(_ channel: any Channel, address: String, now: NIODeadline, configuration: HJ212ServerConfiguration) -> Admission {
        state.withLock { s in
            let fromAddress = s.perAddress[address, default: 0]
            guard fromAddress < configuration.maxConnectionsPerAddress else {
                return .refused("connection limit (\(fromAddress) from \(address), max_connections_per_address)")
            }
            var evicted: Evicted?
            let full = s.channels.count >= configuration.maxConnections
            if full || s.unauthenticated.count >= configuration.maxUnauthenticatedConnections {
                guard let oldest = s.evictOldestUnauthenticated(now: now, grace: .milliseconds(configuration.evictionGrace)) else {
                    if s.unauthenticated.isEmpty {
                        return .refused("connection limit (\(s.channels.count) units, max_connections)")
                    }
                    // Every one that could make room is still in its grace: the newcomer waits.
                    return .refused(
                        "connection limit (\(full ? "\(s.channels.count) connections, max_connections" : "\(s.unauthenticated.count) without an authenticated frame, max_unauthenticated_connections"); "
                            + "none older than eviction_grace)")
                }
                evicted = Evicted(channel: oldest.channel, address: oldest.address)
            }
            let id = ObjectIdentifier(channel)
            s.channels[id] = Entry(channel: channel, address: address)
            s.perAddress[address, default: 0] += 1
            s.unauthenticated[id] = s.nextArrival
            s.arrivals.append((s.nextArrival, id, now))
            s.nextArrival += 1
            s.compactArrivals()
            return .admitted(evicted: evicted)
        }
    }

    /// `channel` sent its first authenticated frame: it leaves the unauthenticated budget.
    func authenticated(_ channel: any Channel) {
        state.withLock { s in _ = s.unauthenticated.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// `channel` closed: its slot is free (nothing happens for one already evicted).
    func release(_ channel: any Channel) {
        state.withLock { s in _ = s.remove(ObjectIdentifier(channel)) }
    }

    /// Every admitted connection still open.
    var all: [any Channel] { state.withLock { $0.channels.values.map(\.channel) } }

    /// How many admitted connections have not authenticated (for tests).
    var unauthenticatedCount: Int { state.withLock { $0.unauthenticated.count } }

    /// Sets up a connection just accepted: admits it under the limits, or refuses (closes) it,
    /// and builds its pipeline. The server's child channel initializer; tests call it on
    /// embedded channels.
    func accept(_ child: any Channel, context shared: HJ212ServerContext) -> EventLoopFuture<Void> {
        let config = shared.configuration
        let address = child.remoteAddress?.ipAddress ?? "?"
        let evicted: Evicted?
        switch admit(child, address: address, now: child.eventLoop.now, configuration: config) {
        case .refused(let why):
            shared.statistics.totals { $0.connectionsRefused += 1 }
            // A flood of connections over the limit is refused as fast as it comes.
            shared.events.warning("refused", "hj212: refused a connection from \(address): \(why)")
            return child.close()
        case .admitted(let e):
            evicted = e
        }
        shared.metrics.connectionOpened()
        shared.statistics.totals {
            $0.connectionsAccepted += 1
            $0.connectionsOpen += 1
            if evicted != nil { $0.connectionsEvicted += 1 }
        }
        if let evicted {
            shared.events.warning(
                "evicted",
                "hj212: closing a connection from \(evicted.address) with no authenticated frame yet, to make room for one from "
                    + "\(address) (max_unauthenticated_connections \(config.maxUnauthenticatedConnections), "
                    + "max_connections \(config.maxConnections))"
            )
            evicted.channel.close(promise: nil)
        }
        child.closeFuture.whenComplete { _ in
            self.release(child)
            shared.statistics.totals { $0.connectionsOpen -= 1 }
            shared.metrics.connectionClosed()
        }
        return child.eventLoop.makeCompletedFuture {
            try child.pipeline.syncOperations.addHandler(HJ212ConnectionHandler(shared: shared, connections: self))
        }
    }
}
