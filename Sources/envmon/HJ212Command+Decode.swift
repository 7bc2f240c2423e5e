import Reports
import ArgumentParser
import Collectors
import Monitoring

extension HJ212Command {
    /// `envmon hj212 decode`: one JSON object per packet.
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "decode",
            abstract: "Decode HJ 212 packets, one a line, into one JSON object a line.",
            discussion: """
                Each line is a packet: `##`, length, data segment, CRC, with the line break as its terminator. \
                With --escaped, the two-character escapes \\r and \\n stand for CR and LF, as in \
                shared/data/hj212-vectors.tsv. Blank lines are skipped. Keys: crc_ok, crc_sent, crc_expected, \
                crc_variant (hj212, modbus, modbus-swapped, unknown), length_ok, version, st, cn, qn, pw, mn, flag, \
                pnum, pno, ack_required, data_time (the sender's local time, as sent), entries, values (code, \
                parameter, field, value, flag), deviations and errors.
                """)

        @OptionGroup var input: HJ212Input

        @Flag(name: .long, help: "Read \\r and \\n escapes as CR and LF; the line break is then not part of the packet.")
        var escaped = false

        func run() throws {
            var out = OutputBuffer()
            let decoder = HJ212Decoder.standard
            for line in try input.lines() {
                let packet: [UInt8]
                if escaped {
                    packet = unescapeHJ212Line(line.bytes)
                } else {
                    packet = Array(line.bytes) + (line.hadLF ? [0x0A] : [])
                }
                guard packet.contains(where: { $0 > 0x20 }) else { continue }
                out.append(HJ212JSON.object(for: decoder.decode(packet)).rendered)
                out.append("\n")
            }
            out.flush()
        }
    }
}
