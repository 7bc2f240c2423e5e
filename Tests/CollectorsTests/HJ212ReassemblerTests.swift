@testable import Collectors
import Monitoring
import Testing

/// An instant that only moves when a test says so.
struct TestInstant: InstantProtocol {
    var offset: Duration
    func advanced(by duration: Duration) -> TestInstant { TestInstant(offset: offset + duration) }
    func duration(to other: TestInstant) -> Duration { other.offset - offset }
    static func < (a: TestInstant, b: TestInstant) -> Bool { a.offset < b.offset }
    static func seconds(_ s: Int) -> TestInstant { TestInstant(offset: .seconds(s)) }
}

@Suite struct HJ212ReassemblerTests {
    typealias Reassembler = HJ212Reassembler<TestInstant>

    /// Fragment `pno` of a 2017 split upload: its own QN, the same DataTime (HJ 212-2017 C.49/C.50).
    static func fragment2017(_ pno: Int, of pnum: Int, mn: String = "M1", dataTime: String = "20160801084000") throws -> HJ212Decoded {
        let header = HJ212Header(qn: "2016080108585753\(pno)", st: "32", cn: "2051", pw: "123456", mn: mn, flag: 7, pnum: pnum, pno: pno)
        return HJ212Decoder.decode(try HJ212Encoder.frame(header, cp: "DataTime=\(dataTime);w0101\(pno)-Avg=\(pno)"))
    }

    /// Packet `pno` of a 2005 reply to a history request: the request's QN, one DataTime each.
    static func packet2005(_ pno: Int, of pnum: Int) throws -> HJ212Decoded {
        let header = HJ212Header(qn: "20040516010101001", st: "32", cn: "2051", pw: "123456", mn: "M2", flag: 2, pnum: pnum, pno: pno)
        return HJ212Decoder.decode(try HJ212Encoder.frame(header, cp: "DataTime=2004050611\(pno)000;011-Avg=\(pno)"))
    }

    static func complete(_ events: [Reassembler.Event]) -> [Int]? {
        for case .complete(let packets) in events { return packets.map { $0.frame.pno ?? 0 } }
        return nil
    }

    @Test func inOrderAndOutOfOrder2017() throws {
        var r = Reassembler()
        #expect(Self.complete(r.add(try Self.fragment2017(1, of: 3), at: .seconds(0))) == nil)
        #expect(Self.complete(r.add(try Self.fragment2017(2, of: 3), at: .seconds(1))) == nil)
        #expect(Self.complete(r.add(try Self.fragment2017(3, of: 3), at: .seconds(2))) == [1, 2, 3])
        #expect(r.pendingCount == 0)

        let events = r.add(try Self.fragment2017(3, of: 3), at: .seconds(10))
        guard case .pending(let key, received: 1, total: 3) = events.first else {
            Issue.record("expected pending, got \(events)")
            return
        }
        #expect(key.discriminator == "DataTime=2016-08-01T08:40:00" && key.mn == "M1" && key.cn == "2051")
        #expect(Self.complete(r.add(try Self.fragment2017(1, of: 3), at: .seconds(11))) == nil)
        // Another device's set in between does not mix in.
        #expect(Self.complete(r.add(try Self.fragment2017(2, of: 3, mn: "M9"), at: .seconds(11))) == nil)
        let done = r.add(try Self.fragment2017(2, of: 3), at: .seconds(12))
        #expect(Self.complete(done) == [1, 2, 3])
        if case .complete(let packets)? = done.last {
            #expect(packets.flatMap(\.values).map(\.code) == ["w01011", "w01012", "w01013"])
        }
        #expect(r.pendingCount == 1)
    }

    @Test func twoThousandFiveSetsShareTheirQN() throws {
        var r = Reassembler()
        #expect(Self.complete(r.add(try Self.packet2005(2, of: 2), at: .seconds(0))) == nil)
        #expect(Self.complete(r.add(try Self.packet2005(1, of: 2), at: .seconds(0))) == [1, 2])
    }

    @Test func unsplitPacketsPassThroughAndBadOnesAreRejected() throws {
        var r = Reassembler()
        #expect(Self.complete(r.add(HJ212Decoder.decode(HJ212Vector.row(7).packet), at: .seconds(0))) == [0])
        #expect(Self.complete(r.add(try Self.fragment2017(1, of: 1), at: .seconds(0))) == [1])
        var small = Reassembler(configuration: .init(maxPackets: 2))
        let events = small.add(try Self.fragment2017(1, of: 3), at: .seconds(0))
        guard case .rejected(_, let reason)? = events.first else {
            Issue.record("expected a rejection, got \(events)")
            return
        }
        #expect(reason == "PNUM 3 is over the bound of 2")
    }

    @Test func duplicatesAreNotStored() throws {
        var r = Reassembler()
        _ = r.add(try Self.fragment2017(1, of: 2), at: .seconds(0))
        let events = r.add(try Self.fragment2017(1, of: 2), at: .seconds(1))
        guard case .duplicate? = events.first else {
            Issue.record("expected a duplicate, got \(events)")
            return
        }
        #expect(Self.complete(r.add(try Self.fragment2017(2, of: 2), at: .seconds(2))) == [1, 2])
    }

    @Test func incompleteSetsExpireByThePassedTime() throws {
        var r = Reassembler(configuration: .init(timeout: .seconds(60)))
        _ = r.add(try Self.fragment2017(1, of: 3), at: .seconds(100))
        _ = r.add(try Self.fragment2017(3, of: 3), at: .seconds(150))
        #expect(r.expire(at: .seconds(159)).isEmpty)
        let expired = r.expire(at: .seconds(160))
        guard case .expired(let set)? = expired.first else {
            Issue.record("expected an expiry, got \(expired)")
            return
        }
        #expect(set.missing == [2] && set.packets.map { $0.frame.pno } == [1, 3] && r.pendingCount == 0)
        // The late fragment starts a new set.
        let late = r.add(try Self.fragment2017(2, of: 3), at: .seconds(161))
        guard case .pending(_, received: 1, total: 3)? = late.first else {
            Issue.record("expected pending, got \(late)")
            return
        }
        // Adding also expires.
        let next = r.add(try Self.fragment2017(1, of: 2, mn: "M5"), at: .seconds(300))
        guard case .expired? = next.first, case .pending? = next.last else {
            Issue.record("expected an expiry then pending, got \(next)")
            return
        }
        #expect(r.flush().count == 1 && r.pendingCount == 0)
    }

    @Test func pendingSetsAreBounded() throws {
        var r = Reassembler(configuration: .init(maxPendingSets: 2))
        _ = r.add(try Self.fragment2017(1, of: 2, mn: "A"), at: .seconds(1))
        _ = r.add(try Self.fragment2017(1, of: 2, mn: "B"), at: .seconds(2))
        let events = r.add(try Self.fragment2017(1, of: 2, mn: "C"), at: .seconds(3))
        guard case .evicted(let set)? = events.first else {
            Issue.record("expected an eviction, got \(events)")
            return
        }
        #expect(set.key.mn == "A" && set.missing == [2] && r.pendingCount == 2)
    }
}
