@testable import Collectors
import EnvmonTesting
import Foundation
import Monitoring
import Testing

/// The ingest of decoded uploads: refused values.
@Suite struct HJ212IngestTests {
    /// 2026-12-06T08:00:00+08:00, the collector's clock in these tests.
    static let now: Int64 = 1_796_515_200
    static let station = TestStations.station("air", parameters: ["PM2.5", "PM10"])

    static func upload(_ dataTime: String, cn: String = "2011", cp: String = "a34004-Rtd=35,a34004-Flag=N") -> HJ212Decoded {
        let segment = "QN=20261206080000000;ST=22;CN=\(cn);PW=123456;MN=M;Flag=5;CP=&&DataTime=\(dataTime);\(cp)&&"
        return HJ212Decoder.decode(HJ212Encoder.framed(Array(segment.utf8)))
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
