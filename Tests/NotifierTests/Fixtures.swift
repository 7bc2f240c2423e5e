import EnvmonTesting
import Foundation
import Notifier
import Store

/// Sample notifications and messages: a COD exceedance at 清河污水处理厂出口, a no-data alert,
/// and their resolution.
enum Fixtures {
    /// 2024-05-01T08:00:00Z, 16:00 in Shanghai.
    static let t0: Int64 = 1_714_550_400

    static func cod(status: AlertNotification.Status = .firing, state: String? = nil, station: String = "WX0012") -> AlertNotification {
        var annotations = [
            "description": "COD 120 mg/L above 90 for 1h", "summary": "COD above discharge limit", "value": "120", "peak": "131.5",
            "unit": "mg/L", "limit": "90", "source": "GB 18918-2002 一级A", "state": state ?? (status == .firing ? "firing" : "resolved"),
        ]
        if status == .resolved { annotations["value"] = "42" }
        return AlertNotification(
            idempotencyKey: "cod-limit/\(station)/w01018/3", status: status, severity: .critical,
            labels: [
                "alertname": "CODExceeded", "station": station, "station_name": "清河污水处理厂出口", "station_kind": "wastewater",
                "parameter": "COD", "severity": "critical", "basin": "haihe",
            ],
            annotations: annotations, startsAt: t0, endsAt: status == .resolved ? t0 + 7_200 : nil)
    }

    static func noData() -> AlertNotification {
        AlertNotification(
            idempotencyKey: "no-data/WX0013/*/1", status: .firing, severity: .warning,
            labels: ["alertname": "NoData", "station": "WX0013", "station_name": "沙河闸", "severity": "warning"],
            annotations: ["description": "no reading for 2h", "state": "no-data"], startsAt: t0)
    }

    static func message(
        _ notifications: [AlertNotification], status: AlertNotification.Status = .firing, externalURL: String? = "https://envmon.example/"
    ) -> NotificationMessage {
        NotificationMessage(
            receiver: "env-bureau", groupKey: "0:{alertname=\"CODExceeded\"}", groupLabels: ["alertname": "CODExceeded"], status: status,
            alerts: notifications.enumerated().map { MessageAlert(outboxID: Int64($0.offset + 1), notification: $0.element) },
            externalURL: externalURL, idempotencyKey: "msg-\(notifications.map(\.idempotencyKey).joined(separator: ","))")
    }

    static func json(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    /// `value` as JSON with sorted keys: decoded bodies and expected structures compare equal
    /// when they hold the same data.
    static func canonical(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static let templates: MessageTemplates = try! MessageTemplates()
}

/// A fake HTTP client: records requests, answers with `response`.
final class RecordingHTTPClient: HTTPClient, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    let response: Result<HTTPResponse, NotifierError>

    init(_ response: Result<HTTPResponse, NotifierError> = .success(HTTPResponse(status: 200))) { self.response = response }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func post(_ request: HTTPRequest) async throws(NotifierError) -> HTTPResponse {
        lock.withLock { recorded.append(request) }
        return try response.get()
    }
}

/// python3 snippets: independent checks (hmac, email parsing) and small servers.
enum Python {
    /// Runs `code` with `arguments` as sys.argv[1...], `input` on stdin; returns stdout, trimmed.
    static func run(_ code: String, _ arguments: [String] = [], input: [UInt8] = []) throws -> String {
        let p = SpawnedProcess()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code] + arguments
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardInput = inp
        try p.run()
        try inp.fileHandleForWriting.write(contentsOf: Data(input))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `import module` works.
    static func canImport(_ module: String) -> Bool {
        (try? run("import \(module); print('yes')")) == "yes"
    }

    /// A python3 process serving on a loopback port it printed on its first line.
    final class Server: @unchecked Sendable {
        let process = SpawnedProcess()
        let port: Int
        let folder: String

        init(_ code: String, _ arguments: [String] = []) throws {
            folder = NSTemporaryDirectory() + "envmon-notifier-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-c", code, folder] + arguments
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            var line = Data()
            while !line.contains(0x0a) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                process.terminate()
                throw NotifierError(.network, "python server did not start: \(String(decoding: line, as: UTF8.self))")
            }
            self.port = port
        }

        deinit { stop() }

        /// Kills the server (SIGKILL: nothing of it needs to be saved) and waits up to a second
        /// for it to go.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            for _ in 0..<100 where process.isRunning { usleep(10_000) }
        }

        /// The lines the server appended to `name` in its folder.
        func lines(_ name: String) -> [[String: Any]] {
            let text = (try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").map { Fixtures.json(Array($0.utf8)) }
        }
    }
}
