import EnvmonDashboard
import EnvmonHTTP
import EnvmonTesting
import Foundation
import Reports
import Store
import Testing

/// The case register: overdue cases first, each case with its history, a note through the form,
/// and the CSV downloads.
@Suite("Dashboard: cases")
struct CasesPageTests {
    let read = APIFixture.tokens[.read]!
    let operate = APIFixture.tokens[.operate]!

    /// A second case, its deadline (2026-02-15) passed at the fixture's date (2026-03-01).
    func addOverdue(_ fixture: APIFixture) async throws {
        let yaml = """
            cases:
              - id: XF-2026-07
                title: 居民投诉焦化厂异味
                source: complaint
                unit: 清河煤化工
                leader: 王强
                opened: 2026-01-05
                deadline: 2026-02-15
                stations: [outlet-1]
            """
        _ = try await CaseDesk(register: fixture.store.caseRegister).importCases(try CaseFile.parse(yaml, path: "more.yaml"), by: "test", now: APIFixture.t0)
    }

    @Test("the register lists overdue cases first, filters them, and downloads as CSV in that order")
    func register() async throws {
        let fixture = try await APIFixture()
        try await addOverdue(fixture)
        try await fixture.withDashboard { client in
            try await client.login(read)
            let page = try await client.get("/cases?lang=en")
            #expect(page.status == 200)
            let overdue = try #require(page.body.range(of: "data-case=\"XF-2026-07\" data-overdue=\"true\""))
            let onTime = try #require(page.body.range(of: "data-case=\"ZY-2026-01\" data-overdue=\"false\""))
            #expect(overdue.lowerBound < onTime.lowerBound, "the overdue case comes first")
            #expect(page.body.contains("清河纸业COD超标") && page.body.contains("2026-06-30"))
            #expect(page.body.contains("2 tasks") || page.body.contains("2 cases"), "the headline counts the cases")

            let filtered = try await client.get("/cases?overdue=true&lang=en")
            #expect(filtered.body.contains("XF-2026-07") && !filtered.body.contains("data-case=\"ZY-2026-01\""))

            let csv = try await client.get("/cases.csv")
            #expect(csv.status == 200)
            #expect(csv.headers.first { $0.key.lowercased() == "content-type" }?.value.hasPrefix("text/csv") == true)
            let lines = csv.body.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasSuffix("id,title,source,unit,leader,deadline,status,overdue,stations,rules") == true)
            #expect(lines.count == 3 && lines[1].hasPrefix("XF-2026-07,") && lines[1].contains(",yes,") && lines[2].hasPrefix("ZY-2026-01,"))
            let zh = try await client.get("/cases?lang=zh-CN")
            #expect(zh.body.contains("整改案件台账") && zh.body.contains("逾期"))
        }
    }

    @Test("a case's page shows its history; an operator adds a note that moves it to in progress")
    func caseAndNote() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard { client in
            try await client.login(operate)
            let page = try await client.get("/cases/ZY-2026-01?lang=en")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"case-title\">ZY-2026-01 清河纸业COD超标"))
            #expect(page.body.contains("data-kind=\"opened\""))
            #expect(page.body.contains("data-test=\"note-form\""))
            let csrf = try #require(page.csrf)
            let noted = try await client.post("/cases/ZY-2026-01/notes", form: [("csrf", csrf), ("text", "停产整治，更换曝气设备"), ("status", "in-progress")])
            #expect(noted.status == 303 && noted.location == "/cases/ZY-2026-01?done=note")
            let after = try await client.get("/cases/ZY-2026-01?done=note&lang=en")
            #expect(after.body.contains("Note added."))
            #expect(after.body.contains("停产整治，更换曝气设备") && after.body.contains("[operate-token]"))
            #expect(after.body.contains("data-test=\"case-status\">in progress"))
            // The same register the API and `envmon cases` read.
            #expect(try await fixture.store.caseRegister.caseRecord("ZY-2026-01")?.status == .inProgress)
            let csv = try await client.get("/cases/ZY-2026-01/history.csv")
            #expect(csv.status == 200 && csv.body.contains("停产整治，更换曝气设备") && csv.body.contains("seq,date,kind,author"))
            #expect(try await client.get("/cases/NOPE-1").status == 404)
            let empty = try await client.post("/cases/ZY-2026-01/notes", form: [("csrf", csrf), ("text", "  ")])
            #expect(empty.status == 400)
        }
    }
}
