import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon report air` on two real Beijing sites for 2014–2016, checked against an independent
    /// python3 reading of the CSV files (Tests/scripts/air_evaluation.py).
    @Suite(.serialized) struct AirReportEndToEndTests {
        static let files = ["Aotizhongxin", "Dongsi"].map { Envmon.sharedData + "/beijing-prsa/PRSA_Data_\($0)_20130301-20170228.csv" }
        static let ids = ["Aotizhongxin": "bj-aotizhongxin", "Dongsi": "bj-dongsi"]
        let dir = TemporaryDirectory("envmon-air")

        /// What the python script computes straight from the CSVs, per year.
        static func independent(_ years: [Int]) async throws -> [String: Any] {
            let r = try await Python.script(Envmon.root + "/Tests/scripts/air_evaluation.py", [years.map(String.init).joined(separator: ",")] + files)
            try #require(r.status == 0, "air_evaluation.py failed")
            return try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        }

        static func close(_ a: Any?, _ b: Any?) -> Bool {
            guard let x = a as? Double, let y = b as? Double else { return a is NSNull && b is NSNull }
            return abs(x - y) <= 1e-9 * max(1, abs(y))
        }

        /// One evaluation object of envmon against the script's.
        static func compare(_ got: [String: Any], _ truth: [String: Any], _ what: String) {
            #expect(got["validDays"] as? Int == truth["validDays"] as? Int, "\(what): valid days")
            #expect(got["goodDays"] as? Int == truth["goodDays"] as? Int, "\(what): good days")
            #expect(close(got["goodDayShare"], truth["goodDayShare"]), "\(what): good-day share")
            #expect(close(got["compositeIndex"], truth["compositeIndex"]), "\(what): composite index \(got["compositeIndex"] ?? "?") vs \(truth["compositeIndex"] ?? "?")")
            for group in ["annualMean", "percentiles"] {
                let g = got[group] as? [String: Any] ?? [:]
                let t = truth[group] as? [String: Any] ?? [:]
                #expect(Set(g.keys) == Set(t.keys), "\(what): \(group) keys")
                for (key, value) in t {
                    #expect(close(g[key], value), "\(what): \(group) \(key) \(g[key] ?? "?") vs \(value)")
                }
            }
        }

        @Test func twoBeijingSitesAndTheirCityMatchAnIndependentComputationFor2014To2016() async throws {
            for file in Self.files { try #require(FileManager.default.fileExists(atPath: file), "the Beijing data set is expected at \(file)") }
            let db = dir.file("store.sqlite")
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml"] + Self.files)
            try #require(imp.status == 0, "\(imp.stderr)")
            let years = [2014, 2015, 2016]
            let truth = try await Self.independent(years)
            for year in years {
                let r = try await Envmon.run([
                    "report", "air", "--db", db, "--sensors", "seeds/sensors", "--site", "bj-aotizhongxin", "--site", "bj-dongsi",
                    "--year", "\(year)", "--format", "json",
                ])
                try #require(r.status == 0, "\(r.stderr)")
                let got = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                let expected = try #require(truth["\(year)"] as? [String: Any])
                let sites = got["sites"] as? [[String: Any]] ?? []
                #expect(sites.compactMap { $0["site"] as? String } == ["bj-aotizhongxin", "bj-dongsi"])
                for (name, t) in expected["sites"] as? [String: [String: Any]] ?? [:] {
                    let site = try #require(sites.first { $0["site"] as? String == Self.ids[name] }, "\(name)")
                    #expect(site["period"] as? String == "\(year)" && site["days"] as? Int == (year == 2016 ? 366 : 365))
                    Self.compare(site, t, "\(year) \(name)")
                }
                let city = try #require(got["city"] as? [String: Any])
                Self.compare(city, try #require(expected["city"] as? [String: Any]), "\(year) city")
                // Beijing then: far from good air; the figures are judged by GB 3095-2012.
                #expect(got["edition"] as? String == "gb3095-2012")
                let verdicts = (city["verdicts"] as? [String: Any])?["annualMean"] as? [String: String]
                #expect(verdicts?["PM2.5"] == "exceeds" && verdicts?["SO2"] == "meets")
            }

            // The same report as text, in Chinese and in English, and as CSV.
            let args = ["report", "air", "--db", db, "--sensors", "seeds/sensors", "--label", "city=Beijing", "--year", "2016"]
            let zh = try await Envmon.run(args)
            #expect(zh.status == 0 && zh.stdout.contains("优良天数比例") && zh.stdout.contains("北京奥体中心") && zh.stdout.contains("综合指数"))
            #expect(zh.stdout.contains("《城市环境空气质量排名技术规定》"))
            let en = try await Envmon.run(args + ["--lang", "en"])
            #expect(en.status == 0 && en.stdout.contains("good-day share") && en.stdout.contains("Beijing Aotizhongxin"))
            // Sites with no data in the store still appear (ten of the twelve were not imported): no valid days.
            let csv = try await Envmon.run(args + ["--format", "csv"])
            let lines = csv.stdout.split(separator: "\n")
            #expect(lines.count == 1 + 12 + 1 && lines.last?.hasPrefix("city,2016,366,") == true)
        }

        @Test func badArgumentsAreNamed() async throws {
            let db = dir.file("none.sqlite")
            func run(_ args: String...) async throws -> Envmon.Result {
                try await Envmon.run(["report", "air", "--db", db, "--sensors", "seeds/sensors"] + args)
            }
            let none = try await run()
            #expect(none.status != 0 && none.stderr.contains("give one period"))
            let month = try await run("--month", "2016-13")
            #expect(month.status != 0 && month.stderr.contains("--month '2016-13'"))
            let label = try await run("--year", "2016", "--label", "city=Atlantis")
            #expect(label.status != 0 && label.stderr.contains("--label city=Atlantis"))
            let site = try await run("--year", "2016", "--site", "bj-nowhere")
            #expect(site.status != 0 && site.stderr.contains("--site 'bj-nowhere'"))
            let lang = try await run("--year", "2016", "--lang", "fr")
            #expect(lang.status != 0 && lang.stderr.contains("'fr'") && lang.stderr.contains("--lang"), "\(lang.stderr)")
            let store = try await run("--year", "2016")
            #expect(store.status != 0 && store.stderr.contains("no store at"))
            #expect(!FileManager.default.fileExists(atPath: db), "a report must not create a store")
        }
    }
}
