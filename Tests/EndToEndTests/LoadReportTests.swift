import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon report load` on 90 days of the demo outlets and stacks with gaps, calibration hours,
    /// a stopped kiln and a low-capture quarter, imported from a CSV, checked against an
    /// independent python3 reading of the same CSV (Tests/scripts/loads.py): measured and
    /// substituted kilograms and hours per station and pollutant, and each allowance's progress.
    @Suite(.serialized) struct LoadReportTests {
        let dir = TemporaryDirectory("envmon-load")

        static func script(_ arguments: [String]) async throws -> Data {
            let r = try await Python.script(Envmon.root + "/Tests/scripts/loads.py", arguments)
            try #require(r.status == 0, "loads.py \(arguments.first ?? "") failed")
            return r.stdout
        }

        /// Equal to the printed precision (3 decimals of a kilogram) and a relative 1e-9.
        static func close(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return false }
            return abs(a - b) <= 0.0006 + 1e-9 * abs(b)
        }

        @Test func loadsOfTheDemoOutletsMatchAnIndependentComputation() async throws {
            let csv = dir.file("loads.csv")
            _ = try await Self.script(["generate", csv])
            let db = dir.file("store.sqlite")
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", "sensors", "--mapping", "seeds/city-network.mapping.yaml", csv])
            try #require(imp.status == 0, "\(imp.stderr)")
            let targets = dir.file("targets")
            try FileManager.default.createDirectory(atPath: targets, withIntermediateDirectories: true)
            _ = dir.write(
                "targets/allowances.yaml",
                """
                allowances:
                  - name: basin-cod
                    pollutant: COD
                    scope: {kinds: [discharge-outlet], labels: {basin: Baisha River}}
                    baseline: {year: 2025, load: 100t}
                    reduction_per_year: 10%
                  - name: power-so2
                    pollutant: SO2
                    scope: {stations: [qinghe-power-plant-stack]}
                    years: {2026: 200t}
                  - name: kiln-nox
                    pollutant: NOx
                    scope: {stations: [qinghe-cement-kiln-stack]}
                    years: {2025: 500t}

                """)

            let computed = try await Self.script(["compute", csv, "2026-01-01", "2026-03-31"])
            let truth = try #require(try JSONSerialization.jsonObject(with: computed) as? [String: [String: [String: Any]]])
            let r = try await Envmon.run(
                ["report", "load", "--db", db, "--sensors", "sensors", "--targets", targets, "--from", "2026-01-01", "--to", "2026-03-31",
                 "--format", "json", "--lang", "en"])
            try #require(r.status == 0, "\(r.stderr)")
            let got = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let loads = try #require(got["loads"] as? [[String: Any]])

            // Every station and pollutant of the truth, with its kilograms and hours.
            #expect(Set(loads.map { "\($0["group"] ?? "")/\($0["pollutant"] ?? "")" })
                == Set(truth.flatMap { s, ps in ps.keys.map { "\(s)/\($0)" } }))
            for row in loads {
                let station = row["group"] as? String ?? "?", pollutant = row["pollutant"] as? String ?? "?"
                guard let expected = truth[station]?[pollutant] else { continue }
                for key in ["measuredKg", "substitutedKg"] {
                    #expect(Self.close(row[key] as? Double, expected[key] as? Double), "\(station) \(pollutant) \(key): \(row[key] ?? "nil") vs \(expected[key] ?? "nil")")
                }
                for key in ["measuredHours", "substitutedHours", "stoppedHours", "missingHours"] {
                    #expect(row[key] as? Int == expected[key] as? Int, "\(station) \(pollutant) \(key): \(row[key] ?? "nil") vs \(expected[key] ?? "nil")")
                }
                // The load is the flow-weighted mean × the volume, not the plain mean × the volume.
                if let fw = expected["flowWeightedMean"] as? Double, let volume = expected["volumeM3"] as? Double {
                    let factor = ["COD", "NH3-N", "TN", "TP"].contains(pollutant) ? 1e-3 : 1e-6
                    #expect(Self.close(row["totalKg"] as? Double, fw * volume * factor), "\(station) \(pollutant): flow-weighted")
                }
            }
            // Each substitution rule was exercised: short and long gaps, a low-capture quarter, a stopped kiln.
            func hours(_ s: String, _ p: String, _ key: String) -> Int { truth[s]?[p]?[key] as? Int ?? 0 }
            #expect(hours("qinghe-wwtp-outlet", "COD", "substitutedHours") == 47 && hours("qinghe-wwtp-outlet", "TN", "substitutedHours") == 46)
            #expect(hours("qinghe-coking-outlet", "COD", "substitutedHours") > 200)
            #expect(hours("qinghe-cement-kiln-stack", "NOx", "stoppedHours") == 8)
            #expect(hours("qinghe-power-plant-stack", "SO2", "substitutedHours") == 30)

            // Allowances: the year through 31 March, 90 of 365 days.
            let allowances = try #require(got["allowances"] as? [[String: Any]])
            let byName = Dictionary(allowances.map { ($0["name"] as? String ?? "?", $0) }, uniquingKeysWith: { a, _ in a })
            func total(_ stations: [String], _ p: String) -> Double {
                stations.reduce(0) { $0 + ((truth[$1]?[p]?["measuredKg"] as? Double ?? 0) + (truth[$1]?[p]?["substitutedKg"] as? Double ?? 0)) }
            }
            let fraction = 90.0 / 365
            for (name, stations, pollutant, annual) in [
                ("basin-cod", ["qinghe-wwtp-outlet", "qinghe-paper-mill-outlet", "qinghe-coking-outlet"], "COD", 100_000 * 0.9),
                ("power-so2", ["qinghe-power-plant-stack"], "SO2", 200_000.0),
            ] {
                let a = try #require(byName[name])
                let load = a["load"] as? [String: Any] ?? [:]
                let expected = total(stations, pollutant)
                #expect(Set(a["stations"] as? [String] ?? []) == Set(stations), "\(name)")
                #expect(Self.close(load["totalKg"] as? Double, expected), "\(name): \(load["totalKg"] ?? "nil") vs \(expected)")
                #expect(Self.close(a["annualKg"] as? Double, annual), "\(name)")
                #expect(abs((a["elapsedFraction"] as? Double ?? 0) - fraction) < 1e-6)
                #expect(Self.close(a["proRatedKg"] as? Double, annual * fraction), "\(name)")
                #expect(abs((a["share"] as? Double ?? 0) - expected / (annual * fraction)) < 1e-5, "\(name)")
                #expect(Self.close(a["projectedKg"] as? Double, expected / fraction), "\(name)")
                #expect(a["verdict"] as? String == (expected <= annual * fraction ? "on-schedule" : "behind"), "\(name)")
            }
            // 2025's amount is not 2026's.
            #expect(byName["kiln-nox"]?["verdict"] as? String == "no-allowance" && byName["kiln-nox"]?["annualKg"] is NSNull)

            // The same report in Chinese names the verdicts 按序时进度 / 滞后 and the units t and m³/d.
            let zh = try await Envmon.run(
                ["report", "load", "--db", db, "--sensors", "sensors", "--targets", targets, "--from", "2026-01-01", "--to", "2026-03-31"])
            #expect(zh.status == 0, "\(zh.stderr)")
            #expect(zh.stdout.contains("清河纸业有限公司废水总排口") && zh.stdout.contains("化学需氧量") && zh.stdout.contains("m³/d"))
            #expect(zh.stdout.contains("滞后") && zh.stdout.contains("按序时进度") && zh.stdout.contains("2026 年无指标"))
        }

        @Test func badInputNamesTheOptionOrTheFileAndLine() async throws {
            let db = dir.file("none.sqlite")
            let station = try await Envmon.run(["report", "load", "--db", db, "--station", "qinghe-nowhere"])
            #expect(station.status != 0 && station.stderr.contains("--station 'qinghe-nowhere': unknown station"), "\(station.stderr)")
            let future = try await Envmon.run(["report", "load", "--db", db, "--to", "2999-01-01"])
            #expect(future.status != 0 && future.stderr.contains("--to 2999-01-01 is after today"), "\(future.stderr)")
            let air = try await Envmon.run(["report", "load", "--db", db, "--pollutant", "PM2.5"])
            #expect(air.status != 0 && air.stderr.contains("--pollutant 'PM2.5' is not a load pollutant"), "\(air.stderr)")
            let targets = dir.file("bad-targets")
            try FileManager.default.createDirectory(atPath: targets, withIntermediateDirectories: true)
            _ = dir.write(
                "bad-targets/allowances.yaml",
                """
                allowances:
                  - name: cod
                    pollutant: COD
                    scope: {stations: [qinghe-nowhere]}
                    baseline: {year: 2025, load: lots}
                    reduction_per_year: 8%

                """)
            let bad = try await Envmon.run(["report", "load", "--db", db, "--targets", targets])
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("allowances.yaml:4:24: station 'qinghe-nowhere' is not defined in sensors/"), "\(bad.stderr)")
            #expect(bad.stderr.contains("allowances.yaml:5:15: baseline must be"), "\(bad.stderr)")
        }
    }
}
