/// A set of stations chosen by id, kind and labels, as allowance files and reports name them.
/// Empty lists choose every station; retired stations are never chosen.
public struct StationScope: Sendable, Hashable {
    /// Station ids.
    public var stations: Set<String>
    /// Station kinds.
    public var kinds: Set<StationKind>
    /// Labels a station must carry with exactly these values.
    public var labels: [String: String]

    /// Creates a scope.
    public init(stations: Set<String> = [], kinds: Set<StationKind> = [], labels: [String: String] = [:]) {
        self.stations = stations
        self.kinds = kinds
        self.labels = labels
    }

    /// Whether the station is in the scope.
    public func contains(_ station: Station) -> Bool {
        if station.retired { return false }
        if !stations.isEmpty && !stations.contains(station.id) { return false }
        if !kinds.isEmpty && !kinds.contains(station.kind) { return false }
        for (k, v) in labels where station.labels[k] != v { return false }
        return true
    }
}
