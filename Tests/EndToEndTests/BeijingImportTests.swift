import Foundation
import Testing

extension EndToEnd {
    /// The whole Beijing multi-site data set through `envmon import` and `envmon query`, checked
    /// against an independent reading of the CSV files.
    @Suite(.serialized) struct BeijingImportTests {
        static let folder = Envmon.sharedData + "/beijing-prsa"
        let db = NSTemporaryDirectory() + "envmon-beijing-\(UUID().uuidString).sqlite"

        /// Per file: station name → (count of non-NA PM2.5 cells, daily (sum, count) by local date).
        struct Independent {
            var station = ""
            var pm25 = 0
            var days: [String: (sum: Double, count: Int)] = [:]
        }

        static func independent(_ path: String) throws -> Independent {
            // Deliberately naive: the PRSA files have no commas inside quotes.
            let text = try String(contentsOfFile: path, encoding: .utf8)
            var lines = text.split(whereSeparator: \.isNewline)
            let header = lines.removeFirst().split(separator: ",").map { $0.replacingOccurrences(of: "\"", with: "") }
            let y = header.firstIndex(of: "year")!, m = header.firstIndex(of: "month")!, d = header.firstIndex(of: "day")!
            let pm = header.firstIndex(of: "PM2.5")!, st = header.firstIndex(of: "station")!
            var result = Independent()
            for line in lines {
                let f = line.split(separator: ",", omittingEmptySubsequences: false)
                result.station = f[st].replacingOccurrences(of: "\"", with: "")
                guard f[pm] != "NA", let v = Double(f[pm]) else { continue }
                result.pm25 += 1
                let key = String(format: "%04d-%02d-%02d", Int(f[y])!, Int(f[m])!, Int(f[d])!)
                result.days[key, default: (0, 0)].sum += v
                result.days[key, default: (0, 0)].count += 1
            }
            return result
        }

        var files: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: Self.folder)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
                .map { Self.folder + "/" + $0 }
        }

        // The commands run off the cooperative pool: an import of the whole set takes a minute,
        // and a test that waits on it there holds one of the pool's two threads (on two cores)
        // from the in-process servers of the suites that run meanwhile.
        func importAll() async throws -> [[String: Any]] {
            let r = try await Envmon.run(
                ["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", "--format", "json"] + files)
            #expect(r.status == 0, "\(r.stderr)")
            return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        }

        @Test func everyPM25CellIsStoredOnceAndDailyMeansMatch() async throws {
            try #require(files.count == 12, "the Beijing data set is expected at \(Self.folder)")
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) } }

            let first = try await importAll()
            #expect(first.count == 12)
            for report in first {
                #expect(report["rowsRejected"] as? Int == 0)
                #expect(report["valuesRejected"] as? Int == 0)
            }

            for file in files {
                let truth = try Self.independent(file)
                let id = "bj-" + truth.station.lowercased()
                // Raw PM2.5 readings as stored.
                let raw = try await Envmon.run(["query", "--db", db, "--sensors", "seeds/sensors", "--station", id, "--parameter", "PM2.5", "--format", "csv"])
                #expect(raw.status == 0, "\(raw.stderr)")
                let rawRows = raw.stdout.split(separator: "\n").dropFirst()
                #expect(rawRows.count == truth.pm25, "\(id): stored PM2.5 samples vs non-NA cells")

                // Daily means of local calendar days, with counts.
                let daily = try await Envmon.run([
                    "query", "--db", db, "--sensors", "seeds/sensors", "--station", id, "--parameter", "PM2.5", "--step", "1d", "--agg",
                    "avg", "--format", "csv",
                ])
                #expect(daily.status == 0, "\(daily.stderr)")
                var lines = daily.stdout.split(separator: "\n")
                #expect(lines.removeFirst() == "time,value,count,partial")
                #expect(lines.count == truth.days.count, "\(id): number of days")
                for line in lines {
                    let f = line.split(separator: ",")
                    let time = String(f[0])
                    #expect(time.hasSuffix("T00:00:00+08:00"), "\(id): bucket \(time) must start at local midnight")
                    let day = String(time.prefix(10))
                    guard let expected = truth.days[day], let value = Double(f[1]), let count = Int(f[2]) else {
                        Issue.record("\(id): unexpected day \(line)")
                        continue
                    }
                    #expect(count == expected.count, "\(id) \(day): count")
                    // No --from or --to: the range is the data's, widened to whole days, so no day is cut.
                    #expect(f.count == 4 && f[3] == "false", "\(id) \(day): \(line)")
                    let mean = expected.sum / Double(expected.count)
                    #expect(abs(value - mean) <= 1e-9 * max(1, abs(mean)), "\(id) \(day): \(value) vs \(mean)")
                }
            }

            // Re-importing stores nothing new.
            let second = try await importAll()
            for report in second {
                let store = report["store"] as! [String: Any]
                #expect(store["inserted"] as? Int == 0)
                #expect(store["changed"] as? Int == 0)
                #expect((store["duplicates"] as? Int ?? 0) > 0)
            }
        }
    }
}
