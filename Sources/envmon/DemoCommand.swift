import ArgumentParser
import Collectors
import EnvmonConfig
import EnvmonDashboard
import EnvmonHTTP
import Foundation
import Logging
import Monitoring
import Notifier
import Reports
import Rules
import ServiceLifecycle
import Store

/// `envmon demo`: a fresh embedded store with seeds/ imported, the city network's field units
/// sending their last `hours` over real HJ 212/TCP, a summary of what the rule engine found;
/// then the daemon itself runs on that store until Ctrl-C or SIGTERM (exit 0): the units keep
/// sending minute data in real time, and the notifier prints each notification on the console
/// and appends it to a file, as it is delivered.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load seeds/ into a fresh store, feed it live from simulated HJ 212 field units, then run the daemon with notifications on the console until stopped.")

    @Option(help: "The demo's store file (replaced on each run).") var db = "var/demo.sqlite"
    @Option(help: "The seeds folder.") var seeds = "seeds"
    @Option(help: "The city network's station folder.") var sensors = "sensors"
    @Option(help: "Hours of hourly data each simulated field unit sends (ending now).") var hours = 48
    @Option(help: "The rule packs.") var rules = "rules"
    @Option(help: "The HTTP port of the running demo (/healthz, /readyz, /metrics, the API); 0 picks a free one.") var httpPort = 9090
    @Option(help: "The language of the console's notifications: zh-CN or en.") var language = "zh-CN"
    @Option(help: "Where delivered notifications are also written, one JSON line each.") var notifications = "var/demo-notifications.jsonl"
    @Flag(help: "Stop after the summary instead of running the daemon.") var once = false

    func run() async throws {
        guard let console = MessageLanguage(rawValue: language) else { throw ValidationError("--language must be zh-CN or en") }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let options = try StoreOptions.parse(["--db", db, "--sensors", sensors, "--sensors", "\(seeds)/sensors"])
        let stations = try options.loadStations()
        let store = try options.openStore(stations, staging: .live, cacheBytes: SQLiteStore.daemonCacheBytes)
        try store.guardFile()
        var logger = Logger(label: "envmon.demo")
        logger.logLevel = .warning
        let ruleList = try ServeCommand.loadRules(rules, stations: stations, logger: logger)
        let ruleService = RuleService(
            engine: RuleEngine(rules: ruleList, stations: stations), journal: store, store: store, clock: ContinuousClock(),
            now: WallClock.seconds, tickInterval: .seconds(1), logger: logger)
        await ruleService.prime()
        let evaluating = Task { try await ruleService.run() }
        // 25 ms, as `serve` uses: the live part waits for each commit before the 9014 reply.
        let writer = BatchingWriter(store: store, maxDelay: .milliseconds(25), clock: ContinuousClock(), observer: ruleService)
        print("envmon demo — \(stations.stations.count) stations from \(sensors)/ and \(seeds)/sensors/, store \(db)\n")

        for (file, mapping) in [("city-network.csv", "city-network.mapping.yaml"), ("beijing-slice.csv", "beijing-prsa.mapping.yaml")] {
            let map: ImportMapping
            do { map = try ImportMapping(path: "\(seeds)/\(mapping)") } catch { throw CLIError("\(error)") }
            let report = try await CSVImporter(mapping: map, stations: stations).run(
                path: "\(seeds)/\(file)", submit: { try await writer.submit($0, commitAtOnce: $1) })
            print(ImportCommand.describe(report))
        }

        if hours > 0 {
            print("\nLive: the city network's field units send their last \(hours) hours over HJ 212/TCP to the daemon's server")
            let now = Int64(Date().timeIntervalSince1970)
            let live = try await DemoFeed.run(stations: stations, writer: writer, hours: hours, now: now)
            let s = live.summary
            let latency = s.latency
            print(
                "  \(s.stations) field units: \(s.framesSent) frames sent, \(s.acks) acknowledged after commit, \(s.resends) resent, \(s.reconnects) reconnects; ack latency p50 \(latency.p50.map { "\($0 / 1_000_000) ms" } ?? "-"), p99 \(latency.p99.map { "\($0 / 1_000_000) ms" } ?? "-")"
            )
            for (id, f) in live.statistics.stations.sorted(by: { $0.key < $1.key }) {
                print("  \(id): \(f.frames) frames, \(f.samplesStored) readings stored, \(f.duplicates) re-sent, \(f.valuesRejected) values refused")
            }
        }
        await writer.close()

        print("\nStations")
        for station in stations.stations {
            let keys = try await store.allSeries().filter { $0.station == station.id }
            guard !keys.isEmpty else { continue }
            let latest = try await store.latest(of: keys)
            let calendar = ZoneCalendar(station.timeZone)
            let newest = latest.values.map(\.time).max().map(calendar.iso8601) ?? "-"
            var counts = 0
            for key in keys { counts += try await store.sampleCount(of: key) }
            let values = keys.compactMap { key -> String? in
                guard let s = latest[key], let p = station.parameter(key.parameter) else { return nil }
                return "\(key.parameter)=\(SeriesQueryOutput.display(s.value))\(s.flag == .normal ? "" : "[\(s.flag.rawValue)]") \(p.unit.symbol)"
            }
            print("  \(station.id) · \(station.kind.rawValue) · \(counts) readings · last \(newest)")
            print("      \(values.joined(separator: "  "))")
        }

        // Everything committed has been handed to the rule engine; let it finish, then judge
        // the hours and days that have ended.
        ruleService.finish()
        _ = try? await evaluating.value
        await ruleService.tick()
        try await printAlerts(store: store, stations: stations, rules: ruleList.count, figures: ruleService.currentFigures)

        if let bj = stations["bj-aotizhongxin"] {
            let key = SeriesKey(station: bj.id, parameter: "PM2.5", kind: .hour)
            let calendar = ZoneCalendar(bj.timeZone)
            if let span = try await store.span(of: key) {
                let days = try await store.aggregate(AggregateQuery(series: key, range: span.lowerBound..<(span.upperBound + 1), step: 86_400, function: .avg))
                print("\nTrend: \(bj.name) PM2.5 daily mean (µg/m³), local days, \(days.count) days")
                print("  " + Sparkline.render(days.map(\.value), width: 72))
                if let worst = days.max(by: { ($0.value ?? 0) < ($1.value ?? 0) }), let v = worst.value {
                    print("  worst day \(calendar.iso8601(worst.start).prefix(10)): \(SeriesQueryOutput.display(v)) µg/m³ from \(worst.validCount) valid hours")
                }
                print("  try: envmon query --db \(db) --sensors \(sensors) --sensors \(seeds)/sensors --station \(bj.id) --parameter PM2.5 --step 1d")
            }
        }
        try await printCasesAndScorecard(store: store, stations: stations, language: ReportLanguage(parsing: language) ?? .zhCN)
        if !once { try await retireHistory(store) }
        try store.close()
        if once { return }
        try await runDaemon(stations: stations, language: console)
    }

    /// The imported history (Beijing's 2017 slice, the city's past days) raised alerts long
    /// over; their notifications are finished unsent so that the console shows what happens now
    /// and in the last six hours, not a wall of old news.
    private func retireHistory(_ store: any MonitoringStore) async throws {
        let cutoff = Int64(Date().timeIntervalSince1970) - 6 * 3_600
        var retired = 0
        while true {
            let old = try await store.unroutedNotifications(limit: 1_000_000).filter { ($0.notification.endsAt ?? $0.notification.startsAt) < cutoff }
            guard !old.isEmpty else { break }
            try await store.route(old.map { OutboxRouting(id: $0.id, deliveries: []) }, now: cutoff)
            retired += old.count
        }
        print("  \(retired) notifications about the imported history (ended or started over six hours ago) are not sent")
    }

    /// The daemon on the demo's store, with a console and a file receiver, until stopped.
    private func runDaemon(stations: StationRegistry, language: MessageLanguage) async throws {
        var settings = ServeSettings()
        settings.storePath = db
        settings.sensors = [sensors, "\(seeds)/sensors"]
        settings.rulesPath = rules
        settings.hj212.host = "127.0.0.1"
        settings.hj212.port = 0
        settings.http.host = "127.0.0.1"
        settings.http.port = httpPort
        // The demo's pages are open on this machine (loopback only), for a look without a token.
        settings.dashboard.open = true
        settings.statsInterval = 0
        settings.logLevel = .warning
        settings.synchronous = .normal
        var console = ConsoleConfig()
        console.language = language
        settings.notify = NotifyConfiguration(
            route: RouteNode(receiver: "demo", groupBy: .labels(["alertname", "station"]), groupWait: 5, groupInterval: 60, repeatInterval: 4 * 3_600),
            receivers: [ReceiverConfiguration(name: "demo", integrations: [.console(console), .file(FileConfig(path: notifications))])])
        let folder = (notifications as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try? FileManager.default.removeItem(atPath: notifications)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let feed = DemoLiveFeed(stations: stations)
        // The summary above sits in stdio's buffer when stdout is a pipe; the console receiver
        // writes unbuffered, so what came first goes out first.
        fflush(nil)
        let zh = language == .zhCN
        try await ServeCommand.runDaemon(settings, configPath: nil, extraServices: [.init(service: feed, serviceName: "field-units")]) { hj212, http in
            print(
                zh
                    ? "\n守护进程运行中（Ctrl-C 结束）：HJ 212 127.0.0.1:\(hj212)，HTTP http://127.0.0.1:\(http)（/healthz /readyz /metrics）；通知显示于此并写入 \(notifications)"
                    : "\nThe daemon runs (Ctrl-C ends it): HJ 212 on 127.0.0.1:\(hj212), HTTP on http://127.0.0.1:\(http) (/healthz /readyz /metrics); notifications appear below and go to \(notifications)")
            print(zh ? "仪表盘：http://127.0.0.1:\(http)/" : "Dashboard: http://127.0.0.1:\(http)/")
            print(
                zh
                    ? "现场终端每分钟实时发送分钟数据；造纸厂 COD 每半小时有 10 分钟为平时的三倍。\n"
                    : "The field units send minute data every minute, in real time; the paper mill's COD triples for 10 minutes every half hour.\n")
            fflush(nil)
            feed.start(port: hj212)
        }
    }

    /// What the rule engine made of the run: episodes per rule, and what is still active.
    private func printAlerts(store: any MonitoringStore, stations: StationRegistry, rules: Int, figures: RuleServiceFigures) async throws {
        let episodes = try await store.alertEpisodes(overlapping: Int64.min..<Int64.max)
        let active = try await store.loadAlertInstances().filter { $0.state.isActive }
        let outbox = try await store.pendingNotificationCount()
        print("\nAlerts: \(rules) rules evaluated \(figures.readings) committed readings; \(episodes.count) alert episodes, \(outbox) notifications in the outbox")
        let byRule = Dictionary(grouping: episodes, by: { $0.key.rule })
        for (rule, list) in byRule.sorted(by: { $0.key < $1.key }) {
            // Which series, with how many episodes each, most first.
            let counts = Dictionary(grouping: list, by: { $0.key.parameter == "*" ? $0.key.station : "\($0.key.station) \($0.key.parameter)" })
                .map { ($0.key, $0.value.count) }.sorted { ($1.1, $0.0) < ($0.1, $1.0) }
            let shown = counts.prefix(4).map { "\($0.0) ×\($0.1)" }.joined(separator: ", ")
            print("  \(rule): \(list.count) episodes — \(shown)\(counts.count > 4 ? ", … (\(counts.count) series)" : "")")
        }
        print("  active now:")
        for i in active.sorted(by: { $0.key.description < $1.key.description }).prefix(12) {
            let calendar = ZoneCalendar(stations[i.key.station]?.timeZone ?? TimeZone(identifier: "Asia/Shanghai")!)
            let param = i.key.parameter == "*" ? "" : " \(i.key.parameter)"
            let value = i.value.map { " value \(SeriesQueryOutput.display($0))" } ?? ""
            print("    \(i.state.rawValue.uppercased()) \(i.key.rule) \(i.key.station)\(param) since \(calendar.iso8601(i.since))\(value)")
        }
        if active.count > 12 { print("    … and \(active.count - 12) more") }
        print("  try: envmon alerts --db \(db) --sensors \(sensors) --sensors \(seeds)/sensors --since 7d")
    }
}
