import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// Bulk load of alert state, the outbox and cases with their ids (for `envmon migrate`): a store
/// filled through the protocols, exported and loaded into an empty database, reads the same and
/// goes on from where the first stood.
@Suite struct AlertStateLoadTests {
    typealias F = AlertFixtures
    static let t0 = AlertFixtures.t0

    /// A store that has seen a little of everything: episodes open and closed, a claimed,
    /// a delivered and a held delivery, a silence expired by hand, an acknowledgement, cases.
    func fill(_ store: PostgresStore) async throws {
        let other = AlertKey(rule: "ph-low", station: "outlet", parameter: "pH")
        try await store.record(
            [
                F.transition(from: .pending, to: .firing, at: Self.t0, sequence: 1),
                F.transition(other, from: .pending, to: .firing, at: Self.t0 + 60, sequence: 1, value: 5.5, peak: 5.5),
                F.transition(other, from: .firing, to: .resolved, at: Self.t0 + 600, sequence: 2, value: 7, peak: 5.5),
            ], updates: [], recordedAt: Self.t0 + 601)
        // Text COPY must carry: a tab, a newline, a backslash, a carriage return, non-ASCII.
        var odd = F.transition(F.cod, from: .firing, to: .firing, at: Self.t0 + 700, sequence: 1)
        odd.reason = "tab\there\nnew line \\ back\rslash 化学需氧量"
        odd.notification = nil
        try await store.record([odd], updates: [], recordedAt: Self.t0 + 700)
        let entries = try await store.unroutedNotifications(limit: 10)
        try await store.route(
            entries.map {
                OutboxRouting(id: $0.id, deliveries: [.init(target: "duty", dueAt: Self.t0), .init(target: "phones", dueAt: Self.t0 + 30)])
            }, now: Self.t0 + 700)
        let duty = try await store.claimDeliveries(target: "duty", now: Self.t0 + 700, limit: 10, claimant: "a", leaseUntil: Self.t0 + 730)
        try await store.assignMessage([(id: duty[0].entry.id, message: "m-1")], target: "duty")
        try await store.markDelivered(duty[0].entry.id, target: "duty", at: Self.t0 + 701)
        try await store.finish([duty[1].entry.id], target: "phones", as: .held, at: Self.t0 + 701, reason: "silenced")
        let silence = try await store.addSilence(
            Silence(matchers: ["station=\"outlet\""], startsAt: Self.t0, endsAt: Self.t0 + 7_200, createdBy: "li", comment: "校准", createdAt: Self.t0))
        _ = try await store.expireSilence(silence, at: Self.t0 + 800)
        _ = try await store.addSilence(
            Silence(matchers: [], startsAt: Self.t0, endsAt: Self.t0 + 86_400, createdBy: "wang", comment: "", createdAt: Self.t0))
        let episode = try #require(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).first { $0.endedAt == nil })
        _ = try await store.acknowledge(episode: episode.id, by: "wang", comment: "on site", at: Self.t0 + 900)
        _ = try await store.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0) { _ in .apply([CaseRegisterSuite.opened("ZY-1")]) }
        _ = try await store.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0 + 5) {
            CaseRegisterSuite.note($0, "ZY-1", text: "开工\t第一天", at: Self.t0 + 5)
        }
    }

    @Test func alertStateLoadedIntoAnEmptyDatabaseReadsTheSameAndGoesOn() async throws {
        let source = try await Backend.postgres.makeLocation().open(F.stations)
        let from = try #require(source.store as? PostgresStore)
        try await fill(from)
        let rows = try await from.alertStateRows()
        #expect(
            rows.counts == [
                "alert_instance": 2, "alert_transition": 4, "alert_episode": 2, "alert_outbox": 3, "outbox_delivery": 6, "silence": 2,
                "alert_ack": 1, "case_record": 1, "case_event": 2,
            ])

        let target = try await Backend.postgres.makeLocation().open(F.stations)
        let to = try #require(target.store as? PostgresStore)
        try await to.loadAlertState(rows)
        #expect(try await to.alertStateRows() == rows)
        // What the protocols read is the same too.
        #expect(try await to.loadAlertInstances() == from.loadAlertInstances())
        #expect(try await to.alertHistory(since: 0, limit: 100) == from.alertHistory(since: 0, limit: 100))
        #expect(try await to.alertHistory(since: 0, limit: 100).contains { $0.reason.contains("tab\there\nnew line \\ back\rslash 化学需氧量") })
        #expect(try await to.openAcknowledgements() == from.openAcknowledgements())
        #expect(try await to.silences(notEndedAt: nil) == from.silences(notEndedAt: nil))
        #expect(try await to.deliveryCounts() == from.deliveryCounts())
        #expect(try await to.caseRegister.caseEvents(nil) == from.caseRegister.caseEvents(nil))

        // It goes on: the lease still holds, new rows get new ids, a known key is not queued again.
        #expect(try await to.claimDeliveries(target: "duty", now: Self.t0 + 729, limit: 10, claimant: "b", leaseUntil: Self.t0 + 800).isEmpty)
        #expect(try await to.claimDeliveries(target: "duty", now: Self.t0 + 730, limit: 10, claimant: "b", leaseUntil: Self.t0 + 800).count == 2)
        let next = AlertKey(rule: "cod-high", station: "inlet", parameter: "COD")
        try await to.record(
            [F.transition(next, from: .pending, to: .firing, at: Self.t0 + 1_000, sequence: 1)], updates: [], recordedAt: Self.t0 + 1_000)
        let after = try await to.alertStateRows()
        #expect(after.transitions.last?.id == (rows.transitions.map(\.id).max() ?? 0) + 1)
        #expect(after.episodes.last?.id == (rows.episodes.map(\.id).max() ?? 0) + 1)
        #expect(after.notifications.last?.id == (rows.notifications.map(\.id).max() ?? 0) + 1)
        let known = try #require(rows.notifications.first)
        let again = try await to.enqueue(
            try JSONDecoder().decode(AlertNotification.self, from: Data(known.payload.utf8)), routedTo: [], now: Self.t0 + 1_000)
        #expect(again == known.id)
        #expect(try await to.addSilence(Silence(matchers: [], startsAt: 0, endsAt: 1, createdBy: "x", comment: "", createdAt: 0)) == 3)
        let noted = try await to.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0 + 9) {
            CaseRegisterSuite.note($0, "ZY-1", text: "继续", at: Self.t0 + 9)
        }
        #expect(noted.first?.events.map(\.sequence) == [3])

        // A store that has alert state already is not loaded into.
        let before = try await to.alertStateRows()
        do {
            try await to.loadAlertState(rows)
            Issue.record("alert state was loaded over existing rows")
        } catch {
            #expect(error.code == .conflict)
        }
        #expect(try await to.alertStateRows() == before)
        await source.close()
        await target.close()
    }
}
