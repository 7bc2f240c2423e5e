import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// The `store:` section's PostgreSQL keys: a mistake stops `envmon serve` before it opens
    /// anything, located at `file:line:column` as in every other section.
    @Suite(.serialized) struct StoreConfigEndToEndTests {
        let dir = TemporaryDirectory()

        @Test func aBadStoreURLOrAnUnknownKeyStopsStartUpLocated() async throws {
            let config = dir.write("envmon.yaml", "store:\n  url: \"postgres://envmon@db.example/envmon?sslmode=verify-full\"\n  uri: x\n")
            let r = try await Envmon.run(["serve", "--config", config])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(config):2:8: store.url: sslmode=verify-full"), "\(r.stderr)")
            #expect(r.stderr.contains("\(config):3:3: unknown key 'uri' in store"), "\(r.stderr)")
        }

        @Test func theSQLiteKeysBesideAURLAndAnUnreadablePasswordFileAreErrors() async throws {
            let config = dir.write(
                "pg.yaml", "store:\n  url: postgres://envmon@db.example/envmon\n  password_file: missing-password\n  path: var/envmon.sqlite\n")
            let r = try await Envmon.run(["serve", "--config", config])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(config):3:18: store.password_file: cannot read \(dir.file("missing-password"))"), "\(r.stderr)")
            #expect(r.stderr.contains("\(config):4:3: store.path is for the SQLite store"), "\(r.stderr)")
        }

        @Test func dbOnTheCommandLineCannotStandBesideAStoreURL() async throws {
            let config = dir.write("db.yaml", "store:\n  url: postgres://envmon@db.example/envmon\n")
            let r = try await Envmon.run(["serve", "--config", config, "--db", dir.file("s.sqlite")])
            #expect(r.status != 0)
            #expect(r.stderr.contains("config's store.url puts the store on PostgreSQL (postgres://envmon@db.example:5432/envmon?sslmode=prefer)"), "\(r.stderr)")
        }
    }
}
