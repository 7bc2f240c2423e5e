import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Rules
import Store

/// `envmon alerts [list]`: what is firing now, and what happened recently.
struct AlertsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List active alerts (pending, firing, no data, suppressed) and recent transitions (the default).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(name: .long, help: "How far back recent transitions go (e.g. 24h, 7d).")
    var since: String = "24h"

    @Option(name: .long, help: "At most this many recent transitions.")
    var limit: Int = 50

    @Option(name: .long, help: "text or json.")
    var format: String = "text"

    @Option(name: .long, help: "Only this station (repeatable).")
    var station: [String] = []

    @Option(name: .long, help: "Only this rule (repeatable).")
    var rule: [String] = []

    @Option(name: .long, help: "Only active alerts in this state: pending, firing, no-data, suppressed (repeatable).")
    var state: [String] = []

    @Flag(name: .long, help: "List the episodes (firing or no-data periods) instead of the recent transitions.")
    var episodes = false

    @Option(name: .long, help: "The daemon's config file, for the bureau's zone, reports.time_zone (default: $ENVMON_CONFIG, else envmon.yaml if it exists).")
    var config: String?

    @Option(name: .long, help: "With --episodes: from this local date (its whole day), ISO 8601 time or now-7d (default: --since before now). Dates and times without an offset are the bureau's (reports.time_zone, else Beijing time).")
    var from: String?

    @Option(name: .long, help: "With --episodes: through this local date (included), until this ISO 8601 time, or now-1h (default: now).")
    var to: String?

    @Option(name: .long, help: "With --episodes: the rules folder, to split each episode into time above the limit and without data.")
    var rules: String = ProcessInfo.processInfo.environment["ENVMON_RULES"] ?? "rules"

    func run() async throws {
        let onPostgres = try postgres.configuration()
        guard onPostgres != nil || FileManager.default.fileExists(atPath: store.db) else { throw CLIError("no store at \(store.db)") }
        guard let back = DurationText.seconds(since) else { throw ValidationError("--since must be a duration such as 24h") }
        guard format == "text" || format == "json" else { throw ValidationError("--format must be text or json") }
        let stations = (try? store.loadStations()) ?? StationRegistry([])
        let now = WallClock.seconds()
        let states = try state.map { text -> AlertState in
            guard let s = AlertState(rawValue: text), s.isActive || s == .pending else {
                throw ValidationError("--state must be pending, firing, no-data or suppressed, not '\(text)'")
            }
            return s
        }
        // Only what reads or shows a time of the bureau's reads the config.
        let bureau = ZoneCalendar(episodes || from != nil || to != nil ? try BureauZone.read(config: config) : BureauZone.beijing)
        // The same rule for ranges as every command: a date is a whole local day, a time an instant.
        func parse(_ text: String?, _ option: String, isEnd: Bool, _ fallback: Int64) throws -> Int64 {
            guard let text else { return fallback }
            do { return try LocalDates.bound(text, option: option, in: bureau, isEnd: isEnd, now: now) } catch { throw ValidationError(error.description) }
        }
        let window = try parse(from, "--from", isEnd: false, now - Int64(back))..<(try parse(to, "--to", isEnd: true, now))
        let loaded = episodes ? (try? RuleLoader(stations: stations).load(directory: rules)) ?? [] : []
        let (station, rule, limit, episodes) = (station, rule, limit, episodes)
        let list: @Sendable (any MonitoringStore) async throws -> AlertListing = { db in
            try await AlertListing.make(
                store: db, stations: stations, now: now, filter: AlertListing.Filter(stations: station, rules: rule, states: states),
                since: now - Int64(back), limit: limit, episodes: episodes ? window : nil, rules: loaded)
        }
        let listing = try await casesCall {
            try await postgres.withStore(db: store.db, stations: stations, command: "alerts list", writing: false, list)
        }
        let (active, recent, periods, coverage, undelivered, acked) =
            (listing.active, listing.recent, listing.episodes, listing.coverage, listing.undelivered, listing.acknowledged)
        func time(_ t: Int64, _ station: String) -> String { listing.time(t, station) }
        if format == "json" {
            let data = try JSONSerialization.data(withJSONObject: listing.jsonObject(includingEpisodes: episodes), options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        if active.isEmpty {
            print("No active alerts.")
        } else {
            print("Active alerts:")
            for i in active.sorted(by: { ($0.state.rawValue, $0.key.description) < ($1.state.rawValue, $1.key.description) }) {
                let param = i.key.parameter == "*" ? "" : " \(i.key.parameter)"
                let value = i.value.map { " value \(format($0))" } ?? ""
                let started = i.pendingSince.map { " (condition since \(time($0, i.key.station)))" } ?? ""
                let episode = i.episode.map { "  [episode \($0)\(acked[$0].map { ", acknowledged by \($0.by)" } ?? "")]" } ?? ""
                print("  \(i.state.rawValue.uppercased())  \(i.key.rule)  \(i.key.station)\(param)  since \(time(i.since, i.key.station))\(started)\(value)\(episode)")
            }
        }
        print("\nNotifications waiting in the outbox: \(undelivered)")
        if episodes {
            // Echoed in the bureau's zone, in which --from and --to were read (each row gives its
            // station's local time).
            print("\nEpisodes \(bureau.iso8601(window.lowerBound)) … \(bureau.iso8601(window.upperBound)): \(periods.count)")
            for e in periods {
                let param = e.key.parameter == "*" ? "" : " \(e.key.parameter)"
                let end = e.endedAt.map { "until \(time($0, e.key.station)) (\(Self.duration($0 - e.startedAt)))" } ?? "still open"
                let peak = (e.peak.map { " peak \(format($0))" } ?? "") + (coverage[e.id].map { " (\($0.summary()))" } ?? "")
                print("  #\(e.id)  \(time(e.startedAt, e.key.station))  \(e.key.rule)  \(e.key.station)\(param)  \(e.state.rawValue) \(end)\(peak)\(acked[e.id].map { "  acknowledged by \($0.by)" } ?? "")")
            }
            return
        }
        print("\nRecent transitions (last \(since)):")
        if recent.isEmpty { print("  none") }
        for h in recent {
            let param = h.key.parameter == "*" ? "" : " \(h.key.parameter)"
            print("  \(time(h.at, h.key.station))  \(h.key.rule)  \(h.key.station)\(param)  \(h.from.rawValue) → \(h.to.rawValue)  \(h.reason)")
        }
    }

    private static func duration(_ s: Int64) -> String {
        s >= 86_400 ? "\(s / 86_400)d \(s % 86_400 / 3_600)h" : s >= 3_600 ? "\(s / 3_600)h \(s % 3_600 / 60)m" : "\(s / 60)m"
    }

    private func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e12 ? String(Int64(v)) : String(format: "%.3f", v)
    }
}
