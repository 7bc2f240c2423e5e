import ArgumentParser
import Collectors
import Monitoring
import Reports

extension HJ212Command {
    /// `envmon hj212 encode`: one frame per JSON object.
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encode",
            abstract: "Encode JSON objects, one a line, into HJ 212 frames.",
            discussion: """
                Reads the objects `hj212 decode` prints: st and cn are required; qn, pw, mn, flag, pnum, pno, \
                data_time (YYYY-MM-DDTHH:MM:SS, optionally .mmm), entries ([{"name","value"}]) and values \
                ([{"code","field","value","flag"}]) are optional; other keys are ignored. Number literals are \
                sent exactly as written. Each frame is printed with its CR LF, or with --escaped as the \
                two-character escapes \\r\\n followed by a line break. Exits non-zero if any line fails.
                """)

        @OptionGroup var input: HJ212Input

        @Flag(name: .long, help: "Print CR LF as the escapes \\r\\n, then a line break.")
        var escaped = false

        func run() throws {
            var out = OutputBuffer()
            var failures = 0
            for line in try input.lines() {
                let text = String(decoding: line.bytes, as: UTF8.self)
                guard text.contains(where: { !$0.isWhitespace }) else { continue }
                do {
                    let frame = try HJ212JSON.frame(from: JSONText.parse(text))
                    if escaped {
                        out.append(String(decoding: frame.dropLast(2), as: UTF8.self) + "\\r\\n\n")
                    } else {
                        out.append(bytes: frame)
                    }
                } catch {
                    failures += 1
                    out.flush()
                    printError("\(line.source):\(line.number): \(error)")
                }
            }
            out.flush()
            if failures > 0 { throw ExitCode(1) }
        }
    }
}
