@testable import Collectors
import Testing

/// Random and mutated inputs: the decoder and the splitter never trap and keep their invariants.
///
/// Seeded, and bounded by a time budget as well as a count, so it stays a couple of seconds in debug.
@Suite struct HJ212FuzzTests {
    static let alphabet = Array("##&&;;,,==--//0123456789ABCDEFabcdefCPQNSTMWFlagPNUMODataTime\r\n \u{0}é".utf8)

    static func mutate(_ base: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var p = base
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !p.isEmpty else { break }
            let i = Int.random(in: 0..<p.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: p[i] = UInt8.random(in: 0...255, using: &rng)
            case 1: p[i] = alphabet.randomElement(using: &rng)!
            case 2: p.insert(alphabet.randomElement(using: &rng)!, at: i)
            case 3: p.remove(at: i)
            case 4: p.removeSubrange(i..<min(p.count, i + Int.random(in: 1...40, using: &rng)))
            case 5: p = Array(p[..<i])
            default:
                let j = Int.random(in: 0..<p.count, using: &rng)
                p.insert(contentsOf: p[min(i, j)..<max(i, j)].prefix(64), at: i)
            }
        }
        return p
    }

    /// The shorter vectors, mutated most often so that more inputs fit the time budget.
    static let short = HJ212Vector.all.map(\.packet).filter { $0.count < 200 }

    static func randomInput(_ rng: inout SeededRandom) -> [UInt8] {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0: return (0..<Int.random(in: 0...80, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        case 1: return Array("##0020".utf8) + (0..<Int.random(in: 0...40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
        case 2: return mutate(HJ212Vector.all.randomElement(using: &rng)?.packet ?? [], &rng)
        default: return mutate(short.randomElement(using: &rng) ?? [], &rng)
        }
    }

    @Test func decoderNeverTrapsAndKeepsItsInvariants() {
        var rng = SeededRandom(seed: 0x212)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(2))
        var count = 0
        var clean = 0
        let light = HJ212Decoder(parsesValues: false)
        // At least 20,000 inputs whatever the machine's load (a time budget alone ran 10,752 on a
        // loaded CI machine), and up to 300,000 while the budget lasts.
        while count < 20_000 || (count < 300_000 && (count % 256 != 0 || clock.now < deadline)) {
            let input = Self.randomInput(&rng)
            let d = HJ212Decoder.decode(input)
            count += 1
            if d.isClean { clean += 1 }
            guard d.crcExpected == HJ212CRC.checksum(d.frame.segment),
                d.crcOK == (d.crcSent == d.crcExpected), d.crcOK == (d.crcVariant == .hj212),
                d.lengthOK == (d.frame.declaredLength == d.frame.segment.count),
                !d.isClean || (d.crcOK && d.lengthOK),
                d.frame.segment.count <= input.count,
                d.values.allSatisfy({ !$0.description.isEmpty && ($0.number?.isFinite ?? true) }),
                d.frame.cp.map({ $0.utf8.count <= d.frame.segment.count }) ?? true,
                count % 8 != 0 || light.decode(input).crcOK == d.crcOK
            else {
                Issue.record("invariant broken for \(Array(input))")
                return
            }
            guard count % 8 == 0 else { continue }
            _ = d.readings
            _ = (d.qn, d.st, d.cn, d.pw, d.mn, d.frame.segmentText, d.frame.command)
            if d.crcOK, d.st != nil, d.cn != nil {
                // Replies either build or fail with an encoding error; they never trap.
                _ = try? HJ212Encoder.reply(to: d)
            }
        }
        #expect(clean > 0)
    }

    @Test func splitterNeverTrapsLosesNoByteAndStaysBounded() {
        var rng = SeededRandom(seed: 0x5EED)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(1))
        var streams = 0
        var total = 0
        // At least 1,000 streams whatever the load, up to 20,000 while the budget lasts.
        while streams < 1_000 || (streams < 20_000 && clock.now < deadline) {
            let max = [64, 300, 2_048, 16_384].randomElement(using: &rng)!
            let policy: HJ212FrameSplitter.Configuration.LengthPolicy = Bool.random(using: &rng) ? .strict : .fallBackToDelimiters
            var s = HJ212FrameSplitter(configuration: .init(maxFrameSize: max, lengthPolicy: policy))
            var stream: [UInt8] = []
            for _ in 0..<Int.random(in: 1...6, using: &rng) { stream += Self.randomInput(&rng) }
            var frames = 0
            var frameBytes = 0
            var i = 0
            let check: (HJ212FrameSplitter.Output) -> Void = { output in
                if case .frame(let f) = output {
                    frames += 1
                    frameBytes += f.count
                    #expect(f.starts(with: [0x23, 0x23]) && f.count <= max)
                    _ = HJ212Decoder.decode(f)
                }
            }
            while i < stream.count {
                let n = Int.random(in: 1...(stream.count - i), using: &rng)
                s.feed(stream[i..<(i + n)], emit: check)
                #expect(s.bufferedCount <= 2 * max)
                i += n
            }
            s.finish(emit: check)
            #expect(s.bufferedCount == 0 && frames == s.frameCount)
            #expect(frameBytes + s.skippedBytes + s.droppedBytes + s.lateTerminatorBytes == stream.count)
            streams += 1
            total += stream.count
        }
    }
}
