public import Foundation
public import Monitoring
public import Rules
public import Store

/// What is firing now and what happened: the active alerts, the recent transitions and the
/// episodes of a window, read once for `envmon alerts list` and `GET /api/v1/alerts…`.
///
/// ```swift
/// var filter = AlertListing.Filter(); filter.stations = ["qinghe-wwtp-outlet"]
/// let listing = try await AlertListing.make(store: store, stations: registry, now: now, filter: filter,
///                                           since: now - 86_400, limit: 50, episodes: window, rules: rules)
/// ```
public struct AlertListing: Sendable {
    /// Which alerts are listed.
    public struct Filter: Sendable, Hashable {
        /// Only these stations (empty: all).
        public var stations: [String] = []
        /// Only these rules (empty: all).
        public var rules: [String] = []
        /// Only active alerts in these states (empty: all but resolved).
        public var states: [AlertState] = []

        /// Everything.
        public init(stations: [String] = [], rules: [String] = [], states: [AlertState] = []) {
            self.stations = stations
            self.rules = rules
            self.states = states
        }

        /// Whether an alert of `key` is listed.
        public func selects(_ key: AlertKey) -> Bool {
            (stations.isEmpty || stations.contains(key.station)) && (rules.isEmpty || rules.contains(key.rule))
        }
    }

    /// Active alerts (not resolved), filtered.
    public var active: [AlertInstance]
    /// Transitions since the time asked, newest first, at most the limit.
    public var recent: [AlertHistoryEntry]
    /// Episodes overlapping the window asked (none when none was).
    public var episodes: [AlertEpisode]
    /// What of each episode was above the limit and what had no data, where its rule is known.
    public var coverage: [Int64: EpisodeCoverage]
    /// Notifications still in the outbox.
    public var undelivered: Int
    /// The acknowledgement of each acknowledged episode still open.
    public var acknowledged: [Int64: AlertAcknowledgement]
    /// The stations, for each time's local zone.
    public var stations: StationRegistry

    /// Reads the listing.
    /// - Parameters:
    ///   - since: recent transitions from this time.
    ///   - limit: at most this many recent transitions (counted after the filter).
    ///   - episodes: the window of episodes to list; `nil`: none.
    ///   - rules: the rules, to measure each episode's coverage; empty: not measured.
    public static func make(
        store: any MonitoringStore, stations: StationRegistry, now: Int64, filter: Filter, since: Int64, limit: Int, episodes window: Range<Int64>?,
        rules: [Rule] = []
    ) async throws -> AlertListing {
        let active = try await store.loadAlertInstances().filter {
            $0.state != .resolved && filter.selects($0.key) && (filter.states.isEmpty || filter.states.contains($0.state))
        }
        // Filtered after reading, so the limit counts what is shown when filters are given.
        let unfiltered = filter.stations.isEmpty && filter.rules.isEmpty
        let recent = try await store.alertHistory(since: since, limit: unfiltered ? limit : 1_000_000).filter { filter.selects($0.key) }
            .prefix(limit)
        var periods: [AlertEpisode] = []
        if let window { periods = try await store.alertEpisodes(overlapping: window).filter { filter.selects($0.key) } }
        // An episode runs through data gaps: what of it was above the limit, what had no data.
        var coverage: [Int64: EpisodeCoverage] = [:]
        if !periods.isEmpty, !rules.isEmpty {
            let byName = Dictionary(rules.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for e in periods {
                guard let rule = byName[e.key.rule], let st = stations[e.key.station] else { continue }
                coverage[e.id] = try await EpisodeCoverage.measure(e, rule: rule, station: st, store: store, now: now)
            }
        }
        let acked = Dictionary(try await store.openAcknowledgements().map { ($0.episode, $0) }, uniquingKeysWith: { a, _ in a })
        return AlertListing(
            active: active, recent: Array(recent), episodes: periods, coverage: coverage, undelivered: try await store.pendingNotificationCount(),
            acknowledged: acked, stations: stations)
    }

    /// `t` in the station's zone (UTC for a station not in sensors/).
    public func time(_ t: Int64, _ station: String) -> String {
        (stations[station].map { ZoneCalendar($0.timeZone) } ?? ZoneCalendar(TimeZone(identifier: "UTC")!)).iso8601(t)
    }

    /// The JSON objects of the listing (`JSONSerialization` values), as `envmon alerts list
    /// --format json` prints them: `{"undelivered_notifications", "active": [...], "recent": [...],
    /// "episodes"?: [...]}`.
    public func jsonObject(includingEpisodes: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "undelivered_notifications": undelivered,
            "active": active.map(json),
            "recent": recent.map(json),
        ]
        if includingEpisodes { object["episodes"] = episodes.map(json) }
        return object
    }

    /// One active alert.
    public func json(_ i: AlertInstance) -> [String: Any] {
        var o: [String: Any] = [
            "rule": i.key.rule, "station": i.key.station, "parameter": i.key.parameter, "state": i.state.rawValue,
            "since": time(i.since, i.key.station),
        ]
        if let p = i.pendingSince { o["started"] = time(p, i.key.station) }
        if let v = i.value { o["value"] = v }
        if let v = i.peak { o["peak"] = v }
        if let e = i.episode { o["episode"] = e }
        if let a = i.episode.flatMap({ acknowledged[$0] }) { o["acknowledged_by"] = a.by }
        return o
    }

    /// One transition.
    public func json(_ h: AlertHistoryEntry) -> [String: Any] {
        var o: [String: Any] = [
            "rule": h.key.rule, "station": h.key.station, "parameter": h.key.parameter, "from": h.from.rawValue,
            "to": h.to.rawValue, "at": time(h.at, h.key.station), "reason": h.reason,
        ]
        if let v = h.value { o["value"] = v }
        return o
    }

    /// One episode.
    public func json(_ e: AlertEpisode) -> [String: Any] {
        var o: [String: Any] = [
            "id": e.id, "rule": e.key.rule, "station": e.key.station, "parameter": e.key.parameter, "state": e.state.rawValue,
            "started": time(e.startedAt, e.key.station), "fired": time(e.firedAt, e.key.station),
        ]
        if let end = e.endedAt {
            o["ended"] = time(end, e.key.station)
            o["duration_s"] = end - e.startedAt
        }
        if let p = e.peak { o["peak"] = p }
        if let s = e.severity { o["severity"] = s.rawValue }
        if let c = coverage[e.id] {
            o["coverage"] = ["unit": c.unit.rawValue, "above": c.above, "within": c.within, "no_data": c.noData]
        }
        if let a = acknowledged[e.id] { o["acknowledged_by"] = a.by }
        return o
    }
}
