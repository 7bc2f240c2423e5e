import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon cases` as an operator runs it: the shipped example list imported, its summary as
    /// of a date checked against an independent python3 reading of the file
    /// (Tests/scripts/cases_summary.py), then a note, a closing, a refusal and a re-import.
    @Suite struct CasesCommandTests {
        let dir = TemporaryDirectory("envmon-cases")

        func envmon(_ arguments: [String]) async throws -> Envmon.Result {
            try await Envmon.run(["cases"] + arguments + ["--db", dir.file("store.sqlite")])
        }

        static func independent(_ file: String, asOf: String) async throws -> [String: Any] {
            let r = try await Python.script(Envmon.root + "/Tests/scripts/cases_summary.py", [file, asOf])
            try #require(r.status == 0, "cases_summary.py failed")
            return try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        }

        static let fields = ["total", "finished", "open", "inProgress", "done", "closed", "overdue"]

        @Test func theExampleListImportsAndItsSummaryAsOfADateMatchesAnIndependentCount() async throws {
            let imported = try await envmon(["import", "seeds/cases.yaml", "--by", "demo"])
            try #require(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("新登记18项"), "\(imported.stdout)")

            for asOf in ["2026-06-30", "2026-09-30", "2026-11-30"] {
                let truth = try await Self.independent("seeds/cases.yaml", asOf: asOf)
                let r = try await envmon(["summary", "--as-of", asOf, "--format", "json"])
                try #require(r.status == 0, "\(r.stderr)")
                let got = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
                for f in Self.fields { #expect(got[f] as? Int == truth[f] as? Int, "\(asOf) \(f)") }
                let truthSources = truth["bySource"] as? [String: [String: Int]] ?? [:]
                for s in got["bySource"] as? [[String: Any]] ?? [] {
                    let key = s["source"] as? String ?? "?"
                    for f in Self.fields { #expect(s[f] as? Int == truthSources[key]?[f], "\(asOf) \(key) \(f)") }
                }
                #expect((got["bySource"] as? [Any])?.count == truthSources.count)
                let truthUnits = truth["byUnit"] as? [String: [String: Int]] ?? [:]
                #expect(Set((got["byUnit"] as? [[String: Any]] ?? []).compactMap { $0["unit"] as? String }) == Set(truthUnits.keys))
                for u in got["byUnit"] as? [[String: Any]] ?? [] {
                    let key = u["unit"] as? String ?? "?"
                    for f in Self.fields { #expect(u[f] as? Int == truthUnits[key]?[f], "\(asOf) \(key) \(f)") }
                }
            }

            // The report's own sentence, in both languages, from the independent counts.
            let truth = try await Self.independent("seeds/cases.yaml", asOf: "2026-09-30")
            let n = { (f: String) in truth[f] as? Int ?? -1 }
            let zh = try await envmon(["summary", "--as-of", "2026-09-30"])
            #expect(zh.stdout.contains("共\(n("total"))项任务：已完成\(n("finished"))项（其中已销号\(n("closed"))项），整改中\(n("inProgress"))项；逾期\(n("overdue"))项"), "\(zh.stdout)")
            #expect(zh.stdout.contains("按来源") && zh.stdout.contains("中央环保督察") && zh.stdout.contains("按责任单位"))
            let en = try await envmon(["summary", "--as-of", "2026-09-30", "--lang", "en"])
            #expect(en.stdout.contains("\(n("total")) tasks: \(n("finished")) done (\(n("closed")) closed), \(n("inProgress")) in progress; \(n("overdue")) overdue"), "\(en.stdout)")

            // Overdue as of the date, from the list.
            let overdue = try await envmon(["list", "--overdue", "--as-of", "2026-09-30", "--format", "csv"])
            #expect(overdue.stdout.split(separator: "\n").count - 1 == n("overdue"), "\(overdue.stdout)")
        }

        @Test func aCaseIsNotedClosedAndShownWithItsHistoryAndWrongMovesAreRefused() async throws {
            let imported = try await envmon(["import", "seeds/cases.yaml", "--by", "demo"])
            try #require(imported.status == 0)
            let early = try await envmon(["close", "ZY-2026-02", "--note", "核查", "--by", "wang"])
            #expect(early.status != 0)
            #expect(early.stderr.contains("only a done case is closed"), "\(early.stderr)")

            let done = try await envmon(["note", "ZY-2026-02", "--text", "提标改造完工", "--evidence", "竣工验收.pdf", "--status", "done", "--date", "2026-11-20", "--by", "wang"])
            #expect(done.status == 0, "\(done.stderr)")
            #expect(done.stdout.contains("已完成"), "\(done.stdout)")
            let closed = try await envmon(["close", "ZY-2026-02", "--note", "市整改办核查，同意销号", "--date", "2026-11-25", "--by", "wang", "--lang", "en"])
            #expect(closed.status == 0, "\(closed.stderr)")
            #expect(closed.stdout.contains("closed"), "\(closed.stdout)")

            let show = try await envmon(["show", "ZY-2026-02"])
            #expect(show.status == 0)
            #expect(show.stdout.contains("状态：已销号（自2026-11-25）"), "\(show.stdout)")
            #expect(show.stdout.contains("证据：竣工验收.pdf") && show.stdout.contains("已完成 → 已销号"), "\(show.stdout)")
            let json = try await envmon(["show", "ZY-2026-02", "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let history = try #require(object["history"] as? [[String: Any]])
            #expect(history.compactMap { $0["kind"] as? String } == ["opened", "note", "note", "note", "closed"])
            #expect(history.last?["author"] as? String == "wang")

            // Closing twice, a missing case and a bad status are refused with a clear message.
            let closedAgain = try await envmon(["close", "ZY-2026-02", "--note", "again"])
            #expect(closedAgain.stderr.contains("already closed"))
            let noCase = try await envmon(["note", "NOPE", "--text", "x"])
            #expect(noCase.stderr.contains("no case NOPE"))
            let badStatus = try await envmon(["note", "ZY-2026-05", "--text", "x", "--status", "closed"])
            #expect(badStatus.status != 0)

            // A re-import of the same file updates nothing and keeps the closing done by hand.
            let again = try await envmon(["import", "seeds/cases.yaml", "--lang", "en"])
            #expect(again.stdout.contains("0 opened, 0 updated, 18 unchanged"), "\(again.stdout)")
            let closedList = try await envmon(["list", "--status", "closed", "--format", "csv"])
            #expect(closedList.stdout.contains("ZY-2026-02"))
        }

        /// The daemon with the shipped rules beside the example register: each case overdue
        /// today fires `case-overdue` (as many as an independent count says), a note written by a
        /// command beside the running daemon resolves one, and the paper mill's COD above its
        /// permit reopens the closed case linked to that rule and station (防止问题反弹).
        @Test func theDaemonAlertsOnOverdueCasesAndReopensARelapsedOne() async throws {
            let db = dir.file("store.sqlite")
            let imported = try await envmon(["import", "seeds/cases.yaml", "--by", "demo"])
            try #require(imported.status == 0)
            let shanghai = DateFormatter()
            shanghai.timeZone = TimeZone(identifier: "Asia/Shanghai")
            shanghai.dateFormat = "yyyy-MM-dd"
            let today = shanghai.string(from: Date())
            let expected = try await Self.independent("seeds/cases.yaml", asOf: today)["overdue"] as? Int ?? -1
            try #require(expected > 0, "the example has deadlines in 2026: some are past by \(today)")

            let config = dir.write("envmon.yaml", "rules:\n  grace: 0s\n  tick: 100ms\nlog:\n  stats_interval: 0\n")
            let daemon = try await Daemon.start(["--config", config, "--db", db, "--sensors", "sensors", "--rules", "rules"], logPath: dir.file("serve.log"))
            func overdue() async throws -> [String] {
                let r = try await Envmon.run(["alerts", "--db", db, "--rule", "case-overdue", "--format", "json"])
                let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
                return (object?["active"] as? [[String: Any]] ?? []).filter { $0["state"] as? String == "firing" }.compactMap { $0["parameter"] as? String }
            }
            var firing: [String] = []
            for _ in 0..<200 where firing.count != expected {
                try await Task.sleep(for: .milliseconds(50))
                firing = try await overdue()
            }
            #expect(firing.count == expected, "\(firing)\n\(daemon.log)")

            // Beside the running daemon: the case is done, and its alert resolves at the next tick.
            let first = try #require(firing.sorted().first)
            let note = try await envmon(["note", first, "--text", "整改完成", "--status", "done", "--by", "wang"])
            #expect(note.status == 0, "\(note.stderr)")
            for _ in 0..<200 where firing.contains(first) {
                try await Task.sleep(for: .milliseconds(50))
                firing = try await overdue()
            }
            #expect(!firing.contains(first) && firing.count == expected - 1, "\(firing)")

            // The paper mill's COD above its hourly permit: its closed case reopens.
            let printed = try await RulesEndToEndTests().sendPaperMillCOD(port: daemon.port, [(4, 60), (3, 150), (2, 160)])
            #expect(printed.split(separator: "\n") == ["ack", "ack", "ack"])
            var status = ""
            for _ in 0..<200 where status != "in-progress" {
                try await Task.sleep(for: .milliseconds(50))
                let shown = try await envmon(["show", "ZY-2026-01", "--format", "json"])
                status = (try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["status"] as? String ?? ""
            }
            #expect(status == "in-progress", "\(daemon.log)")
            let history = try await envmon(["show", "ZY-2026-01", "--lang", "en"]).stdout
            #expect(history.contains("reopened  closed → in progress  [envmon rules]  reopened: rule outlet-permit-hourly fired again at qinghe-paper-mill-outlet COD"), "\(history)")
            #expect(daemon.log.contains("cases: ZY-2026-01 reopened"), "\(daemon.log)")
            #expect(await daemon.stop() == 0)
        }

        @Test func aBadListIsRefusedNamingFileAndLine() async throws {
            let file = dir.write("bad.yaml", "- id: A\n  title: t\n  source: nowhere\n")
            let r = try await envmon(["import", file])
            #expect(r.status != 0)
            #expect(r.stderr.contains("bad.yaml:3: case A: unknown source 'nowhere'"), "\(r.stderr)")
        }
    }
}
