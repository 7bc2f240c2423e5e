@testable import Collectors
import EnvmonTesting
import Monitoring
import Testing

/// Frames of tens of thousands of codes (`max_frame_bytes` raised): flags still reach their values
/// once the decoder matches them through an index instead of a scan per flag.
@Suite struct HJ212LargeFrameTests {
    /// `n` vendor codes, each with its flag in a `;` group of its own (the layout that made the
    /// decoder, the ingest and the readings quadratic), plus one known code.
    static func frame(_ n: Int) -> [UInt8] {
        let items = (0..<n).map { "x\($0)-Rtd=1;x\($0)-Flag=D" }.joined(separator: ";")
        let segment = "QN=20261206080000000;ST=22;CN=2011;PW=1;MN=M;Flag=5;CP=&&DataTime=20261206075900;\(items);a34004-Rtd=35&&"
        return HJ212Encoder.framed(Array(segment.utf8))
    }

    // How the cost grows with the codes is measured in Benchmarks (HJ212Benchmarks, "HJ212 frame
    // of N vendor codes"), not timed here; HJ212IngestTests checks that a 30,000-code frame's
    // refusals are bounded.

    @Test func flagsReachTheirValuesAcrossGroupsAndInsideLargeGroups() {
        let separate = HJ212Decoder.standard.decode(Self.frame(100))
        #expect(separate.values.filter { $0.field == .rtd && $0.code.hasPrefix("x") }.allSatisfy { $0.flag == .fault })
        #expect(separate.values.first { $0.code == "a34004" }?.flag == nil)
        // One `;` group of 300 items, the flag before or after its value, and a long vendor code.
        var items: [String] = []
        for i in 0..<100 { items += i % 2 == 0 ? ["y\(i)-Rtd=1", "y\(i)-Flag=M"] : ["y\(i)-Flag=C", "y\(i)-Rtd=1"] }
        items += ["vendor-code-long-1-Rtd=2", "vendor-code-long-2-Flag=D", "vendor-code-long-1-Flag=M"]
        let segment = "QN=1;ST=22;CN=2011;PW=1;MN=M;Flag=5;CP=&&DataTime=20261206075900;\(items.joined(separator: ","))&&"
        let one = HJ212Decoder.standard.decode(HJ212Encoder.framed(Array(segment.utf8)))
        for v in one.values where v.field == .rtd && v.code.hasPrefix("y") {
            #expect(v.flag == (Int(v.code.dropFirst())! % 2 == 0 ? .maintenance : .calibration), "\(v)")
        }
        #expect(one.values.first { $0.code == "vendor-code-long-1" && $0.field == .rtd }?.flag == .maintenance)
        #expect(one.readings.count == 102)
        #expect(one.readings.first { $0.code == "y7" }?.flag == .calibration)
    }
}
