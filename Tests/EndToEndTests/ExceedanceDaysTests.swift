import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon report exceedance-days` on one real Beijing site, checked day by day against an
    /// independent python3 reading of the CSV file (Tests/scripts/exceedance_days.py).
    @Suite(.serialized) struct ExceedanceDaysTests {
        static let site = Envmon.sharedData + "/beijing-prsa/PRSA_Data_Aotizhongxin_20130301-20170228.csv"
        let dir = TemporaryDirectory("envmon-exceedance")

        /// What the python script computes straight from the CSV.
        static func independent(_ csv: String) async throws -> [String: Any] {
            let r = try await Python.script(Envmon.root + "/Tests/scripts/exceedance_days.py", [csv])
            try #require(r.status == 0, "exceedance_days.py failed")
            return try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        }

        func report(_ db: String, _ extra: [String] = []) async throws -> [String: Any] {
            let r = try await Envmon.run(
                ["report", "exceedance-days", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-aotizhongxin", "--parameter", "PM2.5"]
                    + extra + ["--format", "json"])
            try #require(r.status == 0, "\(r.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        }

        /// The counts of a summary or year object, in one comparable form.
        static func counts(_ object: Any?) -> [String: Int] {
            let o = object as? [String: Any] ?? [:]
            return ["exceedanceDays", "validDays", "noDataDays"].reduce(into: [:]) { $0[$1] = o[$1] as? Int ?? -1 }
        }

        @Test func pm25ExceedanceDaysOfAotizhongxinMatchAnIndependentComputation() async throws {
            try #require(FileManager.default.fileExists(atPath: Self.site), "the Beijing data set is expected at \(Self.site)")
            let db = dir.file("store.sqlite")
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", Self.site])
            try #require(imp.status == 0, "\(imp.stderr)")

            let truth = try await Self.independent(Self.site)
            let truthDays = try #require(truth["days"] as? [String: [String: Any]])
            let got = try await report(db)
            let days = try #require(got["days"] as? [[String: Any]])

            // The whole period, day by day: the same local dates, hours, means and verdicts.
            #expect(days.compactMap { $0["date"] as? String } == truthDays.keys.sorted())
            var verdicts: [String: Int] = [:]
            for day in days {
                let date = day["date"] as? String ?? "?"
                guard let expected = truthDays[date] else { continue }
                #expect(day["verdict"] as? String == expected["verdict"] as? String, "\(date): verdict")
                #expect(day["validHours"] as? Int == expected["validHours"] as? Int, "\(date): valid hours")
                if let mean = day["mean"] as? Double, let truthMean = expected["mean"] as? Double {
                    #expect(abs(mean - truthMean) <= 1e-9 * truthMean, "\(date): mean \(mean) vs \(truthMean)")
                } else {
                    #expect(day["mean"] is NSNull && expected["mean"] is NSNull, "\(date): a mean on one side only")
                }
                // Every day of 2013–2017 is under GB 3095-2012, grade 2.
                #expect(day["limit"] as? Int == 75 && day["edition"] as? String == "gb3095-2012", "\(date): limit")
                verdicts[day["verdict"] as? String ?? "?", default: 0] += 1
            }

            // The totals, and each year's.
            let summary = got["summary"] as? [String: Any]
            #expect(Self.counts(summary) == Self.counts(truth))
            let exceeds = verdicts["exceeds"] ?? 0, meets = verdicts["meets"] ?? 0, noData = verdicts["no-data"] ?? 0
            #expect(Self.counts(summary) == ["exceedanceDays": exceeds, "validDays": exceeds + meets, "noDataDays": noData])
            let years = summary?["years"] as? [[String: Any]] ?? []
            let truthYears = truth["years"] as? [String: Any] ?? [:]
            #expect(years.compactMap { ($0["year"] as? Int).map(String.init) } == truthYears.keys.sorted())
            for year in years {
                let y = (year["year"] as? Int).map(String.init) ?? "?"
                #expect(Self.counts(year) == Self.counts(truthYears[y]), "\(y)")
            }

            // Plausible for Beijing in 2013–2017: hundreds of smog days, most days valid, some without enough hours.
            let exceedances = Self.counts(summary)["exceedanceDays"] ?? 0, valid = Self.counts(summary)["validDays"] ?? 0
            #expect(exceedances > 100 && exceedances < valid)
            #expect(valid > days.count * 9 / 10 && Self.counts(summary)["noDataDays"] ?? 0 > 0)

            // A chosen year, inclusive of both ends, as JSON and as CSV.
            let year2016 = try await report(db, ["--from", "2016-01-01", "--to", "2016-12-31"])
            #expect((year2016["days"] as? [Any])?.count == 366)
            #expect(Self.counts(year2016["summary"]) == Self.counts(truthYears["2016"]))
            let csv = try await Envmon.run([
                "report", "exceedance-days", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-aotizhongxin", "--parameter", "PM2.5",
                "--from", "2016-01-01", "--to", "2016-12-31", "--format", "csv",
            ])
            var lines = csv.stdout.split(separator: "\n")
            #expect(lines.removeFirst() == "date,valid_hours,mean,limit,edition,verdict")
            #expect(lines.count == 366)
            for line in lines {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                #expect(f.count == 6 && f[5] == truthDays[f[0]]?["verdict"] as? String, "\(line)")
            }
        }

        @Test func badArgumentsAreNamed() async throws {
            let db = dir.file("none.sqlite")
            func run(_ args: String...) async throws -> Envmon.Result {
                try await Envmon.run(["report", "exceedance-days", "--db", db, "--sensors", "seeds/sensors"] + args)
            }
            let station = try await run("--station", "bj-nowhere", "--parameter", "PM2.5")
            #expect(station.status != 0 && station.stderr.contains("unknown station 'bj-nowhere'"))
            let parameter = try await run("--station", "bj-aotizhongxin", "--parameter", "COD")
            #expect(parameter.status != 0 && parameter.stderr.contains("does not report 'COD'"))
            let ozone = try await run("--station", "bj-aotizhongxin", "--parameter", "O3")
            #expect(ozone.status != 0 && ozone.stderr.contains("no 24-h limit for O3"))
            let temperature = try await run("--station", "bj-aotizhongxin", "--parameter", "TEMP")
            #expect(temperature.status != 0 && temperature.stderr.contains("no limit for 'TEMP'"))
            let date = try await run("--station", "bj-aotizhongxin", "--parameter", "PM2.5", "--from", "2016-02-30")
            #expect(date.status != 0 && date.stderr.contains("--from '2016-02-30'"))
            let store = try await run("--station", "bj-aotizhongxin", "--parameter", "PM2.5")
            #expect(store.status != 0 && store.stderr.contains("no store at"))
            #expect(!FileManager.default.fileExists(atPath: db), "a report must not create a store")
        }
    }
}
