import EnvmonTesting
import Foundation
import PostgresStore
import Store
import Testing

/// The store URL in libpq's terms, and where the password comes from.
@Suite struct PostgresStoreConfigurationTests {
    @Test func readsUserHostPortDatabaseAndSSLMode() throws {
        let c = try PostgresStoreConfiguration(url: "postgres://envmon@db.example:6432/monitoring?sslmode=require", environment: [:])
        #expect(c.username == "envmon")
        #expect(c.host == "db.example")
        #expect(c.port == 6432)
        #expect(c.database == "monitoring")
        #expect(c.sslMode == .require)
        #expect(c.password == nil)
        #expect(c.redactedURL == "postgres://envmon@db.example:6432/monitoring?sslmode=require")
        // libpq's defaults: port 5432, sslmode prefer.
        let d = try PostgresStoreConfiguration(url: "postgresql://u@h/db", environment: [:])
        #expect(d.port == 5432)
        #expect(d.sslMode == .prefer)
    }

    @Test func thePasswordComesFromTheFileThenPGPASSWORD() throws {
        let dir = TemporaryDirectory()
        let file = dir.write("pw", "s3cret\nignored\n")
        let fromFile = try PostgresStoreConfiguration(url: "postgres://u@h/db", passwordFile: file, environment: ["PGPASSWORD": "env"])
        #expect(fromFile.password == "s3cret")
        let fromEnvironment = try PostgresStoreConfiguration(url: "postgres://u@h/db", environment: ["PGPASSWORD": "env"])
        #expect(fromEnvironment.password == "env")
        #expect(!fromFile.redactedURL.contains("s3cret"))
    }

    @Test(arguments: [
        "mysql://u@h/db", "postgres://h/db", "postgres://u@h", "postgres://u@h/db?sslmode=verify-full", "postgres://u@h/db?timeout=3",
    ])
    func aWrongURLIsRefusedNamingWhat(_ url: String) {
        #expect(throws: StoreError.self) { try PostgresStoreConfiguration(url: url, environment: [:]) }
    }

    @Test func anUnreadablePasswordFileIsRefused() {
        #expect(throws: StoreError.self) {
            try PostgresStoreConfiguration(url: "postgres://u@h/db", passwordFile: "/nonexistent/pw", environment: [:])
        }
    }
}
