import ArgumentParser
import CMallocTuning
import Collectors
import EnvmonConfig
import EnvmonDashboard
import EnvmonHTTP
import Foundation
import Logging
import Monitoring
import Notifier
import PostgresStore
import Reports
import Rules
import ServiceLifecycle
import UnixSignals
import Store

/// `envmon serve`: the daemon. Runs the store's writer and the HJ 212 server until SIGTERM or
/// SIGINT, then stops accepting, lets the frames in flight commit and be answered, flushes the
/// writer, checkpoints the store and exits 0. SIGHUP reloads sensors/. Serves `/healthz`,
/// `/readyz` and `/metrics` over HTTP, and speaks systemd's `Type=notify` protocol when
/// `$NOTIFY_SOCKET` is set.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the daemon: the store's writer and the HJ 212 server.",
        discussion: "Settings come from the config file (see README, \"Configuration\"); the options below override it."
    )

    @Option(name: .long, help: "The config file (YAML). Default: envmon.yaml if it exists, else built-in defaults.")
    var config: String?

    @Option(name: .long, help: "The SQLite store file (overrides store.path).")
    var db: String?

    @Option(name: .long, help: "A folder of station YAML files; repeat for several (overrides sensors).")
    var sensors: [String] = []

    @Option(name: .long, help: "The HJ 212 listening port; 0 picks a free one (overrides hj212.port).")
    var hj212Port: Int?

    @Option(name: .long, help: "The HJ 212 listening address (overrides hj212.host).")
    var hj212Host: String?

    @Option(name: .long, help: "The rules folder (overrides rules.path).")
    var rules: String?

    @Option(name: .long, help: "The HTTP port of /healthz, /readyz and /metrics; 0 picks a free one (overrides http.port).")
    var httpPort: Int?

    func run() async throws {
        var settings = try loadSettings()
        if let db, let postgres = settings.postgres {
            throw CLIError("--db \(db) names an SQLite store, but the config's store.url puts the store on PostgreSQL (\(postgres.redactedURL))")
        }
        if let db { settings.storePath = db }
        if !sensors.isEmpty { settings.sensors = sensors }
        if let hj212Port { settings.hj212.port = hj212Port }
        if let hj212Host { settings.hj212.host = hj212Host }
        if let rules { settings.rulesPath = rules }
        if let httpPort { settings.http.port = httpPort }
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        try await Self.runDaemon(settings, configPath: configPath)
    }

    /// The config file in use: `--config`, else `envmon.yaml` when it exists.
    private var configPath: String? { config ?? (FileManager.default.fileExists(atPath: "envmon.yaml") ? "envmon.yaml" : nil) }

    /// The daemon, until SIGTERM or SIGINT (`serve`, and `demo` once its seeds are in). Logging
    /// must be bootstrapped; metrics are bootstrapped here (once a process).
    /// - Parameters:
    ///   - configPath: the config file SIGHUP re-reads for its `notify` section.
    ///   - extraServices: run beside the daemon's own (the demo's field units), stopped first.
    ///   - listening: told the HJ 212 and HTTP ports once both listen.
    static func runDaemon(
        _ settings: ServeSettings, configPath: String?, extraServices: [ServiceGroupConfiguration.ServiceConfiguration] = [],
        listening: @escaping @Sendable (_ hj212: Int, _ http: Int) -> Void = { _, _ in }
    ) async throws {
        var settings = settings
        let logger = Logger(label: "envmon")
        // Before any metric is made: one made earlier would count into nothing.
        let metrics = PrometheusMetrics.bootstrap()
        let systemd = SystemdNotifier()
        Self.fitOpenFiles(&settings, logger: logger)

        let storeOptions = try StoreOptions.parse(["--db", settings.storePath] + settings.sensors.flatMap { ["--sensors", $0] })
        let stations = try storeOptions.loadStations()
        let ruleList = try Self.loadRules(settings.rulesPath, stations: stations, logger: logger)
        // The store the config names, with what only it needs (DaemonStore); the body sees the seam.
        try await DaemonStore.open(settings, stations: stations, options: storeOptions, logger: logger) { daemonStore in
            let store = daemonStore.store
            let notifier = try Self.makeNotifier(
                settings.notify, store: store, stations: stations, logger: logger, shared: daemonStore.postgres != nil)
            let grace = settings.rulesGrace, tick = settings.rulesTickMilliseconds, bureauZone = settings.bureauZone
            let makeRules: RuleLeader.Factory = { priming, rules, stations in
                let service = RuleService(
                    engine: RuleEngine(rules: rules, stations: stations, instances: try await store.loadAlertInstances(), grace: grace),
                    journal: store, store: priming, clock: ContinuousClock(), now: WallClock.seconds,
                    tickInterval: .milliseconds(tick), logger: logger, cases: store.caseRegister,
                    // The leader's cursor commits with a batch's transitions: all of them in one
                    // transaction, or a failure after the first chunk would skip the rest.
                    journalChunk: daemonStore.postgres == nil ? RuleService<ContinuousClock>.defaultJournalChunk : .max)
                Self.reopenCasesOnRelapse(service, store: store, zone: bureauZone, logger: logger)
                if let notifier { service.onNotificationsQueued { notifier.notificationsQueued() } }
                return service
            }
            // SQLite: this daemon evaluates every batch it commits. PostgreSQL: the elected
            // leader of the daemons sharing it evaluates the commit log (RuleLeader).
            let localRules: RuleService<ContinuousClock>?
            let rulesService: any Service & RuleSink
            if let postgres = daemonStore.postgres {
                var host = [CChar](repeating: 0, count: 256)
                _ = gethostname(&host, host.count - 1)
                let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let holder = "envmon@\(name):\(ProcessInfo.processInfo.processIdentifier)"
                rulesService = RuleLeader(
                    store: postgres.store, lock: PostgresLeaderLock(configuration: postgres.configuration, holder: holder, logger: logger),
                    rules: ruleList, stations: stations, logger: logger, make: makeRules)
                localRules = nil
            } else {
                let service = try await makeRules(store, ruleList, stations)
                // Before any reading can be committed: what the replay reads must not also arrive as a batch.
                await service.prime()
                localRules = service
                rulesService = service
            }
            let ruleService: any RuleSink = rulesService
            await Self.catchUpCaseRelapses(store: store, zone: settings.bureauZone, logger: logger)
            let writer = BatchingWriter(
                store: store, maxBatch: settings.maxBatch, maxDelay: .milliseconds(settings.maxDelayMilliseconds), clock: ContinuousClock(),
                observer: localRules)

            var quarantine: HJ212Quarantine?
            if settings.hj212.unknownMN == .quarantine || settings.hj212.badTime == .quarantine {
                let folder = (settings.hj212.quarantineFile as NSString).deletingLastPathComponent
                if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
                quarantine = try HJ212Quarantine(path: settings.hj212.quarantineFile, limits: settings.hj212.quarantineLimits)
            }
            let statistics = HJ212Statistics()
            let book = StationBook(stations)
            let server = HJ212Server(
                context: HJ212ServerContext(
                    configuration: settings.hj212, stations: book, submit: { try await writer.submitOutcomes($0) },
                    statistics: statistics, quarantine: quarantine, logger: logger, now: WallClock.seconds,
                    clockFaults: { ruleService.clockFault($0) }))
            let report = StatisticsReporter(statistics: statistics, interval: settings.statsInterval, logger: logger)

            let arenas = envmon_malloc_arena_max()
            let tuned = envmon_malloc_tune_for_daemon() == 1
            logger.info(
                "envmon serve: malloc arenas \(arenas == 0 ? "as glibc or MALLOC_ARENA_MAX sets them" : "limited to \(arenas)"), blocks \(tuned ? "under \(ENVMON_DAEMON_MMAP_THRESHOLD >> 20) MiB from the heap, \(ENVMON_DAEMON_TRIM_THRESHOLD >> 20) MiB kept at its top" : "mapped as the environment sets it")")
            logger.info("envmon serve: \(stations.stations.count) stations, store \(daemonStore.location)")
            let checks = Self.healthChecks(store: daemonStore.checks, hj212: server, notifier: notifier)
            // The local token: commands on this machine reach the API with it (README, The API);
            // it lives beside the store file, so a store without one (PostgreSQL) has none.
            let local = try daemonStore.localTokenPath.map { try LocalToken.create(storePath: $0) }
            defer { if let path = daemonStore.localTokenPath { LocalToken.remove(storePath: path) } }
            let access = AccessControl(settings.tokens + (local.map { [$0] } ?? []))
            let ingest = Self.ingestRoutes(settings, book: book, writer: writer, rules: ruleService)
            let data = Self.apiData(store: store, book: book, rules: ruleList, settings: settings)
            let dashboard = try Dashboard(data: data, alerts: notifier, settings: settings.dashboard)
            let http = HTTPListener(
                configuration: settings.http, checks: checks, metrics: metrics, access: access,
                routes: Self.apiRoutes(notifier: notifier, data: data) + [ingest, dashboard], logger: logger)
            let startup = Self.systemdService(
                notifier: systemd, checks: checks, settings: settings, stations: stations.stations.count, hj212: server, http: http, logger: logger,
                listening: { [http = settings.http] hj212Port, httpPort in
                    daemonStore.listening(http.localURL(port: httpPort))
                    listening(hj212Port, httpPort)
                })
            // Services stop in reverse order: the notifier last, its sends in flight finished and
            // recorded; what the rule service queued at the very end is routed at the next start.
            let notifying: [ServiceGroupConfiguration.ServiceConfiguration] = notifier.map { [.init(service: $0, serviceName: "notifier")] } ?? []
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: notifying + [
                        .init(service: rulesService, serviceName: "rules"),
                        .init(service: WriterService(writer: writer), serviceName: "writer"),
                        .init(service: report, serviceName: "statistics"),
                        .init(
                            service: SensorsReloader(
                                options: storeOptions, store: store, book: book, rules: ruleService, rulesPath: settings.rulesPath,
                                configPath: configPath, notifier: notifier, access: access, localToken: local, systemd: systemd, logger: logger),
                            serviceName: "sensors-reload"),
                        // Stops after the HJ 212 server (services stop in reverse order): it answers while frames drain.
                        .init(service: http, serviceName: "http"),
                        .init(service: server, serviceName: "hj212"),
                    ] + Self.mqttService(settings, book: book, writer: writer, rules: ruleService, logger: logger) + daemonStore.services + [
                        // Last: it hears of a shutdown first and sends STOPPING=1 at once.
                        .init(service: startup, serviceName: "systemd"),
                    ] + extraServices,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            do {
                try await group.run()
            } catch let error as StoreError where error.code == .fileLost {
                // The store file watch stopped the daemon; handled below with a loss seen during
                // the shutdown itself (its last batches were refused, not acknowledged).
            }
            if let problem = daemonStore.problem() {
                report.log(final: true)
                logger.critical("envmon serve: stopped because the store file was lost: \(problem)")
                try? store.close()
                throw ExitCode(3)
            }
            try store.close()
            report.log(final: true)
            logger.info("envmon serve: stopped; every acknowledged reading is committed")
        }
    }

    /// Raises the soft open-file limit to the hard one, and lowers the HJ 212 connection limits
    /// to what it allows, saying so: past it, accepting fails with EMFILE.
    static func fitOpenFiles(_ settings: inout ServeSettings, logger: Logger) {
        guard let (before, after) = OpenFileLimit.raiseSoftLimit() else {
            logger.warning("open files: the limit cannot be read; HJ 212 connection limits are not checked against it")
            return
        }
        if after.soft > before.soft {
            logger.info("open files: soft limit raised from \(before.soft) to \(after.soft)")
        } else if let hard = before.hard, before.soft < hard {
            logger.warning("open files: the soft limit \(before.soft) could not be raised to the hard limit \(hard)")
        }
        let (fitted, warning) = settings.hj212.clamped(toOpenFiles: after.soft)
        if let warning { logger.warning("hj212: \(warning)") }
        settings.hj212 = fitted
    }

    /// The rules of `path`; none when the folder does not exist. Errors stop the daemon: running
    /// with half the rules would silently miss alerts.
    static func loadRules(_ path: String, stations: StationRegistry, logger: Logger) throws -> [Rule] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            logger.warning("no rules folder at \(path): no rules run")
            return []
        }
        do {
            let (rules, warnings) = try RuleLoader(stations: stations).loadWithWarnings(files: try RuleLoader.ruleFiles(in: path))
            for w in warnings { logger.warning("\(w)") }
            return rules
        } catch {
            throw CLIError("the rules have errors:\n\(error)")
        }
    }

    private func loadSettings() throws -> ServeSettings {
        let path = config ?? (FileManager.default.fileExists(atPath: "envmon.yaml") ? "envmon.yaml" : nil)
        guard let path else { return ServeSettings() }
        do {
            return try ServeSettings(path: path)
        } catch {
            throw CLIError("the config file has errors:\n\(error)")
        }
    }
}

/// Keeps the writer open while the daemon runs; on shutdown, after the collectors have stopped,
/// commits what is pending.
struct WriterService: Service {
    let writer: BatchingWriter<ContinuousClock>

    func run() async throws {
        try? await gracefulShutdown()
        await writer.close()
    }
}

/// Reloads sensors/ and rules/ on SIGHUP: a station added, changed or retired and a rule added,
/// changed or removed take effect without a restart. Folders with errors are refused as a whole,
/// the errors logged as `file:line:column: message`, and the stations and rules in use stay.
/// systemd is told `RELOADING=1` before and `READY=1` after, whatever the outcome.
struct SensorsReloader: Service {
    let options: StoreOptions
    let store: any MonitoringStore
    let book: StationBook
    let rules: any RuleSink
    let rulesPath: String
    let configPath: String?
    let notifier: NotifierService<ContinuousClock>?
    let access: AccessControl
    let localToken: AccessToken?
    let systemd: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in signals {
                await reload()
            }
        }
    }

    private func reload() async {
        systemd.reloading(status: "reloading sensors and rules")
        let outcome = await reloadFolders()
        systemd.notify(.ready, .status(outcome))
    }

    /// Re-reads the config's `notify` section: receivers, routes, windows and templates change
    /// without a restart; a section with errors is refused and the one in use stays. (Adding or
    /// removing the whole section takes a restart.)
    private func reloadNotify(stations: StationRegistry) async {
        guard let notifier, let configPath else { return }
        do {
            guard let notify = try ServeSettings(path: configPath).notify else {
                logger.warning("notify: the section is gone from \(configPath); the notifier keeps its configuration until a restart")
                return
            }
            let targets = try DeliveryTarget.make(for: notify, zone: { stations[$0]?.timeZone })
            notifier.reload(configuration: notify, targets: targets)
        } catch {
            logger.error("notify not reloaded, the configuration in use stays: \(error)")
        }
    }

    /// Re-reads the API's tokens (`http.tokens`): a token added or revoked takes effect at once; a
    /// config with errors is refused and the tokens in use stay.
    private func reloadTokens() {
        guard let configPath else { return }
        do {
            let settings = try ServeSettings(path: configPath)
            access.replace(settings.tokens + (localToken.map { [$0] } ?? []))
            logger.notice("http: \(settings.tokens.count) API tokens")
        } catch {
            logger.error("http tokens not reloaded, the tokens in use stay: \(error)")
        }
    }

    /// Reloads; returns what happened, for systemd's status line.
    private func reloadFolders() async -> String {
        do {
            let stations = try options.loadStations()
            let ruleList = try ServeCommand.loadRules(rulesPath, stations: stations, logger: logger)
            try await store.updateStations(stations)
            book.replace(stations)
            await rules.reload(rules: ruleList, stations: stations)
            logger.notice("sensors reloaded: \(stations.stations.count) stations, \(ruleList.count) rules")
            await reloadNotify(stations: stations)
            reloadTokens()
            return "ready: reloaded, \(stations.stations.count) stations, \(ruleList.count) rules"
        } catch {
            logger.error("sensors not reloaded, the stations in use stay: \(error)")
            return "ready: the last reload was refused (see the log), the stations and rules in use stay"
        }
    }
}

/// Logs the HJ 212 figures of each station now and then, and once at shutdown.
struct StatisticsReporter: Service {
    let statistics: HJ212Statistics
    let interval: Int64
    let logger: Logger

    func run() async throws {
        guard interval > 0 else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            if Task.isShuttingDownGracefully { return }
            log(final: false)
        }
    }

    init(statistics: HJ212Statistics, interval: Int64, logger: Logger) {
        self.statistics = statistics
        self.interval = interval
        self.logger = logger
    }

    func log(final: Bool) {
        let t = statistics.total
        logger.info(
            "hj212\(final ? " (final)" : ""): connections \(t.connectionsOpen) open, \(t.connectionsAccepted) accepted, \(t.connectionsRefused) refused, \(t.connectionsEvicted) closed to make room, \(t.idleClosed) idle, \(t.frameTimeouts) frame timeouts, \(t.acceptErrors) failed accepts; unknown MN \(t.unknownMN), quarantined \(t.quarantined) (\(t.quarantineRefused) refused over rate or backlog), unattributed \(t.unattributed), unframeable \(t.unframeable), garbage bytes \(t.garbageBytes)"
        )
        for (id, s) in statistics.stations.sorted(by: { $0.key < $1.key }) {
            let seen = s.lastSeen.map { ZoneCalendar(TimeZone(identifier: "UTC")!).iso8601($0) } ?? "never"
            logger.info(
                "hj212 \(id): frames \(s.frames), accepted \(s.accepted), bad CRC \(s.badCRC), rejected \(s.rejected), clock faults \(s.clockFaults)\(s.lastBadTime.map { " (last DataTime \($0))" } ?? ""), quarantined \(s.quarantined), stored \(s.samplesStored), duplicates \(s.duplicates), values rejected \(s.valuesRejected), replies \(s.replies), last seen \(seen) from \(s.lastPeer ?? "-")"
            )
        }
    }
}
