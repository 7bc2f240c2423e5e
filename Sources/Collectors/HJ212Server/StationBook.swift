public import Monitoring

/// The stations a running daemon knows, replaceable while it runs (`SIGHUP` reloads sensors/).
///
/// Each replacement bumps ``generation``, so holders of per-station caches (a connection's ingest
/// of a station, with its time zone and units) know to rebuild them.
public final class StationBook: Sendable {
    private let state: Locked<(registry: StationRegistry, generation: Int)>

    /// Creates the book with its first stations.
    public init(_ registry: StationRegistry) { state = Locked((registry, 0)) }

    /// The current stations.
    public var registry: StationRegistry { state.withLock { $0.registry } }

    /// The generation alone: what a connection checks on every frame (reading ``current`` copied
    /// the registry each time).
    public var generation: Int { state.withLock { $0.generation } }

    /// The current stations and their generation, read together.
    public var current: (registry: StationRegistry, generation: Int) { state.withLock { $0 } }

    /// Replaces the stations.
    public func replace(_ registry: StationRegistry) {
        state.withLock {
            $0.registry = registry
            $0.generation += 1
        }
    }
}
