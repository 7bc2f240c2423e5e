@testable import Collectors
import Testing

@Suite struct HJ212FrameSplitterTests {
    typealias Output = HJ212FrameSplitter.Output

    /// All vectors back to back, each with its own terminator or none.
    static let stream: [UInt8] = HJ212Vector.all.flatMap(\.packet)

    static func frames(_ outputs: [Output]) -> [[UInt8]] {
        outputs.compactMap { if case .frame(let f) = $0 { f } else { nil } }
    }

    static func trimmed(_ frame: [UInt8]) -> [UInt8] {
        var f = frame
        while let last = f.last, last == 0x0D || last == 0x0A { f.removeLast() }
        return f
    }

    /// Every byte is accounted for: in a frame, skipped, dropped, a late terminator, or buffered.
    static func accounted(_ s: HJ212FrameSplitter, _ outputs: [Output]) -> Int {
        frames(outputs).reduce(0) { $0 + $1.count } + s.skippedBytes + s.droppedBytes + s.lateTerminatorBytes + s.bufferedCount
    }

    @Test func wholeStreamAtOnceGivesTheVectorsExactly() {
        var s = HJ212FrameSplitter()
        let out = s.feed(Self.stream) + s.finish()
        #expect(Self.frames(out) == HJ212Vector.all.map(\.packet))
        #expect(out.count == 18 && s.skippedBytes == 0 && s.droppedBytes == 0 && s.frameCount == 18)
    }

    @Test func byteByByte() {
        var s = HJ212FrameSplitter()
        var out: [Output] = []
        for b in Self.stream {
            out += s.feed([b])
            #expect(s.bufferedCount <= 1_700)
        }
        out += s.finish()
        // A CR LF that arrives after its frame's CRC is not waited for: it is skipped when it comes.
        #expect(Self.frames(out).map(Self.trimmed) == HJ212Vector.all.map(\.trimmed))
        #expect(Self.accounted(s, out) == Self.stream.count)
        #expect(s.skippedBytes == 0 && s.droppedBytes == 0)
        for (frame, v) in zip(Self.frames(out), HJ212Vector.all) {
            #expect(HJ212Decoder.decode(frame).crcOK == v.crcValid)
        }
    }

    @Test func randomChunks() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<50 {
            var s = HJ212FrameSplitter()
            var out: [Output] = []
            var i = 0
            while i < Self.stream.count {
                let n = Int.random(in: 1...700, using: &rng)
                out += s.feed(Self.stream[i..<min(i + n, Self.stream.count)])
                i += n
            }
            out += s.finish()
            #expect(Self.frames(out).map(Self.trimmed) == HJ212Vector.all.map(\.trimmed))
            #expect(Self.accounted(s, out) == Self.stream.count)
        }
    }

    @Test func skipsAndCountsGarbage() {
        var s = HJ212FrameSplitter()
        let v1 = HJ212Vector.row(1).packet
        let v3 = HJ212Vector.row(3).packet
        let input = Array("hello".utf8) + v1 + [0, 0, 0xFF] + Array("#x##".utf8) + Array("###".utf8) + v3 + Array("tail#".utf8)
        var out = s.feed(input)
        // `#x`, and the `#` runs before v3's `##`, are garbage: a frame starts at `##` not followed by `#`.
        #expect(out == [.skipped(5), .frame(v1), .skipped(10), .frame(v3), .skipped(4)])
        #expect(s.bufferedCount == 1)
        out += s.finish()
        #expect(out.last == .skipped(1))
        #expect(Self.accounted(s, out) == input.count)
    }

    @Test func aBrokenFrameIsDroppedUpToTheNextFrame() {
        var s = HJ212FrameSplitter()
        let v1 = HJ212Vector.row(1).packet
        let broken = Array("##0042ST=22;CN=2011\n".utf8)
        #expect(s.feed(broken + v1) == [.unframeable(.noFrameEnd, dropped: broken.count), .frame(v1)])
    }

    @Test func wrongLengthsFallBackToDelimiters() {
        // Row 18 declares 215 for 271 bytes and ends in CR LF.
        var s = HJ212FrameSplitter()
        let r18 = HJ212Vector.row(18).packet
        let r1 = HJ212Vector.row(1).packet
        #expect(Self.frames(s.feed(r18 + r1)) == [r18, r1])

        // A declared length too long, no terminator, the next frame right behind: cut at `##` + digits.
        var r10 = HJ212Vector.row(10).packet
        r10.replaceSubrange(2..<6, with: Array("0500".utf8))
        var t = HJ212FrameSplitter()
        #expect(Self.frames(t.feed(r10 + r1)) == [r10, r1])

        // A declared length too short, and a three-digit CRC: the line break ends the frame.
        let seg = Array("ST=22;CN=2011;MN=M;CP=&&a-Rtd=1&&".utf8)
        let short = Array("##0010".utf8) + seg + Array("880\r\n".utf8)
        var u = HJ212FrameSplitter()
        #expect(Self.frames(u.feed(short + r1)) == [short, r1])

        // Under the strict policy the same frames are dropped and reported.
        var strict = HJ212FrameSplitter(configuration: .init(lengthPolicy: .strict))
        let out = strict.feed(r18 + r1)
        #expect(out == [.unframeable(.lengthMismatch, dropped: r18.count), .frame(r1)])
        var strict2 = HJ212FrameSplitter(configuration: .init(lengthPolicy: .strict))
        #expect(strict2.feed(Array("##ABCD&&0000\r\n".utf8) + r1) == [.unframeable(.badLength, dropped: 14), .frame(r1)])
    }

    @Test func unframeableStreamIsReportedWithinTheMaximum() {
        var s = HJ212FrameSplitter(configuration: .init(maxFrameSize: 512))
        // A length field that is not digits and no terminator for 100 KB.
        let junk = Array("##ABCD".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        var out: [Output] = []
        var i = 0
        while i < junk.count {
            out += s.feed(junk[i..<min(i + 3_000, junk.count)])
            #expect(s.bufferedCount <= 1_024)
            i += 3_000
        }
        #expect(out.first == .unframeable(.noFrameEnd, dropped: 512))
        let r1 = HJ212Vector.row(1).packet
        out += s.feed(r1)
        #expect(Self.frames(out) == [r1])
        #expect(Self.accounted(s, out) == junk.count + r1.count)
    }

    @Test func maxFrameSizeIsEnforced() {
        var s = HJ212FrameSplitter(configuration: .init(maxFrameSize: 256))
        let big = HJ212Vector.row(13).packet  // 589-byte segment
        let small = HJ212Vector.row(1).packet
        let out = s.feed(big + small)
        #expect(out.first == .unframeable(.noFrameEnd, dropped: 256))
        #expect(Self.frames(out) == [small])
        #expect(Self.accounted(s, out) == big.count + small.count)
        // One huge chunk of garbage never sits in the buffer.
        var g = HJ212FrameSplitter(configuration: .init(maxFrameSize: 1_024))
        let garbage = [UInt8](repeating: 0x41, count: 1 << 20)
        #expect(g.feed(garbage).reduce(0) { if case .skipped(let n) = $1 { $0 + n } else { $0 } } == garbage.count)
        #expect(g.bufferedCount == 0)
    }

    @Test func finishDeliversALastFrameWithoutTerminator() {
        var s = HJ212FrameSplitter()
        var r18 = HJ212Vector.trimmedRow18
        #expect(s.feed(r18).isEmpty)
        #expect(s.finish() == [.frame(r18)])
        r18.removeLast(10)
        #expect(s.feed(r18).isEmpty)
        #expect(s.finish() == [.unframeable(.truncated, dropped: r18.count)])
        #expect(s.bufferedCount == 0)
    }
}

extension HJ212Vector {
    /// Row 18 (wrong declared length) without its CR LF: only the end of the stream ends it.
    static var trimmedRow18: [UInt8] { row(18).trimmed }
}
