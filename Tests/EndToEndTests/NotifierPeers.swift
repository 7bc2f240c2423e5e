import EnvmonTesting
import Foundation

/// A python3 peer from Tests/scripts (a webhook receiver, an SMTP sink) run for one test: it
/// prints its port as its first line and appends what it receives, one JSON object a line, to
/// a record file. Killed when released.
final class PythonPeer {
    let process = SpawnedProcess()
    let port: Int
    let recordPath: String
    let logPath: String

    /// Starts `python3 Tests/scripts/SCRIPT RECORD ARGUMENTS` and waits (10 s at most) for its port.
    init(script: String, record: String, arguments: [String]) throws {
        recordPath = record
        logPath = record + ".stderr"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", Envmon.root + "/Tests/scripts/" + script, record] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        // The first line, read byte by byte: nothing after it is ours to consume.
        var line = Data()
        let handle = out.fileHandleForReading
        while true {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            process.waitUntilExit()
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            throw DaemonError("\(script) did not start: printed '\(String(decoding: line, as: UTF8.self))'\n\(log)")
        }
        self.port = port
    }

    /// Every record so far, in arrival order (a line still being written is left out).
    func records() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: recordPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Tests/scripts/webhook_receiver.py: records every request and answers by its ``Mode``.
final class WebhookReceiver {
    enum Mode {
        /// 200 to everything.
        case ok
        /// 503 with `Retry-After: 1` for this many seconds after the receiver started, then 200.
        case failFor(seconds: Double)
        /// Always this status.
        case status(Int)
        /// Reads the request and never answers.
        case hang
        /// Hangs every request that arrives while the file at this path does not exist; then 200.
        case hangUntil(path: String)

        var arguments: [String] {
            switch self {
            case .ok: ["ok"]
            case .failFor(let s): ["fail-for", String(s)]
            case .status(let n): ["status", String(n)]
            case .hang: ["hang"]
            case .hangUntil(let path): ["hang-until", path]
            }
        }
    }

    let peer: PythonPeer
    /// When the receiver started (its `fail-for` clock starts a little later, never earlier).
    let started = Date()

    init(_ mode: Mode, in dir: String, name: String = "webhook") throws {
        peer = try PythonPeer(script: "webhook_receiver.py", record: dir + "/\(name).jsonl", arguments: mode.arguments)
    }

    var port: Int { peer.port }

    /// `http://127.0.0.1:PORT/hook`, or another path.
    func url(_ path: String = "/hook") -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Every request so far, in arrival order.
    func requests() -> [WebhookRequest] { peer.records().map(WebhookRequest.init) }

    func stop() { peer.stop() }
}

/// One request a ``WebhookReceiver`` recorded.
struct WebhookRequest {
    let method: String
    let path: String
    /// Header names in lower case.
    let headers: [String: String]
    /// The JSON body, if it was a JSON object.
    let body: [String: Any]
    /// When it arrived (Unix seconds).
    let time: Double
    /// What it was answered: a status, or nil for `hang`.
    let answer: Int?

    init(_ record: [String: Any]) {
        method = record["method"] as? String ?? ""
        path = record["path"] as? String ?? ""
        headers = record["headers"] as? [String: String] ?? [:]
        body = record["body"] as? [String: Any] ?? [:]
        time = record["time"] as? Double ?? 0
        answer = record["answer"] as? Int
    }

    var idempotencyKey: String? { headers["idempotency-key"] }
    /// The message's top-level `status` (`firing` or `resolved`).
    var status: String? { body["status"] as? String }
    /// The alerts of an Alertmanager webhook message (version 4).
    var alerts: [WebhookAlert] { (body["alerts"] as? [[String: Any]] ?? []).map(WebhookAlert.init) }
    var delivered: Bool { answer.map { (200..<300).contains($0) } ?? false }

    /// Whether the message carries an alert of `station` in state `status`.
    func has(station: String, _ status: String) -> Bool {
        alerts.contains { $0.labels["station"] == station && $0.status == status }
    }
}

/// One alert of a webhook message.
struct WebhookAlert {
    let status: String
    let labels: [String: String]
    let annotations: [String: String]
    let startsAt: String
    let endsAt: String
    let fingerprint: String

    init(_ object: [String: Any]) {
        status = object["status"] as? String ?? ""
        labels = object["labels"] as? [String: String] ?? [:]
        annotations = object["annotations"] as? [String: String] ?? [:]
        startsAt = object["startsAt"] as? String ?? ""
        endsAt = object["endsAt"] as? String ?? ""
        fingerprint = object["fingerprint"] as? String ?? ""
    }
}

/// Tests/scripts/smtp_sink.py (aiosmtpd): records every message it accepts.
final class SMTPSink {
    let peer: PythonPeer

    init(in dir: String, name: String = "smtp") throws {
        peer = try PythonPeer(script: "smtp_sink.py", record: dir + "/\(name).jsonl", arguments: [])
    }

    var port: Int { peer.port }
    /// `127.0.0.1:PORT`, an `email_configs` smarthost.
    var smarthost: String { "127.0.0.1:\(port)" }

    func messages() -> [SentMail] { peer.records().map(SentMail.init) }

    func stop() { peer.stop() }
}

/// One message an ``SMTPSink`` accepted: its envelope and the decoded headers and parts.
struct SentMail {
    let mailFrom: String
    let rcptTos: [String]
    /// RFC 2047 words decoded.
    let subject: String
    let from: String
    let to: String
    let date: String
    let text: String?
    let html: String?
    let raw: String

    init(_ r: [String: Any]) {
        mailFrom = r["mail_from"] as? String ?? ""
        rcptTos = r["rcpt_tos"] as? [String] ?? []
        subject = r["subject"] as? String ?? ""
        from = r["from"] as? String ?? ""
        to = r["to"] as? String ?? ""
        date = r["date"] as? String ?? ""
        text = r["text"] as? String
        html = r["html"] as? String
        raw = r["raw"] as? String ?? ""
    }

    /// The text part, else the HTML part, else the raw message.
    var body: String { text ?? html ?? raw }
}

/// Polls `condition` every `poll` until it holds or `seconds` have passed; returns whether it held.
@discardableResult
func eventually(within seconds: Double, poll: Duration = .milliseconds(100), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try await condition() { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(for: poll)
    }
}

