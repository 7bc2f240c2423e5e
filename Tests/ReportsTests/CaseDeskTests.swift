import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// Opening a case from an alert episode the rule engine recorded, on a real store file.
@Suite struct CaseDeskTests {
    let dir = TemporaryDirectory()
    /// 2026-08-12T02:00:00Z, 10:00 in Shanghai.
    static let fired: Int64 = 1_786_500_000

    func storeWithAnEpisode() async throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.file("d.sqlite"), stations: StationRegistry([]))
        let key = AlertKey(rule: "outlet-permit-hourly", station: "qinghe-paper-mill-outlet", parameter: "COD")
        let instance = AlertInstance(key: key, state: .firing, since: Self.fired, pendingSince: Self.fired - 3_600, value: 150, peak: 160, sequence: 1)
        let n = AlertNotification(
            idempotencyKey: "k/1", status: .firing, severity: .critical, labels: ["alertname": key.rule], annotations: [:], startsAt: Self.fired - 3_600)
        try await store.record([AlertTransition(instance: instance, from: .pending, at: Self.fired, reason: "COD 150 above 100", notification: n)], updates: [], recordedAt: Self.fired)
        return store
    }

    @Test func anEpisodeOpensOneCaseLinkedToItsRuleStationAndParameter() async throws {
        let store = try await storeWithAnEpisode()
        let desk = CaseDesk(register: store.caseRegister)
        let episode = try #require(try await store.alertEpisodes(overlapping: 0..<Int64.max).first)
        let change = try await desk.open(
            fromAlert: episode.id, unit: "市生态环境局", leader: "李明", deadline: "2026-08-31", stationName: "清河纸业", by: "duty", now: Self.fired + 600)
        let r = change.record
        #expect(r.id == "AL-\(episode.id)" && r.source == .alert && r.status == .open)
        #expect(r.stations == ["qinghe-paper-mill-outlet"] && r.rules == ["outlet-permit-hourly"] && r.parameter == "COD" && r.episode == episode.id)
        #expect(r.openedAt == Self.fired && r.title == "清河纸业 COD 预警（outlet-permit-hourly）")
        let opened = try #require(change.events.first)
        #expect(opened.kind == .opened && opened.author == "duty")
        #expect(opened.text.contains("firing since 2026-08-12 10:00") && opened.text.contains("peak 160"), "\(opened.text)")
        #expect(CaseStateMachine.replay(try await store.caseRegister.caseEvents(r.id)) == r)

        // One case per episode; an unknown episode and a bad deadline are refused.
        await #expect(throws: ReportsError.self) { try await desk.open(fromAlert: episode.id, by: "duty", now: Self.fired) }
        let missing = await #expect(throws: ReportsError.self) { try await desk.open(fromAlert: 999, by: "duty", now: Self.fired) }
        #expect(missing?.description.contains("no alert episode 999") == true)
        await #expect(throws: ReportsError.self) { try await desk.open(fromAlert: episode.id, id: "X", deadline: "2026-13-01", by: "d", now: 0) }
        #expect(try await store.caseRegister.cases().count == 1)
        try store.close()
    }

    /// A relapse the journal holds but no case shows (the daemon died between the alert's
    /// transaction and the reopening) is caught up at start, once.
    @Test func aRelapseMissedInACrashIsCaughtUpFromTheJournal() async throws {
        let store = try SQLiteStore(path: dir.file("r.sqlite"), stations: StationRegistry([]))
        defer { try? store.close() }
        let desk = CaseDesk(register: store.caseRegister)
        let yaml = """
            - id: ZY-2026-01
              title: 清河纸业COD超标
              source: central-inspection
              unit: 市生态环境局
              leader: 李明
              opened: 2026-01-20
              deadline: 2026-06-30
              stations: [qinghe-paper-mill-outlet]
              rules: [outlet-permit-hourly]
              notes:
                - {date: 2026-06-20, status: done, text: 改造完工}
              closed: {date: 2026-07-15, note: 同意销号}
            """
        _ = try await desk.importCases(try CaseFile.parse(yaml, path: "cases.yaml"), by: "test", now: Self.fired - 86_400)
        #expect(try await store.caseRegister.caseRecord("ZY-2026-01")?.status == .closed)
        // The paper mill's COD fires again on 2026-08-12, after the closing; no reopening was written.
        _ = try await storeEpisode(store)
        let episodes = try await store.alertEpisodes(overlapping: 0..<Int64.max)
        let changes = try await desk.catchUpRelapses(episodes, by: "envmon rules", now: Self.fired + 3_600)
        #expect(changes.map(\.record.id) == ["ZY-2026-01"])
        let record = try #require(try await store.caseRegister.caseRecord("ZY-2026-01"))
        #expect(record.status == .inProgress)
        #expect(changes.first?.events.last?.text.contains("fired again") == true)
        // Again at the next start: nothing more.
        #expect(try await desk.catchUpRelapses(episodes, by: "envmon rules", now: Self.fired + 7_200).isEmpty)
    }

    /// Records the paper mill's COD firing at ``fired`` in `store`'s journal.
    func storeEpisode(_ store: SQLiteStore) async throws {
        let key = AlertKey(rule: "outlet-permit-hourly", station: "qinghe-paper-mill-outlet", parameter: "COD")
        let instance = AlertInstance(key: key, state: .firing, since: Self.fired, pendingSince: Self.fired - 3_600, value: 150, peak: 160, sequence: 1)
        let n = AlertNotification(
            idempotencyKey: "k/2", status: .firing, severity: .critical, labels: ["alertname": key.rule], annotations: [:], startsAt: Self.fired - 3_600)
        try await store.record([AlertTransition(instance: instance, from: .pending, at: Self.fired, reason: "COD 150 above 100", notification: n)], updates: [], recordedAt: Self.fired)
    }
}
