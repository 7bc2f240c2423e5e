import ArgumentParser
import Foundation

/// `envmon hj212`: decode, encode and checksum HJ 212 packets without a server.
struct HJ212Command: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hj212",
        abstract: "Decode, encode and checksum HJ 212 (HJ 212-2017 / HJ/T 212-2005) packets.",
        subcommands: [Decode.self, Encode.self, CRC.self]
    )
}

/// Where the `hj212` subcommands read their lines from.
struct HJ212Input: ParsableArguments {
    @Argument(help: "Files to read, one item a line; standard input when none.")
    var files: [String] = []

    /// The input's lines, each with whether a LF ended it, and its 1-based line number and source name.
    func lines() throws -> [(source: String, number: Int, bytes: ArraySlice<UInt8>, hadLF: Bool)] {
        var result: [(String, Int, ArraySlice<UInt8>, Bool)] = []
        let sources: [(String, Data)]
        if files.isEmpty {
            sources = [("stdin", FileHandle.standardInput.readDataToEndOfFile())]
        } else {
            sources = try files.map { path in
                guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read \(path)") }
                return (path, data)
            }
        }
        for (name, data) in sources {
            let bytes = [UInt8](data)
            var start = 0
            var number = 1
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
                result.append((name, number, bytes[start..<end], end < bytes.count))
                start = end + 1
                number += 1
            }
        }
        return result
    }
}

/// Buffers standard output and writes it in large pieces.
struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func append(bytes more: [UInt8]) {
        bytes.append(contentsOf: more)
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}

/// Turns the two-character escapes `\r`, `\n` and `\\` of the vectors file into their bytes.
func unescapeHJ212Line(_ line: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(line.count)
    var i = line.startIndex
    while i < line.endIndex {
        let c = line[i]
        if c == UInt8(ascii: "\\") && i + 1 < line.endIndex {
            switch line[i + 1] {
            case UInt8(ascii: "r"):
                out.append(0x0D)
                i += 2
                continue
            case UInt8(ascii: "n"):
                out.append(0x0A)
                i += 2
                continue
            case UInt8(ascii: "\\"):
                out.append(c)
                i += 2
                continue
            default:
                break
            }
        }
        out.append(c)
        i += 1
    }
    return out
}
