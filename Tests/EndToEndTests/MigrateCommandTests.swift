import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon migrate` as an operator runs it: the city network's readings and the example case
    /// list, imported into a SQLite store, copied into a new PostgreSQL database and verified; a
    /// second run into the same database is refused.
    @Suite struct MigrateCommandTests {
        let dir = TemporaryDirectory("envmon-migrate")

        @Test func aStoreWithReadingsAndCasesIsCopiedAndVerifiedAndASecondRunIsRefused() async throws {
            let db = dir.file("store.sqlite")
            let imported = try await Envmon.run([
                "import", "--db", db, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", "--format", "json",
                "seeds/city-network.csv",
            ])
            try #require(imported.status == 0, "\(imported.stderr)")
            let cases = try await Envmon.run(["cases", "import", "seeds/cases.yaml", "--by", "demo", "--db", db])
            try #require(cases.status == 0, "\(cases.stderr)")
            let url = try await TestDatabase.make().url

            let migrated = try await Envmon.run(["migrate", "--from", "sqlite:\(db)", "--sensors", "sensors", "--to", url])
            #expect(migrated.status == 0, "\(migrated.stdout)\n\(migrated.stderr)")
            let lines = migrated.stdout.split(separator: "\n").map(String.init)
            let seriesLines = lines.filter { $0.hasSuffix("\tok") }
            #expect(!seriesLines.isEmpty)
            #expect(!lines.contains { $0.contains("DIFFERENT") })
            // Every series line shows the same count and checksum on both sides.
            for line in seriesLines {
                let fields = line.split(separator: "\t")
                #expect(fields.count == 4 && fields[1] == fields[2], "\(line)")
            }
            // The readings the import stored are the readings the migration verified.
            let reports = try #require(try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [[String: Any]])
            let stored = try #require((reports.first?["store"] as? [String: Any])?["inserted"] as? Int, "\(imported.stdout)")
            #expect(lines.last == "\(seriesLines.count) series, \(stored) readings: verified", "\(lines.last ?? "")")
            #expect(lines.contains("case_record\t18\t18"), "\(migrated.stdout)")
            #expect(lines.contains("alert and case rows identical, ids included"))

            let again = try await Envmon.run(["migrate", "--from", "sqlite:\(db)", "--sensors", "sensors", "--to", url])
            #expect(again.status != 0)
            #expect(again.stderr.contains("migrate only into an empty database"), "\(again.stderr)")

            // A server that does not answer: a clear message, not a wait without end.
            let port = try freeLoopbackPort()
            let unreachable = try await Envmon.run([
                "migrate", "--from", "sqlite:\(db)", "--sensors", "sensors", "--to", "postgres://envmon@127.0.0.1:\(port)/x?sslmode=disable",
                "--connect-seconds", "2",
            ])
            #expect(unreachable.status != 0)
            #expect(unreachable.stderr.contains("cannot reach postgres://envmon@127.0.0.1:\(port)/x"), "\(unreachable.stderr)")
        }
    }
}
