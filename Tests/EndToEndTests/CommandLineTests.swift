import Monitoring
import Foundation
import Testing

extension EndToEnd {
    /// The commands' contracts as a user sees them: exit codes, messages, formats.
    @Suite struct CommandLineTests {
        let dir = NSTemporaryDirectory() + "envmon-cli-\(UUID().uuidString)"

        init() { try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

        @Test func importOfNothingStorableExitsNonZeroWithReasons() async throws {
            let csv = dir + "/bad.csv"
            try "year,month,day,hour,PM2.5,PM10,SO2,NO2,CO,O3,TEMP,PRES,WSPM,station\n2017,1,1,0,x,x,x,x,x,x,x,x,x,Nowhere\n"
                .write(toFile: csv, atomically: false, encoding: .utf8)
            let r = try await Envmon.run(["import", "--db", dir + "/s.sqlite", "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", csv])
            #expect(r.status != 0)
            #expect(r.stdout.contains("1 × unknown station 'Nowhere' (line 2)"))
            #expect(r.stderr.contains("nothing could be stored"))
        }

        @Test func stationErrorsNameFileAndLine() async throws {
            let sensors = dir + "/sensors"
            try FileManager.default.createDirectory(atPath: sensors, withIntermediateDirectories: true)
            try "id: x\nname: X\nkind: stack\nparameters:\n  SO2: {}\n  SO3: {}\n".write(toFile: sensors + "/x.yaml", atomically: false, encoding: .utf8)
            let r = try await Envmon.run(["stations", "--sensors", sensors])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(sensors)/x.yaml:6:3: unknown parameter 'SO3'"))
        }

        @Test func stationsPrintLimitsWithTheirSense() async throws {
            let r = try await Envmon.run(["stations", "--sensors", Envmon.root + "/sensors"])
            #expect(r.status == 0)
            // The boundary section: dissolved oxygen is a minimum, pH a range.
            #expect(r.stdout.contains("DO≥5/day"), "\(r.stdout)")
            #expect(r.stdout.contains("pH 6–9/day"))
            #expect(!r.stdout.contains("DO≤"))
        }

        @Test func demoRunsShowsAnAlertAndStopsWithZeroOnSIGTERM() async throws {
            // The demo as README runs it: the summary, then the daemon until stopped, with the
            // notifications on the console; here until its first firing notification.
            let demo = try DemoProcess(["--db", dir + "/demo.sqlite", "--http-port", "0", "--notifications", dir + "/n.jsonl"])
            // Until the paper mill's alert is on the console and in the file: other groups (a
            // stack's device faults) may be delivered before it, and the console and the file
            // are two targets that deliver on their own.
            let started = Date()
            func fileHasPaperMill() -> Bool {
                let text = (try? String(contentsOfFile: dir + "/n.jsonl", encoding: .utf8)) ?? ""
                return text.split(separator: "\n").contains { $0.contains("qinghe-paper-mill-outlet") && $0.contains("\"firing\"") }
            }
            _ = try await demo.wait(upTo: 120) { demo.output.contains("【告警】清河纸业有限公司废水总排口") && fileHasPaperMill() }
            let alertAfter = Date().timeIntervalSince(started)
            let (status, stderr) = await demo.stop()
            let stdout = demo.output
            #expect(status == 0, "\(stderr)")
            #expect(stdout.contains("守护进程运行中"), "\(stdout.suffix(2_000))")
            #expect(stdout.contains("仪表盘：http://127.0.0.1:"), "the dashboard's address")
            // A firing notification reached the console, and the file, once the daemon ran.
            #expect(stdout.contains("【告警】清河纸业有限公司废水总排口"), "\(stdout.suffix(3_000))")
            #expect(alertAfter < 120)
            let lines = (try? String(contentsOfFile: dir + "/n.jsonl", encoding: .utf8))?.split(separator: "\n") ?? []
            #expect(lines.contains { $0.contains("qinghe-paper-mill-outlet") && $0.contains("\"firing\"") })
            let r = (status: status, stdout: stdout)
            // The rule engine saw everything committed: the paper mill's six-hour COD episode fired.
            let permit = r.stdout.split(separator: "\n").first { $0.contains("outlet-permit-hourly:") } ?? ""
            #expect(permit.contains("qinghe-paper-mill-outlet COD ×"), "\(r.stdout)")
            #expect(r.stdout.contains("notifications in the outbox"))
            // The live part: eight field units, 48 hourly frames each, every one acknowledged after its commit.
            #expect(r.stdout.contains("8 field units: 384 frames sent, 384 acknowledged after commit"))
            #expect(r.stdout.contains("qinghe-wwtp-outlet: 48 frames, 288 readings stored"))
            #expect(r.stdout.contains("Trend: "))
            // The bureau's view: the case register's summary and this year's scorecard, in Chinese.
            #expect(r.stdout.contains("共18项任务：已完成"), "\(r.stdout.suffix(4_000))")
            #expect(r.stdout.contains("生态环境目标考核表（截至"))
            #expect(r.stdout.contains("空气质量优良天数比例"))
            #expect(r.stdout.contains("监测5项，填报2项"))
            // The slice is January 2017: 31 local days at Aotizhongxin.
            #expect(r.stdout.contains("31 days"))

            // The episodes the rules found in January 2017 at Dongsi, for a report.
            let e = try await Envmon.run([
                "alerts", "--db", dir + "/demo.sqlite", "--sensors", "sensors", "--sensors", "seeds/sensors", "--episodes", "--from",
                "2017-01-01", "--to", "2017-02-02", "--station", "bj-dongsi", "--rule", "ambient-daily-gb3095", "--format", "json",
            ])
            #expect(e.status == 0, "\(e.stderr)")
            let object = (try? JSONSerialization.jsonObject(with: Data(e.stdout.utf8))) as? [String: Any] ?? [:]
            let episodes = object["episodes"] as? [[String: Any]] ?? []
            #expect(!episodes.isEmpty, "\(e.stdout)")
            // Each daily episode says how many of its days were above the limit and how many had no data.
            let coverage = episodes.compactMap { $0["coverage"] as? [String: Any] }
            #expect(coverage.count == episodes.count, "\(e.stdout)")
            #expect(coverage.allSatisfy { $0["unit"] as? String == "day" && ($0["above"] as? Int ?? 0) >= 1 })
            #expect(episodes.allSatisfy { $0["station"] as? String == "bj-dongsi" && $0["rule"] as? String == "ambient-daily-gb3095" })
            #expect(episodes.allSatisfy { ($0["started"] as? String ?? "").hasPrefix("2017-01") })
        }

        @Test func rawAndHourlyCSVFormats() async throws {
            let db = dir + "/q.sqlite"
            let imp = try await Envmon.run(["import", "--db", db, "--sensors", "seeds/sensors", "--mapping", "seeds/beijing-prsa.mapping.yaml", "seeds/beijing-slice.csv"])
            #expect(imp.status == 0, "\(imp.stderr)")
            let raw = try await Envmon.run([
                "query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "CO", "--from", "2017-01-01T00:00:00+08:00",
                "--to", "2017-01-01T02:00", "--format", "csv",
            ])
            let lines = raw.stdout.split(separator: "\n")
            #expect(lines.first == "time,value,flag")
            #expect(lines.count == 3)
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("2017-01-01T0") && $0.hasSuffix(",N") })
            let hourly = try await Envmon.run([
                "query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--from", "2017-01-01",
                "--to", "2017-01-01", "--step", "6h", "--agg", "max", "--format", "csv",
            ])
            // One rule for ranges: a date is a whole local day on either end, so --to 2017-01-01
            // includes the 1st (it was excluded, while `report --to` included its date).
            let h = hourly.stdout.split(separator: "\n")
            #expect(h.first == "time,value,count,partial")
            #expect(h.dropFirst().map { String($0.prefix(25)) } == [
                "2017-01-01T00:00:00+08:00", "2017-01-01T06:00:00+08:00", "2017-01-01T12:00:00+08:00", "2017-01-01T18:00:00+08:00",
            ])
            #expect(h.dropFirst().allSatisfy { $0.hasSuffix(",false") })
            // The header echoes the range in the station's local time, as the rows print.
            let table = try await Envmon.run([
                "query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--from", "2017-01-01",
                "--to", "2017-01-01", "--step", "1d",
            ])
            #expect(table.stdout.split(separator: "\n").first?.hasSuffix("2017-01-01T00:00:00+08:00 … 2017-01-02T00:00:00+08:00") == true, "\(table.stdout)")
            // A range that cuts the first and the last bucket keeps both, marked partial, counting
            // only the hours inside it (03:00–05:00 and 18:00–20:00 of hourly data).
            let cut = try await Envmon.run([
                "query", "--db", db, "--sensors", "seeds/sensors", "--station", "bj-dongsi", "--parameter", "PM2.5", "--from", "2017-01-01T03:00",
                "--to", "2017-01-01T21:00", "--step", "6h", "--agg", "count", "--format", "csv",
            ])
            #expect(cut.status == 0, "\(cut.stderr)")
            let c = cut.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            #expect(c.map { $0[0] } == ["2017-01-01T00:00:00+08:00", "2017-01-01T06:00:00+08:00", "2017-01-01T12:00:00+08:00", "2017-01-01T18:00:00+08:00"])
            #expect(c.map { $0[3] } == ["true", "false", "false", "true"])
            #expect(c.map { $0[2] } == ["3", "6", "6", "3"])
        }
    }
}
