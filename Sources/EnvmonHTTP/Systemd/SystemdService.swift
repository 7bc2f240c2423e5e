public import Logging
public import ServiceLifecycle

/// The daemon's side of systemd's `Type=notify` protocol, as a `Service`: `READY=1` once the
/// daemon is ready, the watchdog's pings while it is healthy, `STOPPING=1` when it stops.
///
/// ```swift
/// let systemd = SystemdService(notifier: SystemdNotifier(), checks: checks, logger: logger) {
///     _ = try await server.boundPort()          // store open, migrations done, listeners bound
///     return "ready: 12 stations"
/// }
/// ```
///
/// - `ready` runs first: it waits until the daemon is ready and returns the status text sent
///   with `READY=1`. When it throws, nothing is sent (the service that failed stops the group).
/// - With `$WATCHDOG_USEC` set, the checks run every half of it and `WATCHDOG=1` is sent only
///   while they all pass: a daemon whose store is lost or whose listener died is restarted by
///   systemd instead of being kept alive by a timer. A change of health is logged and shown in
///   `STATUS=`.
/// - On graceful shutdown (or cancellation) it sends `STOPPING=1` at once. Put it last in the
///   `ServiceGroup`: services stop in reverse order, so it hears of the shutdown first.
///
/// With the notifier disabled (no `$NOTIFY_SOCKET`) it still runs `ready`, then waits for the
/// shutdown.
public struct SystemdService: Service {
    /// Where the messages go.
    public let notifier: SystemdNotifier
    /// What must pass for the watchdog to be pinged.
    public let checks: [HealthCheck]
    private let logger: Logger
    private let ready: @Sendable () async throws -> String

    /// Creates the service.
    /// - Parameters:
    ///   - notifier: where the messages go.
    ///   - checks: what must pass for the watchdog to be pinged (the readiness checks).
    ///   - logger: the log.
    ///   - ready: waits until the daemon is ready; returns the status text.
    public init(
        notifier: SystemdNotifier, checks: [HealthCheck], logger: Logger, ready: @escaping @Sendable () async throws -> String
    ) {
        self.notifier = notifier
        self.checks = checks
        self.logger = logger
        self.ready = ready
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            let status: String
            do {
                status = try await ready()
            } catch {
                if !Task.isCancelled { logger.error("systemd: not ready: \(error)") }
                return
            }
            notifier.notify(.ready, .status(status))
            if notifier.isEnabled { logger.debug("systemd: READY=1 (\(status))") }
            if let timeout = notifier.watchdogTimeout, notifier.isEnabled {
                await watchdog(every: timeout / 2, readyStatus: status)
            } else {
                try? await Task.sleep(for: .seconds(Int64.max / 4))
            }
        }
        notifier.notify(.stopping, .status("stopping"))
    }

    /// Pings the watchdog every `interval` while the checks pass, until cancelled.
    private func watchdog(every interval: Duration, readyStatus: String) async {
        logger.info("systemd: watchdog pinged every \(interval) while healthy")
        var healthy = true
        while !Task.isCancelled {
            let report = await HealthReport.run(checks)
            if Task.isCancelled { return }
            if report.isHealthy {
                notifier.notify(.watchdog)
                if !healthy {
                    logger.notice("systemd: healthy again, watchdog pinged again")
                    notifier.notify(.status(readyStatus))
                }
            } else if healthy {
                logger.warning("systemd: unhealthy, the watchdog is not pinged: \(report.summary)")
                notifier.notify(.status("unhealthy: " + report.summary))
            }
            healthy = report.isHealthy
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
