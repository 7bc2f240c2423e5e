import Collectors
import EnvmonHTTP
import Foundation
import Logging
import Store

/// The HTTP listener, the readiness checks and the systemd notifications of `envmon serve`.
extension ServeCommand {
    /// What `/readyz` and the systemd watchdog check. To add one, append it here, e.g. the
    /// notifier's `HealthCheck("notifier") { … dead-lettering ? .failing(why) : .ok }` (not
    /// wired yet: the notifier supplies it).
    static func healthChecks(store: SQLiteStore, hj212: HJ212Server) -> [HealthCheck] {
        [
            .storeFile(store),
            .listening("hj212") { hj212.listeningPort },
        ]
    }

    /// Sends `READY=1` (with a status) once the store is open and both listeners are bound, and
    /// prints the lines `envmon serve: hj212 listening on HOST:PORT` and `envmon serve: http
    /// listening on HOST:PORT` (tests and scripts read the ports from them when they ask for 0).
    static func systemdService(
        notifier: SystemdNotifier, checks: [HealthCheck], settings: ServeSettings, stations: Int, hj212: HJ212Server, http: HTTPListener,
        logger: Logger
    ) -> SystemdService {
        SystemdService(notifier: notifier, checks: checks, logger: logger) {
            let hj212Port = try await hj212.boundPort()
            let httpPort = try await http.boundPort()
            let hj212At = "\(settings.hj212.host):\(hj212Port)"
            let httpAt = "\(settings.http.host):\(httpPort)"
            FileHandle.standardOutput.write(Data("envmon serve: hj212 listening on \(hj212At)\nenvmon serve: http listening on \(httpAt)\n".utf8))
            return "ready: \(stations) stations, HJ 212 on \(hj212At), HTTP on \(httpAt)"
        }
    }
}
