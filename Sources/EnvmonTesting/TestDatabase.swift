/// A fresh database on the shared test PostgreSQL (``PostgresServer/shared()``), made and queried
/// off Swift's cooperative pool (``OffPool``): initdb, pg_ctl and psql are waited for, and a
/// blocked pool thread of two starves the tests beside this one.
///
/// ```swift
/// let db = try await TestDatabase.make()
/// let rows = try await db.psql("SELECT count(*) FROM sample")
/// ```
public struct TestDatabase: Sendable {
    /// The server the database is on.
    public let server: PostgresServer
    /// Its `postgres://` URL.
    public let url: String
    /// Its name.
    public let name: String

    /// Creates a new, empty database on the shared server (starting the server the first time).
    public static func make() async throws -> TestDatabase {
        try await OffPool.run {
            let server = try PostgresServer.shared()
            let url = try server.createDatabase()
            return TestDatabase(server: server, url: url, name: String(url.split(separator: "/").last!.split(separator: "?").first!))
        }
    }

    /// What psql prints for `sql`, run on this database.
    public func psql(_ sql: String) async throws -> String {
        try await OffPool.run { [server, name] in try server.psql(sql, database: name) }
    }
}
