import Collectors
import EnvmonHTTP
import Foundation
import Logging
import Monitoring
import Notifier
import Rules
import Store

/// The HTTP listener, the readiness checks and the systemd notifications of `envmon serve`.
extension ServeCommand {
    /// What `/readyz` and the systemd watchdog check: the store's own checks (``DaemonStore``)
    /// first. To add one, append it here, e.g. the
    /// notifier's `HealthCheck("notifier") { … dead-lettering ? .failing(why) : .ok }` (not
    /// wired yet: the notifier supplies it).
    static func healthChecks(store: [HealthCheck], hj212: HJ212Server, notifier: NotifierService<ContinuousClock>?) -> [HealthCheck] {
        var checks: [HealthCheck] = store + [.listening("hj212") { hj212.listeningPort }]
        if let notifier {
            // Not ready while notifications are being given up: someone is not being told.
            checks.append(
                HealthCheck("notifier") {
                    let dead = await notifier.recentDeadLetters()
                    return dead.isEmpty
                        ? .ok : .failing("dead-lettered in the last 10 min: " + dead.map { "\($0.target) (\($0.reason))" }.joined(separator: "; "))
                })
        }
        return checks
    }

    /// Ingest over HTTP (`/write`, `/ping`, `/api/v1/readings`): checked against the stations of
    /// the moment with HJ 212's time window, committed through the daemon's one writer (each
    /// request's batch committed as soon as the writer is free: a client waits for its answer,
    /// so nothing more comes on its connection meanwhile), its clock faults told to the rules.
    static func ingestRoutes(
        _ settings: ServeSettings, book: StationBook, writer: BatchingWriter<ContinuousClock>, rules: any RuleSink
    ) -> IngestRoutes {
        let readings = ReadingWriter(
            stations: book, maxPast: settings.hj212.maxPast, maxFuture: settings.hj212.maxFuture,
            submit: { try await writer.submitOutcomes($0, commitAtOnce: true) }, now: WallClock.seconds,
            clockFaults: { rules.clockFault($0) }, metrics: ReadingMetrics(source: "http"))
        return IngestRoutes(readings: readings, zone: { book.registry[$0]?.timeZone }, now: WallClock.seconds)
    }

    /// The API's routes, each provider an area of it (README, The API).
    static func apiRoutes(notifier: NotifierService<ContinuousClock>?, data: APIData) -> [any HTTPRouteProvider] {
        var routes: [any HTTPRouteProvider] = APIData.routes(data)
        if let notifier { routes.append(NotifierRoutes(handling: notifier, timeZone: data.timeZone)) }
        return routes
    }

    /// What the API reads: the daemon's store, the stations in use (a SIGHUP replaces them), the
    /// rules it started with (for how much of an episode was above its limit), the reports' defaults.
    static func apiData(store: any MonitoringStore, book: StationBook, rules: [Rule], settings: ServeSettings) -> APIData {
        APIData(
            store: store, stations: { book.registry }, now: WallClock.seconds, rules: { rules }, language: settings.reportLanguage,
            targetsPath: settings.targetsPath, timeZone: settings.bureauZone)
    }

    /// How often the notifier of a daemon sharing its PostgreSQL outbox with others looks at it
    /// unwoken: what another daemon routed, or claimed and left (it died), is sent within this
    /// (after the claim's lease).
    static let sharedOutboxPoll: Duration = .seconds(5)

    /// The notifier of the `notify` section, or nil without one (notifications then wait in the outbox).
    /// `shared`: the outbox is shared with other daemons (PostgreSQL), so it is polled.
    static func makeNotifier(
        _ configuration: NotifyConfiguration?, store: any MonitoringStore, stations: StationRegistry, logger: Logger,
        shared: Bool = false
    ) throws -> NotifierService<ContinuousClock>? {
        guard let configuration else {
            logger.warning("no notify section in the config: notifications wait in the outbox (see README, Notifications)")
            return nil
        }
        let targets: [DeliveryTarget]
        do {
            targets = try DeliveryTarget.make(for: configuration, zone: { stations[$0]?.timeZone })
        } catch {
            throw CLIError("notify: \(error)")
        }
        logger.info("notify: \(configuration.receivers.count) receivers, \(targets.count) targets")
        return NotifierService(
            configuration: configuration, targets: targets, outbox: store, control: store, journal: store, clock: ContinuousClock(),
            nowMillis: WallClock.milliseconds, logger: logger, claimant: "envmon-\(getpid())",
            // Daemons sharing a PostgreSQL outbox learn of each other's deliveries from it.
            outboxPoll: shared ? Self.sharedOutboxPoll : nil)
    }

    /// Sends `READY=1` (with a status) once the store is open and both listeners are bound, and
    /// prints the lines `envmon serve: hj212 listening on HOST:PORT` and `envmon serve: http
    /// listening on HOST:PORT` (tests and scripts read the ports from them when they ask for 0).
    static func systemdService(
        notifier: SystemdNotifier, checks: [HealthCheck], settings: ServeSettings, stations: Int, hj212: HJ212Server, http: HTTPListener,
        logger: Logger, listening: @escaping @Sendable (Int, Int) -> Void
    ) -> SystemdService {
        SystemdService(notifier: notifier, checks: checks, logger: logger) {
            let hj212Port = try await hj212.boundPort()
            let httpPort = try await http.boundPort()
            listening(hj212Port, httpPort)
            let hj212At = "\(settings.hj212.host):\(hj212Port)"
            let httpAt = "\(settings.http.host):\(httpPort)"
            FileHandle.standardOutput.write(Data("envmon serve: hj212 listening on \(hj212At)\nenvmon serve: http listening on \(httpAt)\n".utf8))
            return "ready: \(stations) stations, HJ 212 on \(hj212At), HTTP on \(httpAt)"
        }
    }
}
