@testable import Collectors
import EnvmonTesting
import NIOCore
import NIOEmbedded
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Running out of descriptors while accepting, on an embedded listening channel: accepting
/// pauses (autoRead off) and resumes after a backoff, instead of being retried at once.
@Suite struct HJ212AcceptBackoffTests {
    static let emfile = IOError(errnoCode: EMFILE, reason: "accept(descriptor:pointer:size:)")

    @Test func emfilePausesAcceptingThenResumesAfterABackoffThatGrows() throws {
        let server = EmbeddedHJ212Server()
        let backoff = HJ212AcceptBackoff(shared: server.context)
        let listener = EmbeddedChannel(handler: backoff, loop: server.loop)
        listener.pipeline.fireErrorCaught(Self.emfile)
        #expect(EmbeddedHJ212Server.autoRead(listener) == false)
        // More failures while paused (accepts already under way) change nothing.
        listener.pipeline.fireErrorCaught(Self.emfile)
        server.loop.advanceTime(by: .milliseconds(99))
        #expect(EmbeddedHJ212Server.autoRead(listener) == false)
        server.loop.advanceTime(by: .milliseconds(1))
        #expect(EmbeddedHJ212Server.autoRead(listener) == true)
        // Still short of descriptors: twice as long.
        listener.pipeline.fireErrorCaught(Self.emfile)
        server.loop.advanceTime(by: .milliseconds(199))
        #expect(EmbeddedHJ212Server.autoRead(listener) == false)
        server.loop.advanceTime(by: .milliseconds(1))
        #expect(EmbeddedHJ212Server.autoRead(listener) == true)
        // A connection accepted: back to the first pause.
        listener.pipeline.fireChannelRead(NIOAny(EmbeddedChannel(loop: server.loop) as any Channel))
        listener.pipeline.fireErrorCaught(Self.emfile)
        server.loop.advanceTime(by: .milliseconds(100))
        #expect(EmbeddedHJ212Server.autoRead(listener) == true)
        #expect(server.statistics.total.acceptErrors == 4)
        #expect(server.log.lines(containing: "cannot accept connections").count == 1, "then counted")
        #expect(try listener.throwIfErrorCaught() == ())  // handled, not passed on
    }

    @Test func theBackoffStopsGrowingAtASecond() {
        let server = EmbeddedHJ212Server()
        let listener = EmbeddedChannel(handler: HJ212AcceptBackoff(shared: server.context), loop: server.loop)
        for _ in 0..<10 {
            listener.pipeline.fireErrorCaught(Self.emfile)
            server.loop.advanceTime(by: .seconds(1))
            #expect(EmbeddedHJ212Server.autoRead(listener) == true)
        }
    }

    @Test func otherErrorsArePassedOn() {
        let server = EmbeddedHJ212Server()
        let listener = EmbeddedChannel(handler: HJ212AcceptBackoff(shared: server.context), loop: server.loop)
        listener.pipeline.fireErrorCaught(IOError(errnoCode: ECONNABORTED, reason: "accept"))
        #expect(EmbeddedHJ212Server.autoRead(listener) == nil)
        #expect(throws: IOError.self) { try listener.throwIfErrorCaught() }
    }
}
