import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// Importing case lists into a real store file: the shipped example, a re-import that updates
/// instead of duplicating, errors that name file:line, CSV, and the register as of a date.
@Suite struct CaseImportTests {
    let dir = TemporaryDirectory()
    /// 2026-12-01T00:00:00Z: "now" for the import (after every date of the example).
    static let now: Int64 = 1_796_083_200
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path + "/seeds/cases.yaml"

    func desk() throws -> CaseDesk {
        CaseDesk(register: try SQLiteStore(path: dir.file("s.sqlite"), stations: StationRegistry([])).caseRegister)
    }

    @Test func theExampleImportsAndItsSummaryAsOfADateFollowsItsNotes() async throws {
        let entries = try CaseFile.read(Self.example)
        let desk = try desk()
        let result = try await desk.importCases(entries, by: "import", now: Self.now)
        #expect(result.opened.count == entries.count && result.updated.isEmpty)

        // The summary as of a date, counted here from the entries themselves: a status is the
        // last one its notes or closing dated on or before the date give.
        for asOf in ["2026-03-31", "2026-06-30", "2026-09-30", "2026-11-30"] {
            var expected = CaseCounts()
            var total = 0, finished = 0, closed = 0, late = 0
            for e in entries where (e.opened ?? "") <= asOf {
                var status = CaseStatus.open
                for n in e.notes where n.date <= asOf { status = n.status ?? status }
                if let c = e.closed, c.date <= asOf { status = .closed }
                total += 1
                if status.isFinished { finished += 1 }
                if status == .closed { closed += 1 }
                if let d = e.deadline, d < asOf, !status.isFinished { late += 1 }
            }
            let snapshot = try await CaseSnapshot.make(desk.register, asOf: asOf, today: "2026-12-01", dates: desk.dates)
            let summary = CaseSummary(snapshot)
            expected = summary.all
            #expect(summary.all.total == total, "\(asOf)")
            #expect(summary.all.finished == finished, "\(asOf)")
            #expect(summary.all.closed == closed, "\(asOf)")
            #expect(summary.all.overdue == late, "\(asOf)")
            #expect(expected.total == expected.open + expected.inProgress + expected.done + expected.closed)
            #expect(summary.bySource.map(\.counts.total).reduce(0, +) == total)
            #expect(summary.byUnit.map(\.counts.total).reduce(0, +) == total)
        }
        // The state derived from the history is the state kept.
        let kept = try await desk.register.cases()
        let derived = try await CaseSnapshot.make(desk.register, asOf: "2026-12-01", today: "2026-12-01", dates: desk.dates).cases
        #expect(derived == kept)
    }

    @Test func aReImportUpdatesAndNeverDuplicates() async throws {
        let desk = try desk()
        let first = """
            cases:
              - id: XF-1
                title: 夜间异味投诉
                source: 信访投诉
                unit: 开发区管委会
                opened: 2026-04-02
                deadline: 2026-05-31
                notes:
                  - {date: 2026-04-10, status: in-progress, text: 夜间巡查}
            """
        _ = try await desk.importCases(try CaseFile.parse(first, path: "a.yaml"), by: "i", now: Self.now)
        // Closed by hand since; the file then gains a note and a new deadline, and says done.
        _ = try await desk.note("XF-1", text: "整改完成", status: .done, by: "li", at: Self.now, now: Self.now)
        _ = try await desk.close("XF-1", note: "回访满意，销号", by: "li", at: Self.now + 60, now: Self.now + 60)
        let second = first.replacingOccurrences(of: "2026-05-31", with: "2026-06-30")
            + "\n      - {date: 2026-05-20, status: done, text: 完成废气收集改造}\n"
        let result = try await desk.importCases(try CaseFile.parse(second, path: "a.yaml"), by: "i", now: Self.now + 120)
        #expect(result.updated == ["XF-1"] && result.opened.isEmpty)
        #expect(result.remarks.count == 1 && result.remarks[0].contains("kept closed"))
        let history = try await desk.register.caseEvents("XF-1")
        #expect(history.map(\.kind) == [.opened, .note, .note, .closed, .updated, .note])
        #expect(history[4].fields == ["deadline": "2026-06-30"])
        #expect(history[5].to == nil, "the register is past the file's 'done': the note is kept, not its status")
        #expect(try await desk.register.caseRecord("XF-1")?.status == .closed)
        // The same file again changes nothing.
        let again = try await desk.importCases(try CaseFile.parse(second, path: "a.yaml"), by: "i", now: Self.now + 180)
        #expect(again.unchanged == ["XF-1"])
        #expect(try await desk.register.caseEvents("XF-1").count == history.count)
        #expect(try await desk.register.cases().count == 1)
    }

    @Test func badEntriesAreNamedByFileAndLineAndNothingIsWritten() async throws {
        let text = """
            - id: A
              title: ok
              source: central-inspection
            - id: B
              title: bad source
              source: somewhere
            - id: C
              title: bad date
              source: complaint
              deadline: 2026-02-30
            - id: A
              title: twice
              source: alert
            """
        let error = #expect(throws: ReportsError.self) { try CaseFile.parse(text, path: "cases.yaml") }
        let message = error?.description ?? ""
        #expect(message.contains("cases.yaml:6: case B: unknown source 'somewhere'"), "\(message)")
        #expect(message.contains("cases.yaml:10:") && message.contains("2026-02-30"), "\(message)")
        #expect(message.contains("cases.yaml:11: case A is listed twice (first at cases.yaml:1)"), "\(message)")

        // A status its notes cannot reach is refused whole, naming the line.
        let desk = try desk()
        let backwards = """
            - id: A
              title: ok
              source: alert
            - id: B
              title: closed, then said open
              source: alert
              status: open
              notes: [{date: 2026-01-05, status: done, text: 完成}]
            """
        let refused = await #expect(throws: ReportsError.self) {
            try await desk.importCases(try CaseFile.parse(backwards, path: "b.yaml"), by: "i", now: Self.now)
        }
        #expect(refused?.description.contains("b.yaml:4: case B: status open, but its notes leave it done") == true, "\(refused?.description ?? "")")
        #expect(try await desk.register.cases().isEmpty, "all or nothing")
    }

    @Test func aCSVListImportsWithItsStatusAtItsDate() async throws {
        let csv = """
            id,title,source,unit,leader,opened,deadline,status,status_date,stations,rules,note
            ZY-9,"锅炉淘汰, 第二批",中央环保督察,市生态环境局,赵刚,2026-01-20,2026-06-30,closed,2026-07-01,qinghe-power-plant-stack;qinghe-cement-kiln-stack,stack-emission-hourly,核查销号
            XF-9,噪声投诉,complaint,市住建局,,2026-03-01,2026-03-31,in-progress,2026-03-05,,,
            """
        let entries = try CaseFile.parse(csv, path: "list.csv")
        #expect(entries.map(\.id) == ["ZY-9", "XF-9"])
        #expect(entries[0].title == "锅炉淘汰, 第二批" && entries[0].stations.count == 2 && entries[0].origin == "list.csv:2")
        let desk = try desk()
        _ = try await desk.importCases(entries, by: "i", now: Self.now)
        let zy = try #require(try await desk.register.caseRecord("ZY-9"))
        #expect(zy.status == .closed && desk.dates.date(of: zy.statusSince) == "2026-07-01")
        let asOfJune = try await CaseSnapshot.make(desk.register, asOf: "2026-06-30", today: "2026-12-01", dates: desk.dates)
        #expect(asOfJune.cases.first { $0.id == "ZY-9" }?.status == .open, "its status came on 07-01")
        #expect(asOfJune.filtered(CaseFilter(overdue: true)).map(\.id) == ["XF-9"])

        let bad = #expect(throws: ReportsError.self) { try CaseFile.parse("id,title,source\nA,t,central\nB,t\n", path: "x.csv") }
        #expect(bad?.description == "x.csv:3: 2 fields where the header has 3")
    }

    @Test func theSummaryPrintsInChineseAndEnglish() {
        var all = CaseCounts()
        all.total = 18
        all.done = 4
        all.closed = 8
        all.inProgress = 6
        all.overdue = 2
        #expect(CaseText.headline(all, .zhCN) == "共18项任务：已完成12项（其中已销号8项），整改中6项；逾期2项")
        #expect(CaseText.headline(all, .en) == "18 tasks: 12 done (8 closed), 6 in progress; 2 overdue")
    }
}
