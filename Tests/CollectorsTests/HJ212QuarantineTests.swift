@testable import Collectors
import EnvmonTesting
import Foundation
import Testing

/// The quarantine file's bounds: size (rotation), rate per address, and the write backlog.
@Suite struct HJ212QuarantineTests {
    let dir = TemporaryDirectory()

    /// A frame of `n` bytes (with its CR LF) whose line in the file is `n + 1` bytes.
    static func frame(_ i: Int, bytes n: Int = 100) -> [UInt8] {
        let head = Array("##\(i);".utf8)
        return head + [UInt8](repeating: UInt8(ascii: "x"), count: n - head.count - 2) + [0x0D, 0x0A]
    }

    /// Keeps the frames one after another and returns the errors.
    static func keep(_ frames: [[UInt8]], in quarantine: HJ212Quarantine) async -> [CollectorError?] {
        var errors: [CollectorError?] = []
        for f in frames {
            errors.append(await withCheckedContinuation { done in quarantine.keep(f) { done.resume(returning: $0) } })
        }
        return errors
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func linesAreEscapedFramesReadBackInOrder() async throws {
        let path = dir.file("q.log")
        let quarantine = try HJ212Quarantine(path: path)
        #expect(await Self.keep([Self.frame(1), Self.frame(2)], in: quarantine).allSatisfy { $0 == nil })
        let written = lines(path)
        #expect(written.count == 2 && written[0].hasPrefix("##1;x") && written[0].hasSuffix("x\\r\\n") && written[1].hasPrefix("##2;"))
    }

    @Test func theFileIsRotatedAtItsCapAndTheNewestFramesKept() async throws {
        let path = dir.file("r.log")
        var limits = HJ212Quarantine.Limits()
        limits.maxBytes = 1_000  // ten lines of 101 bytes do not fit, nine do
        let quarantine = try HJ212Quarantine(path: path, limits: limits)
        #expect(await Self.keep((0..<25).map { Self.frame($0) }, in: quarantine).allSatisfy { $0 == nil })
        #expect(quarantine.rotations == 2)
        let size = { (p: String) in (try? FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        #expect(size(path) <= 1_000 && size(path + ".1") <= 1_000)
        #expect(lines(path + ".1").first?.hasPrefix("##9;") == true, "the first file went, the second is .1")
        #expect(lines(path).first?.hasPrefix("##18;") == true && lines(path).count == 7)
        // Reopened, it goes on from the size on disk.
        let again = try HJ212Quarantine(path: path, limits: limits)
        _ = await Self.keep((25..<28).map { Self.frame($0) }, in: again)
        #expect(again.rotations == 1 && lines(path).count == 1)
    }

    @Test func eachAddressGetsItsBurstThenItsRate() throws {
        var limits = HJ212Quarantine.Limits()
        limits.burst = 3
        limits.rate = 0.5
        let quarantine = try HJ212Quarantine(path: dir.file("a.log"), limits: limits)
        let t: Int64 = 1_796_515_200
        #expect((0..<5).map { _ in quarantine.admit(from: "10.0.0.1", at: t) } == [true, true, true, false, false])
        #expect(quarantine.admit(from: "10.0.0.2", at: t), "another address has its own burst")
        #expect(!quarantine.admit(from: "10.0.0.1", at: t + 1), "half a frame a second: not yet")
        #expect(quarantine.admit(from: "10.0.0.1", at: t + 2))
        #expect(!quarantine.admit(from: "10.0.0.1", at: t + 2))
        // A long quiet spell refills the burst, no more.
        #expect((0..<4).map { _ in quarantine.admit(from: "10.0.0.1", at: t + 3_600) } == [true, true, true, false])
    }

    /// Thousands of addresses do not grow the table without bound: refilled ones are forgotten.
    @Test func addressesWhoseBurstRefilledAreForgotten() throws {
        let quarantine = try HJ212Quarantine(path: dir.file("b.log"))
        let t: Int64 = 1_796_515_200
        for i in 0..<5_000 { _ = quarantine.admit(from: "10.0.\(i / 256).\(i % 256)", at: t + Int64(i)) }
        #expect(quarantine.trackedAddresses < 1_500)
    }
}
