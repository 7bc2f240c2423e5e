import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// A kill at any moment leaves every committed batch whole: raw samples and their rollups are
    /// written in one transaction, so after a SIGKILL they still agree, and a second import completes.
    @Suite struct KillDuringImportTests {
        let db = NSTemporaryDirectory() + "envmon-kill-\(UUID().uuidString).sqlite"
        let file = Envmon.sharedData + "/beijing-prsa/PRSA_Data_Dongsi_20130301-20170228.csv"

        func count(_ args: [String]) async throws -> (raw: Int, hourly: Int) {
            let common = ["query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--format", "csv"]
            let raw = try await Envmon.run(common + args)
            let hourly = try await Envmon.run(common + args + ["--step", "1h", "--agg", "count"])
            // time,value,count,partial: the count is the third column.
            let hourlySum = hourly.stdout.split(separator: "\n").dropFirst().compactMap { Int($0.split(separator: ",")[2]) }
                .reduce(0, +)
            return (raw.stdout.split(separator: "\n").count - 1, hourlySum)
        }

        @Test func sigkillMidImportLeavesWholeBatches() async throws {
            try #require(FileManager.default.fileExists(atPath: file), "the Beijing data set is expected at \(file)")
            defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) } }
            let process = SpawnedProcess()
            process.executableURL = URL(fileURLWithPath: Envmon.binary)
            process.arguments = ["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", file]
            process.currentDirectoryURL = URL(fileURLWithPath: Envmon.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill once the first batch (100,000 samples of about 380,000) is committed, well before
            // the end. The database and its WAL together grow with what is committed, whichever of
            // them the background checkpointer has moved it to.
            func committedBytes() -> Int {
                ["", "-wal"].reduce(0) { sum, suffix in
                    sum + ((try? FileManager.default.attributesOfItem(atPath: db + suffix)[.size] as? Int) ?? 0)
                }
            }
            var waited = 0
            while waited < 3_000, committedBytes() < 1_500_000, process.isRunning {
                try await Task.sleep(for: .milliseconds(5))
                waited += 1
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)

            let partial = try await count(["--from", "2013-01-01", "--to", "2018-01-01"])
            #expect(partial.raw == partial.hourly, "raw samples and rollups disagree after the kill")

            let again = try await Envmon.run(["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", file])
            #expect(again.status == 0, "\(again.stderr)")
            let full = try await count(["--from", "2013-01-01", "--to", "2018-01-01"])
            #expect(full.raw == full.hourly)
            // The kill must have come mid-import, or this test proved nothing.
            #expect(partial.raw < full.raw, "killed after the import finished (\(partial.raw) samples)")
            #expect(full.raw == 34_314)  // non-NA PM2.5 cells in the Dongsi file
        }
    }
}
