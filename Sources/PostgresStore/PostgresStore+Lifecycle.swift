import PostgresNIO
public import Store

extension PostgresStore {
    /// Nothing to commit or release: every write is its own transaction, committed before it
    /// returns, and the connection pool stops when ``run()``'s task ends. For the seam's
    /// ``MonitoringStore/close()``; the store must not be used afterwards all the same.
    public func close() throws(StoreError) {}

    /// Checks that the database answers now (`SELECT 1` on a pooled connection): the daemon's
    /// `/readyz` check of its store.
    /// - Throws: ``StoreError`` with code `read`, with the server's or the network's message.
    public func checkConnection() async throws(StoreError) {
        do {
            let rows = try await client.query("SELECT 1", logger: logger)
            for try await _ in rows.decode(Int32.self) {}
        } catch {
            throw Self.error(.read, "the database at \(configuration.redactedURL) does not answer", error)
        }
    }
}

extension PostgresStore {
    /// Updates the planner's statistics of every table (`ANALYZE`): after a bulk load (a
    /// migration) the planner would otherwise take the new tables for empty until autovacuum
    /// comes round.
    public func analyze() async throws(StoreError) {
        do {
            try await execute("ANALYZE")
        } catch {
            throw Self.error(.write, "cannot analyze the database at \(configuration.redactedURL)", error)
        }
    }
}
