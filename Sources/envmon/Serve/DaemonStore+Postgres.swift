import EnvmonHTTP
import Logging
import Monitoring
import PostgresStore
import Store

extension DaemonStore {
    /// The store on PostgreSQL at `store.url`: its connection pool runs until `body` returns; the
    /// schema is migrated first (under the migrations' advisory lock, so several daemons may start
    /// at once). No file, so no lock, file guard, watch or local token: several daemons share it.
    /// Every write transaction logs its fresh readings in commit order for the rule leader.
    static func openPostgres(
        _ configuration: PostgresStoreConfiguration, stations: StationRegistry, logger: Logger, _ body: (DaemonStore) async throws -> Void
    ) async throws {
        var configuration = configuration
        configuration.logsCommits = true
        try await PostgresStore.withStore(configuration: configuration, stations: stations, logger: logger) { store in
            try await body(
                DaemonStore(
                    store: store, location: configuration.redactedURL, services: [],
                    checks: [
                        HealthCheck("store") {
                            do throws(StoreError) {
                                try await store.checkConnection()
                                return .ok
                            } catch {
                                return .failing(error.message)
                            }
                        }
                    ],
                    localTokenPath: nil, listening: { _ in }, problem: { nil }, postgres: (store, configuration)))
        }
    }
}
