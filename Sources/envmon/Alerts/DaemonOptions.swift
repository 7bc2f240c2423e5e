import ArgumentParser
import EnvmonHTTP
import Foundation
import Monitoring
import Store

/// How a command that changes alert handling reaches the store: through the running daemon's
/// HTTP listener when a daemon holds the store, else directly.
struct DaemonOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's config file, for its HTTP address (default: envmon.yaml if it exists).")
    var config: String?

    @Option(name: .long, help: "The daemon's HTTP address, such as http://127.0.0.1:9090 (overrides --config).")
    var http: String?

    /// The daemon's base address when one holds the store at `db`; nil when none runs.
    func daemonAddress(db: String) throws -> String? {
        guard StoreDaemonLock.isHeld(storePath: db) else { return nil }
        if let http { return http.hasSuffix("/") ? String(http.dropLast()) : http }
        // What the daemon recorded once it listened: right even on a port picked at start.
        if let recorded = StoreDaemonLock.httpAddress(storePath: db) { return recorded }
        let path = config ?? (FileManager.default.fileExists(atPath: "envmon.yaml") ? "envmon.yaml" : nil)
        var settings = ServeSettings()
        if let path {
            do { settings = try ServeSettings(path: path) } catch { throw CLIError("the config file has errors:\n\(error)") }
        }
        guard settings.http.port != 0 else {
            throw CLIError("a daemon holds \(db), but its HTTP port is chosen at start (port 0): give its address with --http")
        }
        return settings.http.localURL(port: settings.http.port)
    }
}

/// A JSON request to the daemon's HTTP listener (`/api/v1/…`), with its error body turned into a `CLIError`.
enum DaemonClient {
    static func request(_ method: String, _ address: String, _ path: String, body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        let (status, answer): (Int, Data)
        do {
            (status, answer) = try await LoopbackHTTP.request(method: method, url: address + path, body: data)
        } catch {
            throw CLIError("cannot reach the daemon at \(address): \(error)")
        }
        let object = (try? JSONSerialization.jsonObject(with: answer)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else {
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? String(decoding: answer, as: UTF8.self)
            throw CLIError("the daemon refused (HTTP \(status)): \(message)")
        }
        return object
    }
}
