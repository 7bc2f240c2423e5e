public import Monitoring
public import Store

/// What the duty officer opens every morning: every station with its status, its newest values
/// coloured against their limits and its active alerts; the city's day so far; the counts that
/// head the page. Read with a fixed number of store reads whatever the number of stations (one
/// query for all newest values, one transaction for the day's hourly buckets).
///
/// ```swift
/// let overview = try await CityOverview.make(stations: registry, store: store, now: now)
/// overview.stations.filter { $0.status == .offline }
/// overview.day.sites.map { ($0.station.name, $0.aqi.result?.aqi) }
/// ```
public struct CityOverview: Sendable {
    /// The time the overview is of.
    public var now: Int64
    /// Every station that is not retired, in the registry's order.
    public var stations: [OverviewStation]
    /// The day so far of the ambient sites and the sections.
    public var day: CityDay
    /// Active alerts of stations no longer in sensors/ (they are listed on the alerts page).
    public var otherAlerts: Int
    /// Notifications still in the outbox.
    public var undelivered: Int

    /// How many stations have each status.
    public func count(_ status: StationStatus) -> Int { stations.filter { $0.status == status }.count }

    /// The active alerts of every station, oldest first.
    public var alerts: [OverviewAlert] { stations.flatMap(\.alerts).sorted { $0.instance.since < $1.instance.since } }

    /// Reads the overview.
    /// - Parameters:
    ///   - stations: the stations (retired ones are left out).
    ///   - store: the store read.
    ///   - now: the present (injected).
    /// - Throws: `StoreError` when the store cannot be read, ``ReportsError`` for a section whose labels
    ///   are wrong.
    public static func make(stations registry: StationRegistry, store: any MonitoringStore, now: Int64) async throws -> CityOverview {
        let stations = registry.stations.filter { !$0.retired }
        // Three reads side by side (SQLite's WAL readers do not wait for each other).
        async let daySoFar = CityDay.make(stations, stored: Set(try await store.allSeries()), store: store, now: now)
        async let alertListing = AlertListing.make(
            store: store, stations: registry, now: now, filter: AlertListing.Filter(), since: now, limit: 0, episodes: nil)
        let newest = try await store.latestOfEverySeries()
        let listing = try await alertListing
        var alerts: [String: [OverviewAlert]] = [:]
        for i in listing.active.sorted(by: { $0.since < $1.since }) {
            alerts[i.key.station, default: []].append(
                OverviewAlert(instance: i, age: max(0, now - i.since), acknowledgedBy: i.episode.flatMap { listing.acknowledged[$0]?.by }))
        }
        let byStation = Dictionary(grouping: newest, by: { $0.key.station })
        let entries = stations.map { st in
            let series = byStation[st.id] ?? []
            let values = st.parameters.map { sp in
                let best = series.filter { $0.key.parameter == sp.parameter.id }.max { $0.value.time < $1.value.time }
                return OverviewValue(
                    parameter: sp, kind: best?.key.kind, sample: best?.value, limit: OverviewValue.limit(of: sp, at: st, now: now))
            }
            let last = series.map(\.value.time).max()
            return OverviewStation(
                station: st, status: StationStatus(lastReading: last, interval: st.expectedInterval, now: now), lastReading: last,
                values: values, alerts: alerts[st.id] ?? [])
        }
        let day = try await daySoFar
        let known = Set(stations.map(\.id))
        return CityOverview(
            now: now, stations: entries, day: day, otherAlerts: listing.active.filter { !known.contains($0.key.station) }.count,
            undelivered: listing.undelivered)
    }
}
