import EnvmonConfig
import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Reports
import Store
import Testing

extension EndToEnd {
    /// The issue's second Done-when line: `envmon migrate` of the demo store, then the same
    /// queries and reports give the same answers on both stores (read through the Reports
    /// library, as the command line and the API make them, on each store).
    @Suite struct DemoMigrationTests {
        let dir = TemporaryDirectory("envmon-demo-migrate")

        @Test func theDemoStoreMigratedAnswersEveryQueryAndReportAsBefore() async throws {
            let db = dir.file("demo.sqlite")
            let demo = try await Envmon.run(["demo", "--once", "--db", db, "--http-port", "0", "--notifications", dir.file("n.jsonl")])
            try #require(demo.status == 0, "\(demo.stderr)")
            let url = try await TestDatabase.make().url
            let migrated = try await Envmon.run(["migrate", "--from", "sqlite:\(db)", "--sensors", "sensors", "--sensors", "seeds/sensors", "--to", url])
            try #require(migrated.status == 0, "\(migrated.stdout)\n\(migrated.stderr)")
            #expect(migrated.stdout.contains("readings: verified"), "\(migrated.stdout)")

            // The demo's stations: the city network's and the Beijing sites of seeds/sensors.
            let files = try ["sensors", "seeds/sensors"].flatMap { dir in
                try FileManager.default.contentsOfDirectory(atPath: Envmon.root + "/" + dir).filter { $0.hasSuffix(".yaml") }.sorted()
                    .map { Envmon.root + "/\(dir)/\($0)" }
            }
            let stations = try SensorLoader().load(files: files)
            let sqlite = try SQLiteStore.forReading(path: db, stations: stations)
            let postgres = PostgresStore(configuration: try PostgresStoreConfiguration(url: url), stations: stations)
            let pool = Task { await postgres.run() }
            defer { pool.cancel() }
            let now = Int64(Date().timeIntervalSince1970)
            let stores: [any MonitoringStore] = [sqlite, postgres]

            // Every series: its hourly means over the whole stored range, and its raw readings.
            let series = try await sqlite.allSeries()
            #expect(series.count > 20)
            #expect(try await postgres.allSeries() == series)
            for key in series {
                for step in ["1h", "1d", nil] {
                    let query = SeriesQuery(station: key.station, parameter: key.parameter, kind: key.kind, step: step)
                    var answers: [String] = []
                    for store in stores {
                        answers.append(SeriesQueryOutput.render(try await query.run(stations: stations, store: store, now: now), format: .json))
                    }
                    // Means may differ in the last bit: the two engines sum in different orders.
                    #expect(Self.same(answers[0], answers[1]), "\(key) step \(step ?? "raw"):\n\(answers[0])\n\(answers[1])")
                }
            }
            // The alert listing (instances, recent history, episodes), as `envmon alerts` and the API show it.
            var listings: [Data] = []
            for store in stores {
                let listing = try await AlertListing.make(
                    store: store, stations: stations, now: now, filter: .init(), since: 0, limit: 1_000, episodes: 0..<(now + 86_400))
                listings.append(try JSONSerialization.data(withJSONObject: listing.jsonObject(includingEpisodes: true), options: [.sortedKeys]))
            }
            #expect(listings[0] == listings[1], "\(String(decoding: listings[0], as: UTF8.self))\n\(String(decoding: listings[1], as: UTF8.self))")
            #expect(listings[0].count > 100)
            // The year's air and water reports.
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            var reports: [String] = []
            for store in stores {
                let air = try await AirReport.make(AirReportRequest(period: .year(year)), stations: stations, store: store)
                let water = try await WaterReport.make(WaterReportRequest(period: .year(year)), stations: stations, store: store)
                reports.append(
                    AirReportOutput(report: air, language: .zhCN).render(.json) + WaterReportOutput(report: water, language: .zhCN).render(.json))
            }
            #expect(reports[0] == reports[1])
            // The command line on each store: `--db` against `--store-url`, the same answers (a
            // mean within its last bit).
            let sensors = ["--sensors", "sensors", "--sensors", "seeds/sensors"]
            let probe = try #require(series.first { $0.kind == .hour } ?? series.first)
            let today = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!).civil(at: now).isoDate
            for (command, args) in [
                ("query", ["query", "--station", probe.station, "--parameter", probe.parameter, "--kind", probe.kind.rawValue, "--step", "1d", "--format", "json"]),
                ("report air", ["report", "air", "--year", "\(year)", "--format", "json", "--lang", "en"]),
                ("report water", ["report", "water", "--year", "\(year)", "--format", "json", "--lang", "zh-CN"]),
                // Not --episodes: an open episode's coverage runs to the moment of each run.
                ("alerts list", ["alerts", "list", "--since", "20000d", "--limit", "1000", "--format", "json"]),
                // As of a fixed day: "today" decides what is overdue, and the runs may straddle midnight.
                ("cases list", ["cases", "list", "--format", "json", "--as-of", today]),
                ("cases summary", ["cases", "summary", "--format", "json", "--lang", "en", "--as-of", today]),
            ] {
                let stationsArgs = command.hasPrefix("cases") ? [] : sensors  // the register needs no stations
                let onFile = try await Envmon.run(args + stationsArgs + ["--db", db])
                // `--db` names no file that could exist (under a regular file): only PostgreSQL can answer.
                let onPostgres = try await Envmon.run(args + stationsArgs + ["--db", dir.file("n.jsonl") + "/none.sqlite", "--store-url", url])
                try #require(onFile.status == 0 && onPostgres.status == 0, "\(command): \(onFile.stderr)\n\(onPostgres.stderr)")
                #expect(onFile.stdout.count > 200, "\(command): \(onFile.stdout)")
                #expect(Self.same(onFile.stdout, onPostgres.stdout), "\(command):\n\(onFile.stdout)\n\(onPostgres.stdout)")
            }
            // The case register.
            #expect(try await postgres.caseRegister.cases() == sqlite.caseRegister.cases())
            #expect(try await postgres.caseRegister.caseEvents(nil) == sqlite.caseRegister.caseEvents(nil))
            #expect(try await sqlite.caseRegister.cases().count > 10)
            // A note written through `--store-url` is in the database's register, not in the file's.
            let first = try #require(try await sqlite.caseRegister.cases().first)
            let noted = try await Envmon.run(["cases", "note", first.id, "--text", "现场复核完成 (checked on site)", "--by", "test", "--store-url", url])
            try #require(noted.status == 0, "\(noted.stderr)")
            let shown = try await Envmon.run(["cases", "show", first.id, "--format", "json", "--store-url", url])
            #expect(shown.status == 0 && shown.stdout.contains("现场复核完成"), "\(shown.stdout)\n\(shown.stderr)")
            #expect(try await postgres.caseRegister.caseEvents(first.id).count == sqlite.caseRegister.caseEvents(first.id).count + 1)
            try sqlite.close()
        }
    }
}

extension EndToEnd.DemoMigrationTests {
    /// A `--store-url` that is not PostgreSQL's stops the command at once, naming the option.
    @Test func aBadStoreURLIsRefusedByName() async throws {
        let run = try await Envmon.run(["query", "--station", "s1", "--parameter", "COD", "--store-url", "mysql://u@h/db", "--sensors", "sensors"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--store-url:"), "\(run.stderr)")
    }


    /// Two JSON answers alike, numbers within a relative 1e-9 (a mean summed in another order
    /// differs in its last bit), everything else exactly.
    static func same(_ a: String, _ b: String) -> Bool {
        guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8), options: [.fragmentsAllowed]),
            let y = try? JSONSerialization.jsonObject(with: Data(b.utf8), options: [.fragmentsAllowed])
        else { return a == b }
        return same(x, y)
    }

    static func same(_ x: Any, _ y: Any) -> Bool {
        switch (x, y) {
        case (let x as [String: Any], let y as [String: Any]):
            return x.count == y.count && x.allSatisfy { k, v in y[k].map { same(v, $0) } ?? false }
        case (let x as [Any], let y as [Any]):
            return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case (let x as String, let y as String):
            return x == y
        case (let x as NSNumber, let y as NSNumber):
            let (u, v) = (x.doubleValue, y.doubleValue)
            return u == v || abs(u - v) <= 1e-9 * max(abs(u), abs(v))
        case (is NSNull, is NSNull):
            return true
        default:
            return false
        }
    }
}
