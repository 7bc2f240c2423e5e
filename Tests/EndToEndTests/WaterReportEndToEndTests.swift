import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon report water` on a month of the demo's boundary section and an upstream section, from a
    /// CSV the test writes and imports, checked against an independent python3 reading of that CSV
    /// (Tests/scripts/section_month.py).
    @Suite(.serialized) struct WaterReportEndToEndTests {
        let dir = TemporaryDirectory("envmon-water")

        /// An upstream section of the Baisha River, for the comparison (kept out of sensors/, which the demo runs).
        static let upstream = """
            id: qinghe-baisha-river-entry
            name: "白沙河入境断面 (Baisha River entry section)"
            kind: surface-water
            time_zone: Asia/Shanghai
            interval: 4h
            labels:
              basin: Baisha River
              target_class: III
              river_position: upstream
            parameters:
              DO: {unit: mg/L}
              CODMn: {unit: mg/L}
              COD: {unit: mg/L}
              BOD5: {unit: mg/L}
              NH3-N: {unit: mg/L}
              TP: {unit: mg/L}
              pH: {unit: "1"}
              WT: {unit: °C}

            """

        /// June 2026 every 4 hours: values that wander across class limits, and some flagged rows.
        static func csv() -> String {
            var out = "time,station,parameter,value,flag\n"
            let sections: [(String, [String: Double])] = [
                ("qinghe-baisha-river-boundary", ["DO": 5.5, "CODMn": 5, "COD": 22, "BOD5": 3.5, "NH3-N": 1.1, "TP": 0.15, "pH": 7.6, "WT": 24]),
                ("qinghe-baisha-river-entry", ["DO": 7, "CODMn": 3.5, "COD": 14, "BOD5": 2.5, "NH3-N": 0.4, "TP": 0.08, "pH": 7.8, "WT": 23]),
            ]
            for day in 1...30 {
                for hour in stride(from: 0, to: 24, by: 4) {
                    let i = Double(day * 6 + hour / 4)
                    for (station, base) in sections {
                        for (parameter, value) in base.sorted(by: { $0.key < $1.key }) {
                            let v = value * (1 + 0.25 * sin(i * 0.7 + Double(parameter.count)))
                            let digits = value < 1 ? 3 : 2
                            let flag = (day == 10 && hour == 8) ? "M" : (day == 20 && hour == 12 ? "D" : "N")
                            out += String(format: "2026-06-%02d", day) + String(format: "T%02d:00", hour)
                            out += ",\(station),\(parameter),\(String(format: "%.\(digits)f", flag == "N" ? v : v * 5)),\(flag)\n"
                        }
                    }
                }
            }
            return out
        }

        static func independent(_ csv: String) async throws -> [String: [String: Any]] {
            let r = try await Python.script(Envmon.root + "/Tests/scripts/section_month.py", [csv, "III"])
            try #require(r.status == 0, "section_month.py failed")
            return try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: [String: Any]])
        }

        @Test func aMonthOfTwoSectionsMatchesAnIndependentComputation() async throws {
            let sensors = dir.file("sensors")
            try FileManager.default.createDirectory(atPath: sensors, withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: Envmon.root + "/sensors/qinghe-baisha-river-boundary.yaml", toPath: sensors + "/qinghe-baisha-river-boundary.yaml")
            try Self.upstream.write(toFile: sensors + "/qinghe-baisha-river-entry.yaml", atomically: true, encoding: .utf8)
            let csv = dir.file("june.csv")
            try Self.csv().write(toFile: csv, atomically: true, encoding: .utf8)
            let db = dir.file("store.sqlite")
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", sensors, "--mapping", "seeds/city-network.mapping.yaml", csv])
            try #require(imp.status == 0, "\(imp.stderr)")

            let truth = try await Self.independent(csv)
            let r = try await Envmon.run(["report", "water", "--db", db, "--sensors", sensors, "--month", "2026-06", "--format", "json"])
            try #require(r.status == 0, "\(r.stderr)")
            let got = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let sections = got["sections"] as? [[String: Any]] ?? []
            #expect(sections.count == 2)
            var met = 0
            for section in sections {
                let id = section["section"] as? String ?? "?"
                let t = try #require(truth[id], "\(id)")
                #expect(section["targetClass"] as? String == "III")
                let month = try #require((section["months"] as? [[String: Any]])?.first)
                #expect(month["month"] as? String == "2026-06")
                #expect(month["class"] as? String == t["class"] as? String, "\(id): class")
                #expect(month["meetsTarget"] as? Bool == t["meetsTarget"] as? Bool, "\(id): target met")
                if t["meetsTarget"] as? Bool == true { met += 1 }
                let means = month["means"] as? [String: Double] ?? [:]
                for (p, v) in t["means"] as? [String: Double] ?? [:] where p != "WT" {
                    #expect(abs((means[p] ?? .nan) - v) <= 1e-9 * v, "\(id): \(p) mean")
                }
                #expect(month["readings"] as? [String: Int] == (t["readings"] as? [String: Int])?.filter { $0.key != "WT" }, "\(id): readings")
                #expect(month["itemClasses"] as? [String: String] == t["itemClasses"] as? [String: String], "\(id): item classes")
                let exceedances = month["exceedances"] as? [[String: Any]] ?? []
                let truthExceedances = t["exceedances"] as? [String: Any] ?? [:]
                #expect(Set(exceedances.compactMap { $0["parameter"] as? String }) == Set(truthExceedances.keys), "\(id): items above the target")
                for e in exceedances {
                    let p = e["parameter"] as? String ?? "?"
                    if let expected = truthExceedances[p] as? Double {
                        #expect(abs((e["multiple"] as? Double ?? .nan) - expected) <= 1e-9, "\(id): \(p) multiple")
                    } else {
                        #expect(e["multiple"] is NSNull, "\(id): \(p) has no multiple")
                    }
                }
                #expect((month["evaluatedItems"] as? [String])?.contains("WT") == false)
            }
            // The downstream section does worse than the upstream one: a real comparison to print.
            #expect(truth["qinghe-baisha-river-boundary"]?["meetsTarget"] as? Bool == false)
            #expect(truth["qinghe-baisha-river-entry"]?["meetsTarget"] as? Bool == true)
            let rate = got["complianceRate"] as? [String: Any]
            #expect(rate?["monthsMeetingTarget"] as? Int == met && rate?["monthsAssessed"] as? Int == 2)
            let pairs = got["upstreamDownstream"] as? [[String: Any]] ?? []
            #expect(pairs.count == 1 && pairs.first?["upstream"] as? String == "qinghe-baisha-river-entry")
            #expect(pairs.first?["downstream"] as? String == "qinghe-baisha-river-boundary")

            let zh = try await Envmon.run(["report", "water", "--db", db, "--sensors", sensors, "--month", "2026-06"])
            #expect(zh.status == 0 && zh.stdout.contains("白沙河清临交界断面") && zh.stdout.contains("断面达标率") && zh.stdout.contains("上下游对比"))
            let en = try await Envmon.run(["report", "water", "--db", db, "--sensors", sensors, "--month", "2026-06", "--lang", "en"])
            #expect(en.status == 0 && en.stdout.contains("Compliance rate: 1/2") && en.stdout.contains("Upstream against downstream"))
        }
    }
}
