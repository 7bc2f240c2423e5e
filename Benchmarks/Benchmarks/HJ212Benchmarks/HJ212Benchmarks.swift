// Benchmarks of the HJ 212 codec: decode throughput on a mix of real packets, the stream framer,
// and a fuzz campaign that mutates real packets for as long as it runs (a crash fails it).
// See Benchmarks/README.md for the goals.

import Benchmark
import Collectors
import Foundation
import Monitoring

let benchmarks: @Sendable () -> Void = {
    let frames = Vectors.frames
    let perIteration = 100_000

    // 1. Decode: every packet of ../shared/data/hj212-vectors.tsv in turn (the broken ones
    //    included), 100,000 decodes per iteration, on one thread.
    Benchmark(
        "HJ212 decode, mix of real vectors",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, Vectors.framesPerSecond],
            units: [Vectors.framesPerSecond: .kilo],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(20),
            maxIterations: 20
        )
    ) { benchmark in
        let decoder = HJ212Decoder()
        var values = 0
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<perIteration {
            let decoded = decoder.decode(frames[i % frames.count])
            values &+= decoded.values.count
        }
        let elapsed = start.duration(to: clock.now)
        blackHole(values)
        benchmark.measurement(Vectors.framesPerSecond, Int(Double(perIteration) / seconds(elapsed)))
    }

    // 2. What the server does with each frame: decode, then group values into readings.
    Benchmark(
        "HJ212 decode and group readings, mix of real vectors",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, Vectors.framesPerSecond],
            units: [Vectors.framesPerSecond: .kilo],
            warmupIterations: 1,
            scalingFactor: .kilo,
            maxDuration: .seconds(20),
            maxIterations: 20
        )
    ) { benchmark in
        let decoder = HJ212Decoder()
        var readings = 0
        let clock = ContinuousClock()
        let start = clock.now
        for i in 0..<perIteration {
            readings &+= decoder.decode(frames[i % frames.count]).readings.count
        }
        let elapsed = start.duration(to: clock.now)
        blackHole(readings)
        benchmark.measurement(Vectors.framesPerSecond, Int(Double(perIteration) / seconds(elapsed)))
    }

    // 3. The framer over a TCP-like stream: all vectors back to back, fed in 1,500-byte reads.
    Benchmark(
        "HJ212 frame splitter, 1500-byte reads",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, Vectors.framesPerSecond],
            units: [Vectors.framesPerSecond: .kilo],
            warmupIterations: 1,
            maxDuration: .seconds(10),
            maxIterations: 20
        )
    ) { benchmark in
        let stream = Vectors.stream
        var splitter = HJ212FrameSplitter()
        var count = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<200 {
            var at = 0
            while at < stream.count {
                let end = min(at + 1_500, stream.count)
                splitter.feed(stream[at..<end]) { output in
                    if case .frame = output { count += 1 }
                }
                at = end
            }
        }
        let elapsed = start.duration(to: clock.now)
        benchmark.measurement(Vectors.framesPerSecond, Int(Double(count) / seconds(elapsed)))
    }

    // 4. Fuzz: real packets with random byte flips, insertions, deletions and truncations, through
    //    the splitter and the decoder. A crash or a hang fails the run; the metric is inputs/s.
    Benchmark(
        "HJ212 fuzz, mutated real vectors",
        configuration: .init(
            metrics: [.wallClock, Vectors.framesPerSecond],
            units: [Vectors.framesPerSecond: .kilo],
            warmupIterations: 0,
            maxDuration: .seconds(60),
            maxIterations: 30
        )
    ) { benchmark in
        var rng = SplitMix64(seed: UInt64(benchmark.currentIteration) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let decoder = HJ212Decoder()
        let inputs = 50_000
        let clock = ContinuousClock()
        let start = clock.now
        var sink = 0
        for _ in 0..<inputs {
            var bytes = frames[Int(rng.next() % UInt64(frames.count))]
            Vectors.mutate(&bytes, &rng)
            let decoded = decoder.decode(bytes)
            sink &+= decoded.values.count + decoded.errors.count
            var splitter = HJ212FrameSplitter(configuration: .init(maxFrameSize: 2_048))
            splitter.feed(bytes) { _ in sink &+= 1 }
            splitter.finish { _ in sink &+= 1 }
        }
        let elapsed = start.duration(to: clock.now)
        blackHole(sink)
        benchmark.measurement(Vectors.framesPerSecond, Int(Double(inputs) / seconds(elapsed)))
    }

    // 5. A frame of thousands of vendor codes (max_frame_bytes raised), each with its flag in a
    //    group of its own: decode, ingest and group into readings. The cost must grow with the
    //    codes, not their square (issue 11: 30,000 codes took 1.4 s and stalled other units):
    //    compare the two sizes' wall clock, about 10x apart when linear, 100x when quadratic.
    for codes in [2_000, 20_000] {
        Benchmark(
            "HJ212 frame of \(codes) vendor codes: decode, ingest, readings",
            configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(10), maxIterations: 30)
        ) { benchmark in
            let items = (0..<codes).map { "x\($0)-Rtd=1;x\($0)-Flag=D" }.joined(separator: ";")
            let segment = "QN=20261206080000000;ST=22;CN=2011;PW=1;MN=M;Flag=5;CP=&&DataTime=20261206075900;\(items);a34004-Rtd=35&&"
            // Framed by hand: the encoder refuses segments over the standard's 9,999 bytes, and a
            // daemon with `max_frame_bytes` raised reads them by their delimiters.
            let bytes = Array(segment.utf8)
            let frame = Array("##\(String(format: "%04d", bytes.count % 10_000))".utf8) + bytes
                + Array((HJ212CRC.hex(HJ212CRC.checksum(bytes)) + "\r\n").utf8)
            let station = Station(
                id: "air", name: "air", kind: .ambientAir, timeZone: TimeZone(identifier: "Asia/Shanghai")!, expectedInterval: 3_600,
                parameters: [
                    StationParameter(parameter: ParameterCatalogue.standard.named("PM2.5")!, reportedUnit: .microgramPerCubicMetre,
                        unit: .microgramPerCubicMetre, range: 0...1_000)
                ])
            let ingest = HJ212Ingest(station: station)
            benchmark.startMeasurement()
            let decoded = HJ212Decoder.standard.decode(frame)
            blackHole(ingest.samples(from: decoded, now: 1_796_515_200))
            blackHole(decoded.readings.count)
        }
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The packets of the shared vectors file.
private enum Vectors {
    static let framesPerSecond = BenchmarkMetric.custom("frames/s", polarity: .prefersLarger, useScalingFactor: false)

    /// ../shared/data/hj212-vectors.tsv, found from this file's place in the checkout.
    static let path: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }  // the checkout: …/Benchmarks/Benchmarks/HJ212Benchmarks/x.swift
        return url.deletingLastPathComponent().path + "/shared/data/hj212-vectors.tsv"
    }()

    static let frames: [[UInt8]] = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            fatalError("cannot read \(path): the benchmarks need ../shared/data beside the checkout")
        }
        let packets = text.split(separator: "\n").dropFirst().compactMap { line -> [UInt8]? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 5 else { return nil }
            let packet = fields[4].replacingOccurrences(of: "\\r", with: "\r").replacingOccurrences(of: "\\n", with: "\n")
            return Array(packet.utf8)
        }
        precondition(packets.count >= 15, "only \(packets.count) packets in \(path)")
        return packets
    }()

    /// Every packet once, each ending in CR LF, as one byte stream.
    static let stream: [UInt8] = frames.flatMap { frame -> [UInt8] in
        frame.last == 0x0A ? frame : frame + [0x0D, 0x0A]
    }

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        let edits = 1 + Int(rng.next() % 8)
        for _ in 0..<edits where !bytes.isEmpty {
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 6 {
            case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 2: bytes.remove(at: at)
            case 3: bytes.removeSubrange(at...)
            case 4: bytes.insert(contentsOf: Array("&&##;=,-".utf8).shuffled(using: &rng), at: at)
            default: bytes[at] = Array("0123456789&;=,-#".utf8)[Int(rng.next() % 16)]
            }
        }
    }
}

/// A small, fast, seedable generator, so a failing fuzz iteration can be replayed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
