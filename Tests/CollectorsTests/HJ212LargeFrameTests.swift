@testable import Collectors
import EnvmonTesting
import Monitoring
import Testing

/// Frames of tens of thousands of codes (`max_frame_bytes` raised): the work grows with the codes,
/// not with their square, and flags still reach their values.
@Suite struct HJ212LargeFrameTests {
    /// `n` vendor codes, each with its flag in a `;` group of its own (the layout that made the
    /// decoder, the ingest and the readings quadratic), plus one known code.
    static func frame(_ n: Int) -> [UInt8] {
        let items = (0..<n).map { "x\($0)-Rtd=1;x\($0)-Flag=D" }.joined(separator: ";")
        let segment = "QN=20261206080000000;ST=22;CN=2011;PW=1;MN=M;Flag=5;CP=&&DataTime=20261206075900;\(items);a34004-Rtd=35&&"
        return HJ212Encoder.framed(Array(segment.utf8))
    }

    /// Decode, ingest and group into readings, the best of three runs.
    static func seconds(_ frame: [UInt8]) -> Double {
        let ingest = HJ212Ingest(station: TestStations.station("air", parameters: ["PM2.5"]))
        var best = Double.infinity
        for _ in 0..<3 {
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                let decoded = HJ212Decoder.standard.decode(frame)
                _ = ingest.samples(from: decoded, now: 1_796_515_200)
                _ = decoded.readings
            }
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        return best
    }

    /// Ten times the codes take about ten times as long (a hundred when it was quadratic). Loose on
    /// purpose: a shared machine's noise must not fail it, a square law must.
    @Test func tenTimesTheCodesCostAboutTenTimesTheWork() {
        let small = Self.seconds(Self.frame(2_000))
        let large = Self.seconds(Self.frame(20_000))
        #expect(large / small < 35, "2,000 codes: \(small) s, 20,000 codes: \(large) s")
    }

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
