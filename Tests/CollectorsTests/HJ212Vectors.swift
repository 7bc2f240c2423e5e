import Foundation

/// The real packets of `shared/data/hj212-vectors.tsv` beside the checkout, read at test time.
struct HJ212Vector {
    /// The 1-based data row.
    let row: Int
    let source: String
    let crcValid: Bool
    let note: String
    /// The packet with the `\r` and `\n` escapes turned into CR and LF.
    let packet: [UInt8]

    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `../shared/data/hj212-vectors.tsv`.
    static let path = root.deletingLastPathComponent().appendingPathComponent("shared/data/hj212-vectors.tsv").path

    static let all: [HJ212Vector] = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst()
        return lines.enumerated().map { i, line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let packet = f[4].replacingOccurrences(of: "\\r", with: "\r").replacingOccurrences(of: "\\n", with: "\n")
            return HJ212Vector(row: i + 1, source: f[0], crcValid: f[2] == "true", note: f[3], packet: Array(packet.utf8))
        }
    }()

    static func row(_ n: Int) -> HJ212Vector { all[n - 1] }

    /// The packet as text.
    var text: String { String(decoding: packet, as: UTF8.self) }

    /// The packet without a trailing CR or LF.
    var trimmed: [UInt8] {
        var p = packet
        while let last = p.last, last == 0x0D || last == 0x0A { p.removeLast() }
        return p
    }
}

/// A seeded generator (SplitMix64), so random tests are reproducible.
struct SeededRandom: RandomNumberGenerator {
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
