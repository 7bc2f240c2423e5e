import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Testing

extension EndToEnd {
    /// The commands that write a store, on PostgreSQL with `--store-url` (the reading ones are
    /// compared with the file in ``DemoMigrationTests``): an import the daemons' rules see (or,
    /// with `--direct`, do not), and silences made and ended in the database.
    @Suite struct PostgresCommandLineTests {
        let dir = TemporaryDirectory("envmon-pg-cli")

        /// The start of the hour the test began in: every file counts back from it, so an hour
        /// turning between two files moves none of them.
        let hour: Date = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            return calendar.dateInterval(of: .hour, for: Date())!.start
        }()

        /// The paper mill's hourly COD `values`, 4, 3 and 2 hours before `hoursBack` hours before
        /// ``hour`` (Beijing time), in the city network's long CSV layout.
        func csv(_ name: String, values: [Int], hoursBack: Int = 0) -> String {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
            let format = DateFormatter()
            format.calendar = calendar
            format.timeZone = calendar.timeZone
            format.dateFormat = "yyyy-MM-dd'T'HH:mm"
            var text = "time,station,parameter,value,flag\n"
            for (ago, cod) in zip([4, 3, 2], values) {
                text += "\(format.string(from: hour.addingTimeInterval(Double(-3_600 * (ago + hoursBack))))),qinghe-paper-mill-outlet,COD,\(cod),N\n"
            }
            return dir.write(name, text)
        }

        @Test func anImportGoesIntoTheDatabaseAndIntoTheRuleLeadersLogUnlessDirect() async throws {
            let database = try await TestDatabase.make()
            let mapping = Envmon.root + "/seeds/city-network.mapping.yaml"
            let first = csv("a.csv", values: [60, 150, 160])
            let imported = try await Envmon.run(["import", "--sensors", "sensors", "--mapping", mapping, "--store-url", database.url, first])
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("samples stored   3 new"), "\(imported.stdout)")
            let q = try await Envmon.run([
                "query", "--sensors", "sensors", "--station", "qinghe-paper-mill-outlet", "--parameter", "COD", "--kind", "hour",
                "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--format", "json", "--store-url", database.url,
            ])
            let rows = ((try? JSONSerialization.jsonObject(with: Data(q.stdout.utf8))) as? [String: Any])?["rows"] as? [[String: Any]] ?? []
            #expect(rows.compactMap { ($0["value"] as? NSNumber)?.doubleValue } == [60, 150, 160], "\(q.stdout)\(q.stderr)")
            // Logged for the rule leader: the three readings, as a daemon's own commits are.
            let logged = try await database.psql("SELECT coalesce(sum(cardinality(value)), 0) FROM commit_log")
            #expect(logged.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "\(logged)")
            // Again: nothing new. With --direct, three earlier hours stored, none logged.
            let again = try await Envmon.run(["import", "--sensors", "sensors", "--mapping", mapping, "--store-url", database.url, first])
            #expect(again.status == 0 && again.stdout.contains("3 duplicates"), "\(again.stdout)\(again.stderr)")
            let direct = try await Envmon.run([
                "import", "--sensors", "sensors", "--mapping", mapping, "--store-url", database.url, "--direct", csv("b.csv", values: [50, 51, 52], hoursBack: 3),
            ])
            #expect(direct.status == 0 && direct.stdout.contains("samples stored   3 new"), "\(direct.stdout)\(direct.stderr)")
            let stored = try await database.psql("SELECT count(*) FROM sample")
            #expect(stored.trimmingCharacters(in: .whitespacesAndNewlines) == "6", "\(stored)")
            let loggedAfter = try await database.psql("SELECT coalesce(sum(cardinality(value)), 0) FROM commit_log")
            #expect(loggedAfter.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "\(loggedAfter)")
        }

        @Test func aSilenceIsMadeListedAndEndedInTheDatabase() async throws {
            let database = try await TestDatabase.make()
            let url = ["--store-url", database.url]
            // A database no daemon has started on: refused by name, and left as it was.
            let early = try await Envmon.run(["alerts", "silences"] + url)
            #expect(early.status != 0 && early.stderr.contains("lacks envmon's schema"), "\(early.stderr)")
            #expect(try await database.psql("SELECT to_regclass('silence') IS NULL").contains("t"))
            // The schema, as a daemon starting on the database makes it.
            try await PostgresStore.withStore(configuration: try PostgresStoreConfiguration(url: database.url), stations: StationRegistry([])) { _ in }
            let made = try await Envmon.run(
                ["alerts", "silence", "--matchers", "station=\"qinghe-paper-mill-outlet\"", "--for", "2h", "--by", "li", "--comment", "检修 (maintenance)"] + url)
            try #require(made.status == 0, "\(made.stderr)")
            let id = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(Int(id) != nil, "\(made.stdout)")
            let rows = try await database.psql("SELECT created_by FROM silence WHERE id = \(id)")
            #expect(rows.contains("li"), "\(rows)")
            let listed = try await Envmon.run(["alerts", "silences", "--format", "json"] + url)
            #expect(listed.status == 0 && listed.stdout.contains("检修") && listed.stdout.contains("\"status\":\"active\""), "\(listed.stdout)\(listed.stderr)")
            let ended = try await Envmon.run(["alerts", "unsilence", id] + url)
            #expect(ended.status == 0 && ended.stdout.contains("silence \(id) ended"), "\(ended.stdout)\(ended.stderr)")
            let inForce = try await Envmon.run(["alerts", "silences", "--format", "json"] + url)
            #expect(inForce.status == 0 && !inForce.stdout.contains("检修"), "\(inForce.stdout)")
            // An episode that does not exist: refused by name, as on the file.
            let ack = try await Envmon.run(["alerts", "ack", "999", "--by", "li"] + url)
            #expect(ack.status != 0 && ack.stderr.contains("999"), "\(ack.stderr)")
        }
    }
}
