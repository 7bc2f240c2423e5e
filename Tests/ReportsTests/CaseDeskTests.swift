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
}
