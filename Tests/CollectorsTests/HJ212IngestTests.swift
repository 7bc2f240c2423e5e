@testable import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// The ingest of decoded uploads: times, clock faults, refused values.
@Suite struct HJ212IngestTests {
    /// 2026-12-06T08:00:00+08:00, the collector's clock in these tests.
    static let now: Int64 = 1_796_515_200
    static let station = TestStations.station("air", parameters: ["PM2.5", "PM10"])

    static func upload(_ dataTime: String, cn: String = "2011", cp: String = "a34004-Rtd=35,a34004-Flag=N") -> HJ212Decoded {
        let segment = "QN=20261206080000000;ST=22;CN=\(cn);PW=123456;MN=M;Flag=5;CP=&&DataTime=\(dataTime);\(cp)&&"
        return HJ212Decoder.decode(HJ212Encoder.framed(Array(segment.utf8)))
    }

    @Test(arguments: ["00010101000000", "19000101000000", "19700101080000"])
    func aDataTimeOfAClockResetIsRefused(_ dataTime: String) {
        let result = HJ212Ingest(station: Self.station).samples(from: Self.upload(dataTime), now: Self.now)
        #expect(result.samples.isEmpty)
        #expect(result.failure?.contains("DataTime") == true)
        #expect(result.failure?.contains("behind the collector's clock") == true, "\(result.failure ?? "no failure")")
    }

    @Test func aBackfillJustInsideTheHorizonIsStored() {
        let ingest = HJ212Ingest(station: Self.station)
        // Beijing time, 399 days and 23 hours before the collector's clock (the default horizon is 400 days).
        let t = Self.now - 400 * 86_400 + 3_600
        let local = CivilTime(secondsIfUTC: t + 8 * 3_600)
        let text = HJ212Encoder.timeText(local)
        let result = ingest.samples(from: Self.upload(text), now: Self.now)
        #expect(result.failure == nil)
        #expect(result.samples.map(\.time) == [t])
        // An hour further back it is refused.
        let older = HJ212Encoder.timeText(CivilTime(secondsIfUTC: t - 2 * 3_600 + 8 * 3_600))
        #expect(ingest.samples(from: Self.upload(older), now: Self.now).samples.isEmpty)
    }

    @Test(arguments: ["20261306080000", "20261232080000", "20261206250000", "2026120608000", "2026-12-06T08"])
    func anInvalidDateIsReportedAsSuchWithTheTextSent(_ dataTime: String) {
        let result = HJ212Ingest(station: Self.station).samples(from: Self.upload(dataTime), now: Self.now)
        #expect(result.samples.isEmpty)
        let failure = result.failure ?? ""
        #expect(failure.contains("'\(dataTime)'") && failure.contains("not a valid"), "\(failure)")
        #expect(!failure.contains("no DataTime"))
    }

    /// Both sides are treated alike: a clock ahead is a clock fault too, with its own limit.
    @Test func aDataTimeAheadOfMaxFutureIsAClockFault() throws {
        let ingest = HJ212Ingest(station: Self.station)
        // 2026-12-06T10:00 in Beijing: two hours ahead of the collector's clock (max_future 1 h).
        let ahead = try #require(ingest.samples(from: Self.upload("20261206100000"), now: Self.now).clockFault)
        #expect(ahead.kind == .ahead && ahead.offset == -7_200 && ahead.limit == 3_600 && ahead.station == "air")
        #expect(ahead.description == "DataTime 20261206100000 is 2 hours ahead of the collector's clock (max_future 60 minutes)")
        let far = try #require(ingest.samples(from: Self.upload("99991231235959"), now: Self.now).clockFault)
        #expect(far.kind == .ahead)
        // Within the hour ahead: stored.
        #expect(ingest.samples(from: Self.upload("20261206085900"), now: Self.now).samples.count == 1)
        let old = try #require(ingest.samples(from: Self.upload("19700101080000"), now: Self.now).clockFault)
        #expect(old.kind == .behind && old.offset == Self.now && old.receivedAt == Self.now)
        let invalid = try #require(ingest.samples(from: Self.upload("20261306080000"), now: Self.now).clockFault)
        #expect(invalid.kind == .invalid && invalid.offset == nil && invalid.sent == "20261306080000")
    }

    @Test func withoutADataTimeTheFailureSaysSo() {
        let segment = "QN=20261206080000000;ST=22;CN=2011;PW=123456;MN=M;Flag=5;CP=&&a34004-Rtd=35&&"
        let decoded = HJ212Decoder.decode(HJ212Encoder.framed(Array(segment.utf8)))
        #expect(HJ212Ingest(station: Self.station).samples(from: decoded, now: Self.now).failure == "no DataTime")
    }

    /// A frame holding thousands of codes no catalogue knows: each is counted, a few are listed.
    @Test func refusedValuesAreCountedAndAFewListed() {
        let cp = (0..<30_000).map { "x\($0)-Rtd=1" }.joined(separator: ";") + ";a34004-Rtd=35"
        let result = HJ212Ingest(station: Self.station).samples(from: Self.upload("20261206075900", cp: cp), now: Self.now)
        #expect(result.samples.count == 1)
        #expect(result.rejections.count == HJ212Ingest.listedRejections)
        #expect(result.rejectedCount == 30_000)
        #expect(result.rejections.first?.description == "x0: not in the parameter catalogue")
    }
}
