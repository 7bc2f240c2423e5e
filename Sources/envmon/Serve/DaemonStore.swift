import EnvmonHTTP
import Logging
import Monitoring
import PostgresStore
import ServiceLifecycle
import Store

/// The daemon's store as the config chooses it, with what only that store needs: the SQLite
/// file at `store.path` (one daemon a file: its lock, its guard against being moved or
/// overwritten and the watch that stops the daemon then, its `/readyz` check, the local token
/// beside it), or PostgreSQL at `store.url` (`DaemonStore+Postgres`: its pool, its `/readyz` check).
///
/// The daemon's services see only ``store``; ``open(_:stations:options:logger:_:)`` is the one
/// place that knows which store it is.
struct DaemonStore {
    /// The store every service uses.
    let store: any MonitoringStore
    /// Where it is, for the log (no password).
    let location: String
    /// Run beside the daemon's own services (the SQLite file's watch).
    let services: [ServiceGroupConfiguration.ServiceConfiguration]
    /// What `/readyz` checks of the store.
    let checks: [HealthCheck]
    /// Where the daemon's local token goes (`PATH.token`, see `LocalToken`): beside the store
    /// file; nil: no local token (a store that is no file).
    let localTokenPath: String?
    /// Told the HTTP API's address once it listens (the SQLite daemon lock records it for
    /// commands run beside the daemon).
    let listening: @Sendable (_ httpAddress: String) -> Void
    /// Why the store may not be used any more (the SQLite file was lost), once it happened.
    let problem: @Sendable () -> String?
    /// The store on PostgreSQL and its configuration (several daemons may share it: the rules
    /// run on the elected leader, see `RuleLeader`); nil for SQLite.
    var postgres: (store: PostgresStore, configuration: PostgresStoreConfiguration)? = nil

    /// Opens the store `settings` names, runs `body` with it, and releases what it held.
    static func open(
        _ settings: ServeSettings, stations: StationRegistry, options: StoreOptions, logger: Logger, _ body: (DaemonStore) async throws -> Void
    ) async throws {
        if let postgres = settings.postgres {
            return try await openPostgres(postgres, stations: stations, logger: logger, body)
        }
        // One daemon a store file: held until the body returns.
        let lock = try StoreDaemonLock(storePath: settings.storePath)
        defer { withExtendedLifetime(lock) {} }
        let store = try options.openStore(
            stations, pageSize: settings.pageSize, staging: settings.staging ? .live : nil, synchronous: settings.synchronous,
            cacheBytes: SQLiteStore.daemonCacheBytes)
        // From here on a moved, deleted or overwritten store file stops the acknowledgements.
        try store.guardFile()
        let synchronous = settings.synchronous
        try await body(
            DaemonStore(
                store: store,
                location: "\(settings.storePath) (synchronous \(synchronous.rawValue): acknowledged once \(synchronous == .full ? "synced to disk" : "committed"))",
                services: [
                    .init(
                        service: StoreFileWatch(store: store, logger: logger), failureTerminationBehavior: .gracefullyShutdownGroup,
                        serviceName: "store-file")
                ],
                checks: [.storeFile(store)], localTokenPath: settings.storePath, listening: { lock.record(httpAddress: $0) }, problem: { store.fileProblem }))
    }
}
