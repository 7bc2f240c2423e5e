@testable import Collectors
import EnvmonTesting
import NIOCore
import NIOEmbedded
import Store
import Testing

/// One connection's handling in process, on embedded channels: replies, reading, failures.
@Suite struct HJ212ConnectionHandlerTests {
    @Test func repliesGoOutInFrameOrderAfterCommitsCompleteOutOfOrder() throws {
        let server = EmbeddedHJ212Server()
        let unit = try server.connect()
        // Three frames read in three turns of the loop: three batches.
        for qn in 1...3 { try server.send(EmbeddedHJ212Server.frame(qn), on: unit) }
        #expect(server.pendingBatches == 3)
        server.commit(2)
        server.commit(1)
        #expect(try server.replies(on: unit) == [])  // 2 and 3 wait for 1
        server.commit(0)
        #expect(try server.replies(on: unit) == [1, 2, 3])
        #expect(server.statistics.stations["wwtp"]?.replies == 3)
    }

    @Test func aFrameWhoseCommitFailsGetsNoReplyAndTheFailureIsLoggedOnceWithACount() throws {
        let server = EmbeddedHJ212Server()
        let unit = try server.connect()
        for qn in 1...50 {
            try server.send(EmbeddedHJ212Server.frame(qn), on: unit)
            server.commit(failing: qn != 25)
        }
        #expect(try server.replies(on: unit) == [25])
        #expect(server.statistics.stations["wwtp"]?.rejected == 49)
        server.clock.advance(by: .seconds(10))
        server.context.events.flush()
        let lines = server.log.lines(containing: "not stored")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.hasSuffix("… and 48 more in the last 10 s") == true, "\(lines)")
    }

    @Test func aFrameWhoseValuesTheStoreRefusesAsUnknownIsNotAcknowledged() throws {
        // The station left sensors/ (SIGHUP) between the frame's check and its commit: the
        // store refused its values, so a 9014 would acknowledge readings that were not stored.
        let server = EmbeddedHJ212Server()
        let unit = try server.connect()
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        server.commit(outcome: .unknownSeries)
        try server.send(EmbeddedHJ212Server.frame(2), on: unit)
        server.commit()
        #expect(try server.replies(on: unit) == [2])
        #expect(server.statistics.stations["wwtp"]?.rejected == 1)
        #expect(server.log.lines(containing: "refused by the store").count == 1)
    }

    @Test func readingPausesWhileTooManyFramesWaitForTheirCommits() throws {
        var configuration = HJ212ServerConfiguration()
        configuration.maxFramesInFlight = 4
        let server = EmbeddedHJ212Server(configuration: configuration)
        let unit = try server.connect()
        for qn in 1...3 { try server.send(EmbeddedHJ212Server.frame(qn), on: unit) }
        #expect(EmbeddedHJ212Server.autoRead(unit) == nil)
        try server.send(EmbeddedHJ212Server.frame(4), on: unit)
        #expect(EmbeddedHJ212Server.autoRead(unit) == false)
        server.commit()
        server.commit()
        #expect(EmbeddedHJ212Server.autoRead(unit) == false)
        server.commit()
        #expect(EmbeddedHJ212Server.autoRead(unit) == true)
        #expect(try server.replies(on: unit) == [1, 2, 3])
    }

    @Test func drainingAnswersTheFramesInFlightThenCloses() throws {
        let server = EmbeddedHJ212Server()
        let unit = try server.connect()
        try server.send(EmbeddedHJ212Server.frame(1), on: unit)
        unit.pipeline.fireUserInboundEventTriggered(HJ212DrainEvent())
        #expect(unit.isActive)
        try server.send(EmbeddedHJ212Server.frame(2), on: unit)  // read after the drain began: ignored
        #expect(server.pendingBatches == 1)
        server.commit()
        #expect(try server.replies(on: unit) == [1])
        #expect(!unit.isActive)
    }
}
