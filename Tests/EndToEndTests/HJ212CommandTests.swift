import Foundation
import Testing

/// `envmon hj212 decode|encode|crc` on the real packets of `shared/data/hj212-vectors.tsv`.
@Suite struct HJ212CommandTests {
    let dir = NSTemporaryDirectory() + "envmon-hj212-\(UUID().uuidString)"

    /// The vectors' rows: CRC verdict, note and packet (with its `\r` `\n` escapes as written).
    let rows: [(crcValid: Bool, note: String, packet: String)] = {
        let text = (try? String(contentsOfFile: Envmon.sharedData + "/hj212-vectors.tsv", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return (f[2] == "true", f[3], f[4])
        }
    }()

    init() { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    func objects(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func decodeEscapedVectorsGivesEachRowsCRCVerdict() async throws {
        try #require(rows.count == 18)
        let packets = dir + "/packets.txt"
        try rows.map(\.packet).joined(separator: "\n").write(toFile: packets, atomically: false, encoding: .utf8)
        let r = try await Envmon.run(["hj212", "decode", "--escaped", packets])
        #expect(r.status == 0, "\(r.stderr)")
        let decoded = try objects(r.stdout)
        try #require(decoded.count == rows.count)
        for (i, (row, d)) in zip(rows, decoded).enumerated() {
            #expect(d["crc_ok"] as? Bool == row.crcValid, "row \(i + 1)")
            let variant = row.crcValid ? "hj212" : row.note.contains("byte-swapped") ? "modbus-swapped" : "unknown"
            #expect(d["crc_variant"] as? String == variant, "row \(i + 1)")
            #expect((d["errors"] as? [String])?.isEmpty == (row.crcValid && d["length_ok"] as? Bool == true), "row \(i + 1)")
        }
        // Spot checks of the other keys.
        #expect(decoded[0]["cn"] as? String == "1062" && decoded[0]["ack_required"] as? Bool == true && decoded[0]["version"] as? String == "2017")
        #expect(decoded[2]["data_time"] as? String == "2016-08-24T00:38:17.000" && decoded[2]["qn"] is NSNull)
        let value = try #require((decoded[9]["values"] as? [[String: Any]])?.first { $0["parameter"] as? String == "O3" })
        #expect(value["code"] as? String == "a05024" && value["field"] as? String == "Avg" && value["value"] as? Int == 63 && value["flag"] as? String == "N")
        #expect(decoded[17]["length_ok"] as? Bool == false && decoded[15]["mn"] as? String == "4201003")
    }

    @Test func encodeRebuildsValidFramesFromDecodedJSON() async throws {
        let packets = dir + "/packets.txt"
        try rows.map(\.packet).joined(separator: "\n").write(toFile: packets, atomically: false, encoding: .utf8)
        let decoded = try await Envmon.run(["hj212", "decode", "--escaped", packets])
        let json = dir + "/decoded.jsonl"
        try decoded.stdout.write(toFile: json, atomically: false, encoding: .utf8)
        let encoded = try await Envmon.run(["hj212", "encode", "--escaped", json])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let frames = dir + "/frames.txt"
        try encoded.stdout.write(toFile: frames, atomically: false, encoding: .utf8)
        let redecoded = try await Envmon.run(["hj212", "decode", "--escaped", frames])
        let again = try objects(redecoded.stdout)
        #expect(again.count == rows.count && again.allSatisfy { $0["crc_ok"] as? Bool == true && ($0["errors"] as? [String])?.isEmpty == true })
        // The official example comes back byte for byte.
        #expect(encoded.stdout.split(separator: "\n").first.map(String.init) == rows[0].packet)

        try "{\"st\":\"22\",\"cn\":\"20x1\"}\n".write(toFile: dir + "/bad.jsonl", atomically: false, encoding: .utf8)
        let bad = try await Envmon.run(["hj212", "encode", dir + "/bad.jsonl"])
        #expect(bad.status != 0 && bad.stderr.contains("bad.jsonl:1: CN '20x1'"))
    }

    @Test func crcOfASegment() async throws {
        let segment = "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&"
        let hj212 = try await Envmon.run(["hj212", "crc", segment])
        #expect(hj212.stdout == "1C80\n")
        let modbus = try await Envmon.run(["hj212", "crc", "--variant", "modbus", segment])
        #expect(modbus.stdout == "0759\n")
        let swapped = try await Envmon.run(["hj212", "crc", "--variant", "modbus-swapped", segment])
        #expect(swapped.stdout == "5907\n")
    }
}
