@testable import Collectors
import EnvmonTesting
import Monitoring
import Testing

/// The server builds its 9014 replies from a cached tail; each must be the encoder's reply.
@Suite struct HJ212ReplyCacheTests {
    @Test func cachedRepliesAreTheEncodersForEveryRealPacket() throws {
        var cache = HJ212ReplyCache()
        var fast = 0
        for variants in [Set([HJ212CRCVariant.hj212]), Set(HJ212CRCVariant.allCases)] {
            for vector in HJ212Vector.all {
                let decoded = HJ212Decoder.decode(vector.packet)
                let strict = try? HJ212Encoder.reply(to: decoded, accepting: variants)
                if let cached = cache.reply(to: decoded, accepting: variants) {
                    fast += 1
                    #expect(cached == strict, "row \(vector.row)")
                }
            }
        }
        #expect(fast > 0)
    }

    @Test func aUnitsFramesAndAnotherUnitsGetTheirOwnReplies() throws {
        var cache = HJ212ReplyCache()
        for (i, id) in ["a", "b", "a"].enumerated() {
            var st = TestStations.station(id, parameters: ["PM2.5"])
            st.mn = "MN-\(id)"
            st.password = "pw-\(id)"
            var sim = try StationSimulator(st, seed: 1, start: 1_735_660_800)
            for j in 0..<20 {
                let decoded = HJ212Decoder.decode(try sim.nextFrame(sentAt: 1_735_700_000_000 + Int64(i * 100 + j)).bytes)
                let cached = cache.reply(to: decoded, accepting: [.hj212])
                #expect(cached != nil)
                #expect(cached == (try HJ212Encoder.reply(to: decoded)))
            }
        }
    }
}
