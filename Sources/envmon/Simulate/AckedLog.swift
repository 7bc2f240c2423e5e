import Collectors
import Foundation
import Monitoring
import Reports

/// The `--acked-log` file: one JSON line per acknowledged frame, appended, so a test can check that
/// every acknowledged reading is stored exactly once.
///
/// ```json
/// {"station":"qinghe-wwtp-outlet","mn":"3714…","qn":"20250101080000123","cn":"2011","data_time":"20250101080000",
///  "utc":1735689600,"values":{"COD":21.37,"pH":7.41},"flags":{"COD":"N","pH":"N"}}
/// ```
///
/// Values are in the stored unit, exactly as the collector computes them from the text sent.
/// Lines are buffered and written in blocks of about 64 KiB, and at ``close()``.
final class AckedLog: Sendable {
    private let state: Locked<(handle: FileHandle?, buffer: [UInt8])>

    /// Opens (creating) a file for appending.
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIError("cannot create the acked log '\(path)'")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot open the acked log '\(path)'") }
        handle.seekToEndOfFile()
        state = Locked((handle, []))
    }

    /// Appends the line of an acknowledged frame.
    func append(_ frame: SimulatedFrame) {
        let line = AckedLog.line(frame)
        state.withLock { s in
            s.buffer.append(contentsOf: line.utf8)
            s.buffer.append(0x0A)
            if s.buffer.count >= 65_536 {
                s.handle?.write(Data(s.buffer))
                s.buffer.removeAll(keepingCapacity: true)
            }
        }
    }

    /// Writes what is buffered and closes the file.
    func close() {
        state.withLock { s in
            if !s.buffer.isEmpty { s.handle?.write(Data(s.buffer)) }
            s.buffer = []
            try? s.handle?.close()
            s.handle = nil
        }
    }

    /// The JSON line of a frame.
    static func line(_ frame: SimulatedFrame) -> String {
        JSONText.object([
            ("station", .string(frame.station)), ("mn", .string(frame.mn)), ("qn", .string(frame.qn)), ("cn", .string(frame.cn)),
            ("data_time", .string(frame.dataTimeText)), ("utc", .number(String(frame.instant))),
            ("values", .object(frame.readings.map { ($0.parameter, .number("\($0.value)")) })),
            ("flags", .object(frame.readings.map { ($0.parameter, .string($0.flag.rawValue)) })),
        ]).rendered
    }
}
