import EnvmonConfig
import EnvmonTesting
import Foundation
import PostgresStore
import Yams
import Testing

/// The `store:` section's PostgreSQL keys as the daemon reads them: errors located at
/// `file:line:column`, as every other section's.
@Suite struct PostgresStoreConfigurationLoaderTests {
    let dir = TemporaryDirectory()

    func read(_ text: String, environment: [String: String] = [:]) throws -> (PostgresStoreConfiguration?, [String]) {
        let path = dir.write("envmon.yaml", text)
        let file = try YAMLFile(path: path)
        var errors: [ConfigError] = []
        let node = try #require(file.root?.value(forKey: "store"))
        let c = PostgresStoreConfigurationLoader(environment: environment).read(node, in: file, errors: &errors)
        return (c, errors.map { "\($0)".replacingOccurrences(of: path, with: "envmon.yaml") })
    }

    @Test func aURLAndAPasswordFileMakeTheConfiguration() throws {
        _ = dir.write("pg-password", "s3cret\n")
        let (c, errors) = try read(
            """
            store:
              max_batch: 5000
              url: "postgres://envmon@db.example:5432/envmon?sslmode=require"
              password_file: pg-password
            """, environment: ["PGPASSWORD": "from-env"])
        #expect(errors.isEmpty)
        let config = try #require(c)
        #expect(config.redactedURL == "postgres://envmon@db.example:5432/envmon?sslmode=require")
        // A relative password file is next to the config file; it wins over PGPASSWORD.
        #expect(config.password == "s3cret")
    }

    @Test func withoutAPasswordFileThePasswordIsPGPASSWORD() throws {
        let (c, errors) = try read("store:\n  url: postgres://envmon@db/envmon\n", environment: ["PGPASSWORD": "from-env"])
        #expect(errors.isEmpty)
        #expect(c?.password == "from-env")
        #expect(c?.sslMode == .prefer)
    }

    @Test func withoutAURLTheStoreIsSQLite() throws {
        let (c, errors) = try read("store:\n  path: var/envmon.sqlite\n  staging: true\n")
        #expect(c == nil)
        #expect(errors.isEmpty)
    }

    @Test(arguments: [
        ("mysql://u@h/db", "is not a postgres:// URL"), ("postgres://h/db", "names no user"), ("postgres://u@h", "names no database"),
        ("postgres://u@h/db?sslmode=verify-full", "sslmode=verify-full"), ("postgres://u@h/db?connect_timeout=3", "connect_timeout"),
    ])
    func aBadURLIsLocatedAtItsValue(_ url: String, _ why: String) throws {
        let (c, errors) = try read("store:\n  url: \"\(url)\"\n")
        #expect(c == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("envmon.yaml:2:8: store.url: ") == true, "\(errors)")
        #expect(errors.first?.contains(why) == true, "\(errors)")
    }

    @Test func aPasswordInABadURLStaysOutOfTheMessage() throws {
        let (_, errors) = try read("store:\n  url: \"postgres://u:hunter2@h/db?sslmode=maybe\"\n")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("hunter2") == false, "\(errors)")
        #expect(errors.first?.contains("u:***@h") == true, "\(errors)")
    }

    @Test func anUnreadablePasswordFileIsLocated() throws {
        let (c, errors) = try read("store:\n  url: postgres://u@h/db\n  password_file: /nonexistent/pg-password\n")
        #expect(c == nil)
        #expect(errors == ["envmon.yaml:3:18: store.password_file: cannot read /nonexistent/pg-password"])
    }

    @Test func aPasswordFileWithoutAURLIsAnError() throws {
        let (_, errors) = try read("store:\n  password_file: pw\n")
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("envmon.yaml:2:3: store.password_file needs store.url") == true, "\(errors)")
    }

    @Test func theSQLiteStoresKeysBesideAURLAreErrors() throws {
        let (_, errors) = try read("store:\n  url: postgres://u@h/db\n  path: var/envmon.sqlite\n  synchronous: full\n  max_delay: 10ms\n")
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix("envmon.yaml:3:3: store.path is for the SQLite store") == true, "\(errors)")
        #expect(errors.last?.hasPrefix("envmon.yaml:4:3: store.synchronous is for the SQLite store") == true, "\(errors)")
    }
}
