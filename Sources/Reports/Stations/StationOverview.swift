public import Monitoring
public import Store

/// A station as the duty officer looks at it: its status, its last reading, the newest value of
/// each parameter and how many of its alerts are active. The API's `/api/v1/stations` and the
/// dashboard read it.
public struct StationOverview: Sendable {
    /// The newest value of one parameter.
    public struct Latest: Sendable, Hashable {
        /// The parameter.
        public var parameter: StationParameter
        /// The series it was read from (the newest of the parameter's stored kinds).
        public var kind: SeriesKind
        /// The reading.
        public var sample: StoredSample
    }

    /// The station.
    public var station: Station
    /// Its status at the time asked.
    public var status: StationStatus
    /// The measurement time of its newest reading, of any parameter; `nil`: none stored.
    public var lastReading: Int64?
    /// The newest value of each parameter that has one, in the station's parameter order.
    public var latest: [Latest]
    /// Its active alerts (firing, no data, suppressed).
    public var activeAlerts: Int

    /// The overviews of `stations` at `now`.
    /// - Parameters:
    ///   - stations: the stations, in the order wanted.
    ///   - store: the store read: one seek per stored series.
    ///   - now: the present (injected).
    /// - Throws: `StoreError` when the store cannot be read.
    public static func make(_ stations: [Station], store: any MonitoringStore, now: Int64) async throws -> [StationOverview] {
        let active = Dictionary(
            try await store.loadAlertInstances().filter { $0.state.isActive }.map { ($0.key.station, 1) }, uniquingKeysWith: +)
        var out: [StationOverview] = []
        out.reserveCapacity(stations.count)
        for station in stations {
            let keys = try await store.storedSeries(ofStation: station.id).map(\.key)
            let newest = try await store.latest(of: keys)
            var latest: [Latest] = []
            for sp in station.parameters {
                let best = keys.filter { $0.parameter == sp.parameter.id }.compactMap { key in newest[key].map { (key, $0) } }
                    .max { $0.1.time < $1.1.time }
                if let (key, sample) = best { latest.append(Latest(parameter: sp, kind: key.kind, sample: sample)) }
            }
            let last = newest.values.map(\.time).max()
            out.append(
                StationOverview(
                    station: station, status: StationStatus(lastReading: last, interval: station.expectedInterval, now: now),
                    lastReading: last, latest: latest, activeAlerts: active[station.id] ?? 0))
        }
        return out
    }
}
