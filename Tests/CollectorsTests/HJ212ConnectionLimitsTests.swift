@testable import Collectors
import EnvmonTesting
import NIOCore
import NIOEmbedded
import Testing

/// What a connection may hold, in process on embedded channels: time to deliver a frame, idle
/// time, and the smaller budget of connections that have not authenticated.
@Suite struct HJ212ConnectionLimitsTests {
    static func configuration(_ change: (inout HJ212ServerConfiguration) -> Void) -> HJ212ServerConfiguration {
        var configuration = HJ212ServerConfiguration()
        change(&configuration)
        return configuration
    }

    /// A byte every 5 s of a frame that never ends: closed 60 s after the frame's first byte,
    /// though the idle timeout (10 min) is far off and bytes keep coming.
    @Test func aTricklingPeerIsClosedWhenItsFrameDoesNotEndInTime() throws {
        let server = EmbeddedHJ212Server()
        let unit = try server.connect()
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        server.commit()
        #expect(try server.replies(on: unit) == [1])
        let partial = try EmbeddedHJ212Server.frame(2)
        for (i, byte) in partial.prefix(12).enumerated() {
            try server.send([byte], on: unit)
            #expect(unit.isActive, "closed after \(i * 5) s")
            server.loop.advanceTime(by: .seconds(5))
        }
        // First byte at 0 s, last at 55 s; the frame's time ran out at 60 s.
        #expect(!unit.isActive)
        #expect(server.statistics.total.frameTimeouts == 1)
        #expect(server.log.lines(containing: "no complete frame within 60 s").count == 1)
    }

    /// Bytes outside any frame, one every 5 s, do not keep a connection past its idle timeout,
    /// which runs from the last complete frame.
    @Test func bytesThatMakeNoFrameDoNotPostponeTheIdleTimeout() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration { $0.idleTimeout = 30 })
        let unit = try server.connect()
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        server.commit()
        for _ in 0..<5 {
            server.loop.advanceTime(by: .seconds(5))
            try server.send(Array("x\r\n".utf8), on: unit)
        }
        server.loop.advanceTime(by: .seconds(4))
        #expect(unit.isActive)  // 29 s
        server.loop.advanceTime(by: .seconds(1))
        #expect(!unit.isActive)  // 30 s after the frame
        #expect(server.statistics.total.idleClosed == 1)
        #expect(server.log.lines(containing: "idle for 30 s").count == 1)
    }

    /// A connection that sends nothing after connecting is closed once its first frame is overdue.
    @Test func aSilentNewConnectionIsClosedAfterTheFrameTimeout() throws {
        let server = EmbeddedHJ212Server()
        let silent = try server.connect()
        server.loop.advanceTime(by: .seconds(59))
        #expect(silent.isActive)
        server.loop.advanceTime(by: .seconds(1))
        #expect(!silent.isActive)
        #expect(server.log.lines(containing: "no frame within 60 s of connecting").count == 1)
    }

    /// While the server does not read (too many frames wait for a commit), neither the frame's
    /// time nor the idle time runs: the peer is not to blame. Both start again when reading does.
    @Test func timeDoesNotRunOutWhileTheServerIsNotReading() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration {
            $0.maxFramesInFlight = 1
            $0.idleTimeout = 60
        })
        let unit = try server.connect()
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        #expect(EmbeddedHJ212Server.autoRead(unit) == false)
        server.loop.advanceTime(by: .seconds(300))  // a commit that takes five minutes
        #expect(unit.isActive)
        server.commit()
        #expect(EmbeddedHJ212Server.autoRead(unit) == true)
        #expect(try server.replies(on: unit) == [1])
        server.loop.advanceTime(by: .seconds(59))
        #expect(unit.isActive)
        server.loop.advanceTime(by: .seconds(1))
        #expect(!unit.isActive)
    }

    /// Past `max_unauthenticated_connections`, a new connection closes the oldest that has not
    /// sent an authenticated frame; a unit that has is never closed for it, and a frame with the
    /// wrong password does not count.
    @Test func unauthenticatedConnectionsHaveASmallerBudget() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration {
            $0.maxUnauthenticatedConnections = 2
            $0.evictionGrace = 0
        })
        let a = try server.connect(port: 1)
        let b = try server.connect(port: 2)
        let unit = try server.connect(port: 3)
        #expect(!a.isActive && b.isActive && unit.isActive)
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)  // authenticated: out of the budget
        let wrong = try server.connect(port: 4)
        try server.send(EmbeddedHJ212Server.frame(2, password: "guess"), on: wrong)
        #expect(b.isActive && wrong.isActive)
        let c = try server.connect(port: 5)
        #expect(!b.isActive && wrong.isActive && c.isActive && unit.isActive)
        let d = try server.connect(port: 6)
        #expect(!wrong.isActive && c.isActive && d.isActive && unit.isActive)
        #expect(server.statistics.total.connectionsEvicted == 3)
        #expect(server.statistics.total.connectionsRefused == 0)
        #expect(server.log.lines(containing: "no authenticated frame yet").count == 1)  // then counted
    }

    /// When every slot is taken, a new connection closes the oldest unauthenticated one; only
    /// when every slot holds a unit that authenticated is it refused.
    @Test func aFullServerMakesRoomByClosingTheOldestUnauthenticatedConnection() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration {
            $0.maxConnections = 3
            $0.evictionGrace = 0
        })
        let units = try (1...3).map { try server.connect(port: $0) }
        try server.send(EmbeddedHJ212Server.frame(1), on: units[0])
        let newcomer = try server.connect(port: 4)
        #expect(!units[1].isActive && units[0].isActive && units[2].isActive && newcomer.isActive)
        try server.send(EmbeddedHJ212Server.frame(2), on: units[2])
        try server.send(EmbeddedHJ212Server.frame(3), on: newcomer)
        let refused = try server.connect(port: 5)
        #expect(!refused.isActive)
        #expect(units[0].isActive && units[2].isActive && newcomer.isActive)
        #expect(server.statistics.total.connectionsRefused == 1)
        #expect(server.statistics.total.connectionsEvicted == 1)
    }

    /// A connection keeps its slot for `eviction_grace` after it came: a newcomer that finds every
    /// connection without an authenticated frame younger than that is refused, so a flood of new
    /// connections cannot close a unit before its first frame arrives; once the grace is over,
    /// the oldest makes room as before.
    @Test func aNewConnectionIsNotClosedForRoomWithinItsGrace() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration {
            $0.maxUnauthenticatedConnections = 2
            $0.evictionGrace = 2_000
        })
        let unit = try server.connect(port: 1)
        server.loop.advanceTime(by: .milliseconds(500))
        let idle = try server.connect(port: 2)
        let flood = try (3...10).map { try server.connect(port: $0) }
        #expect(unit.isActive && idle.isActive)
        #expect(flood.allSatisfy { !$0.isActive })
        #expect(server.statistics.total.connectionsRefused == 8)
        #expect(server.log.lines(containing: "none older than eviction_grace").count == 1)
        // The unit's first frame arrives within its grace: it leaves the budget for good.
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        #expect(try server.replies(on: unit) == [])  // its commit is pending
        server.commit()
        #expect(try server.replies(on: unit) == [1])
        // The budget has room for one more; past the idle one's grace, the next newcomer closes it.
        server.loop.advanceTime(by: .milliseconds(2_100))
        let newcomer = try server.connect(port: 11)
        let second = try server.connect(port: 12)
        let third = try server.connect(port: 13)
        #expect(!idle.isActive && newcomer.isActive && second.isActive && unit.isActive)
        #expect(!third.isActive, "the two newcomers are within their grace")
        #expect(server.statistics.total.connectionsEvicted == 1)
    }

    /// Admission and release keep their counts: connections that come and go leave nothing behind.
    @Test func closedConnectionsFreeTheirSlotsAndBudget() throws {
        let server = EmbeddedHJ212Server(configuration: Self.configuration {
            $0.maxConnections = 2
            $0.maxUnauthenticatedConnections = 1
        })
        for round in 0..<100 {
            let unit = try server.connect(port: round)
            #expect(unit.isActive)
            try server.send(EmbeddedHJ212Server.frame(round), on: unit)
            let silent = try server.connect(port: 10_000 + round)
            #expect(silent.isActive && unit.isActive)
            _ = try? unit.close().wait()
            _ = try? silent.close().wait()
            server.loop.run()  // closeFuture completes on the loop, after the close
        }
        #expect(server.connections.all.isEmpty)
        #expect(server.statistics.total.connectionsEvicted == 0)
        #expect(server.statistics.total.connectionsRefused == 0)
    }
}
