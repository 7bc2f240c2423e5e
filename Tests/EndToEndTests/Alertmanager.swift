import EnvmonTesting
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real Prometheus Alertmanager (Debian's `prometheus-alertmanager`, installed by
/// scripts/install-deps.sh) for one test: a minimal config with a null receiver, its storage in
/// the test's folder, clustering off, on a free loopback port. Killed when released.
final class Alertmanager {
    /// The binary; `ENVMON_ALERTMANAGER` overrides.
    static var binary: String {
        ProcessInfo.processInfo.environment["ENVMON_ALERTMANAGER"] ?? "/usr/bin/prometheus-alertmanager"
    }

    let process = SpawnedProcess()
    let port: Int
    let logPath: String

    /// Starts it and waits (15 s at most) until `GET /-/ready` answers 200.
    init(in dir: String) async throws {
        let config = dir + "/alertmanager.yml"
        _ = FileManager.default.createFile(
            atPath: config, contents: Data("route:\n  receiver: \"null\"\nreceivers:\n  - name: \"null\"\n".utf8))
        logPath = dir + "/alertmanager.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        port = try freeLoopbackPort()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "--config.file", config, "--storage.path", dir + "/alertmanager-data",
            "--web.listen-address", "127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle(forWritingAtPath: logPath)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline && process.isRunning {
            if (try? await get("/-/ready").status) == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        stop()
        throw DaemonError("alertmanager did not become ready on port \(port):\n\(log)")
    }

    /// `http://127.0.0.1:PORT`, an `alertmanager_configs` url.
    var url: String { "http://127.0.0.1:\(port)" }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// `GET /api/v2/alerts`: what it holds now (active, silenced, inhibited; not resolved ones).
    func alerts() async throws -> [AlertmanagerAlert] {
        let (status, data) = try await get("/api/v2/alerts")
        guard status == 200, let list = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw DaemonError("GET /api/v2/alerts: \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return list.map(AlertmanagerAlert.init)
    }

    /// `POST /api/v2/alerts` with one alert; returns the status.
    func post(labels: [String: String], annotations: [String: String] = [:], endsAt: Date? = nil) async throws -> Int {
        var alert: [String: Any] = ["labels": labels, "annotations": annotations]
        if let endsAt { alert["endsAt"] = ISO8601DateFormatter().string(from: endsAt) }
        var request = URLRequest(url: URL(string: url + "/api/v2/alerts")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: [alert])
        let (_, response) = try await Self.session.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    func get(_ path: String) async throws -> (status: Int, data: Data) {
        let (data, response) = try await Self.session.data(from: URL(string: url + path)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }

    private static let session: URLSession = {
        let c = URLSessionConfiguration.ephemeral
        c.timeoutIntervalForRequest = 5
        return URLSession(configuration: c)
    }()
}

/// One alert of Alertmanager's `GET /api/v2/alerts` (a gettableAlert).
struct AlertmanagerAlert {
    let labels: [String: String]
    let annotations: [String: String]
    let startsAt: String
    let endsAt: String
    /// `status.state`: `active`, `suppressed` or `unprocessed`.
    let state: String
    let fingerprint: String

    init(_ o: [String: Any]) {
        labels = o["labels"] as? [String: String] ?? [:]
        annotations = o["annotations"] as? [String: String] ?? [:]
        startsAt = o["startsAt"] as? String ?? ""
        endsAt = o["endsAt"] as? String ?? ""
        state = (o["status"] as? [String: Any])?["state"] as? String ?? ""
        fingerprint = o["fingerprint"] as? String ?? ""
    }
}
