import ArgumentParser
import EnvmonHTTP
import Foundation
import Monitoring
import Store

/// How a command that changes alert handling reaches the store: through the running daemon's
/// HTTP listener when a daemon holds the store, else directly.
struct DaemonOptions: ParsableArguments {
    @Option(name: .long, help: "The daemon's config file, for its HTTP address and the bureau's zone (default: $ENVMON_CONFIG, else envmon.yaml if it exists).")
    var config: String?

    @Option(name: .long, help: "The daemon's HTTP address, such as http://127.0.0.1:9090 (overrides --config).")
    var http: String?

    /// A PostgreSQL store, changed in the database itself (`postgres.withStore`), never through a daemon.
    @OptionGroup var postgres: StoreURLOptions

    /// The daemon holding the store at `db`, with the token to reach its API; nil when none runs.
    /// The token is `ENVMON_TOKEN` when set, else the daemon's local token beside the store.
    func daemon(db: String) throws -> DaemonEndpoint? {
        // A PostgreSQL store is changed in the database itself, whatever runs beside the file.
        guard postgres.url == nil else { return nil }
        guard let address = try daemonAddress(db: db) else { return nil }
        let token = ProcessInfo.processInfo.environment["ENVMON_TOKEN"].flatMap { $0.isEmpty ? nil : $0 } ?? LocalToken.read(storePath: db)
        return DaemonEndpoint(address: address, token: token)
    }

    /// The bureau's zone, in which times without an offset are read and times are shown: the
    /// config's `reports.time_zone`, Beijing time without a config or without the setting (as
    /// the daemon's API does).
    func bureauCalendar() throws -> ZoneCalendar { ZoneCalendar(try BureauZone.read(config: config)) }

    /// The daemon's base address when one holds the store at `db`; nil when none runs.
    func daemonAddress(db: String) throws -> String? {
        guard StoreDaemonLock.isHeld(storePath: db) else { return nil }
        if let http { return http.hasSuffix("/") ? String(http.dropLast()) : http }
        // What the daemon recorded once it listened: right even on a port picked at start.
        if let recorded = StoreDaemonLock.httpAddress(storePath: db) { return recorded }
        var settings = ServeSettings()
        if let path = BureauZone.configPath(config) {
            do { settings = try ServeSettings(path: path) } catch { throw CLIError("the config file has errors:\n\(error)") }
        }
        guard settings.http.port != 0 else {
            throw CLIError("a daemon holds \(db), but its HTTP port is chosen at start (port 0): give its address with --http")
        }
        return settings.http.localURL(port: settings.http.port)
    }
}

/// A running daemon's API: its address and the token to use.
struct DaemonEndpoint {
    var address: String
    /// `nil`: none could be read (another user's daemon); requests then answer 401.
    var token: String?
}

/// A JSON request to the daemon's HTTP listener (`/api/v1/…`), with its error body turned into a `CLIError`.
enum DaemonClient {
    static func request(_ method: String, _ daemon: DaemonEndpoint, _ path: String, body: [String: Any]? = nil) async throws -> [String: Any] {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
        let (status, answer): (Int, Data)
        let address = daemon.address
        do {
            (status, answer) = try await LoopbackHTTP.request(method: method, url: address + path, body: data, token: daemon.token)
        } catch {
            throw CLIError("cannot reach the daemon at \(address): \(error)")
        }
        if status == 401 {
            throw CLIError(
                "the daemon at \(address) refused the request (HTTP 401): set ENVMON_TOKEN to a token of role operate, "
                    + "or run as the daemon's user, who can read \(daemon.token == nil ? "its local token beside the store" : "the local token")")
        }
        let object = (try? JSONSerialization.jsonObject(with: answer)) as? [String: Any] ?? [:]
        guard (200..<300).contains(status) else {
            let message = (object["error"] as? [String: Any])?["message"] as? String ?? String(decoding: answer, as: UTF8.self)
            throw CLIError("the daemon refused (HTTP \(status)): \(message)")
        }
        return object
    }
}
