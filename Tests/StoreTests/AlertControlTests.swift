import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// Silences, acknowledgements, held deliveries and the notifier's own notifications, through a
/// real SQLite file (and its migration from a store made before them).
@Suite struct AlertControlTests {
    let dir = TemporaryDirectory()
    static let t0: Int64 = 1_767_225_600

    func store() throws -> SQLiteStore {
        try SQLiteStore(path: dir.file("c.sqlite"), stations: TestStations.registry(TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD"])))
    }

    func fire(_ store: SQLiteStore, sequence: Int = 1, state: AlertState = .firing, at t: Int64 = t0) async throws {
        let key = AlertKey(rule: "cod-high", station: "outlet", parameter: "COD")
        let n = AlertNotification(
            idempotencyKey: "cod-high/outlet/COD/\(sequence)", status: state == .firing ? .firing : .resolved, severity: .critical,
            labels: ["alertname": "cod-high", "station": "outlet"], annotations: [:], startsAt: Self.t0)
        try await store.record(
            [AlertTransition(instance: AlertInstance(key: key, state: state, since: t, pendingSince: Self.t0, sequence: sequence), from: state == .firing ? .pending : .firing, at: t, reason: "r", notification: n)],
            updates: [], recordedAt: t)
    }

    @Test func silencesAreStoredListedAndExpired() async throws {
        let s = try store()
        let id = try await s.addSilence(Silence(matchers: ["station=\"outlet\""], startsAt: Self.t0, endsAt: Self.t0 + 7_200, createdBy: "li", comment: "calibration", createdAt: Self.t0))
        let later = try await s.addSilence(Silence(matchers: ["alertname=~\"cod-.*\""], startsAt: Self.t0 + 3_600, endsAt: Self.t0 + 7_200, createdBy: "wang", comment: "", createdAt: Self.t0))
        #expect(try await s.silences(notEndedAt: Self.t0).map(\.id) == [id, later])
        #expect(try await s.silences(notEndedAt: Self.t0).first?.matchers == ["station=\"outlet\""])
        #expect(try await s.expireSilence(id, at: Self.t0 + 60))
        #expect(try await s.expireSilence(id, at: Self.t0 + 61) == false)
        #expect(try await s.expireSilence(999, at: Self.t0 + 61) == false)
        #expect(try await s.silences(notEndedAt: Self.t0 + 60).map(\.id) == [later])
        #expect(try await s.silences(notEndedAt: nil).first { $0.id == id }?.endsAt == Self.t0 + 60)
        try s.close()
    }

    @Test func anOpenEpisodeIsAcknowledgedAnEndedOneIsNot() async throws {
        let s = try store()
        try await fire(s)
        let episode = try #require(try await s.alertEpisodes(overlapping: Int64.min..<Int64.max).first)
        let acked = try await s.acknowledge(episode: episode.id, by: "wang", comment: "on site", at: Self.t0 + 10)
        #expect(acked.key == AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"))
        let open = try await s.openAcknowledgements()
        #expect(open.map(\.by) == ["wang"])
        #expect(open.first?.startedAt == Self.t0)
        await #expect(throws: StoreError.self) { _ = try await s.acknowledge(episode: 4242, by: "x", comment: "", at: Self.t0) }
        try await fire(s, sequence: 2, state: .resolved, at: Self.t0 + 100)
        #expect(try await s.openAcknowledgements().isEmpty)
        do {
            _ = try await s.acknowledge(episode: episode.id, by: "x", comment: "", at: Self.t0 + 200)
            Issue.record("an ended episode was acknowledged")
        } catch {
            #expect(error.code == .conflict)
        }
        try s.close()
    }

    @Test func heldAndDeadDeliveriesAreListedAndCountedAndFinishTheNotification() async throws {
        let s = try store()
        try await fire(s)
        let entry = try #require(try await s.unroutedNotifications(limit: 10).first)
        try await s.route([OutboxRouting(id: entry.id, deliveries: [.init(target: "duty/webhook/0", dueAt: Self.t0), .init(target: "phones/email/0", dueAt: Self.t0 + 30)])], now: Self.t0)
        let claimed = try await s.claimDeliveries(target: "duty/webhook/0", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60)
        try await s.assignMessage([(id: entry.id, message: "m-1")], target: "duty/webhook/0")
        try await s.scheduleRetry([entry.id], target: "duty/webhook/0", retryAt: Self.t0 + 2, reason: "HTTP 503")
        let again = try await s.claimDeliveries(target: "duty/webhook/0", now: Self.t0 + 2, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60)
        #expect(claimed.first?.message == nil)
        #expect(again.first?.message == "m-1")  // the retry goes out in the same message
        #expect(try await s.claimDeliveries(target: "phones/email/0", now: Self.t0 + 29, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60).isEmpty)
        try await s.finish([entry.id], target: "duty/webhook/0", as: .dead, at: Self.t0 + 3, reason: "HTTP 400")
        try await s.finish([entry.id], target: "phones/email/0", as: .held, at: Self.t0 + 30, reason: "silenced by silence 1 (li: x)")
        #expect(try await s.pendingNotifications(limit: 10).isEmpty)
        #expect(try await s.undelivered(.held, since: 0, limit: 10).map(\.reason) == ["silenced by silence 1 (li: x)"])
        #expect(try await s.undelivered(.dead, since: 0, limit: 10).map(\.target) == ["duty/webhook/0"])
        #expect(try await s.deliveryCounts()["phones/email/0"] == OutboxDepth(waiting: 0, deadLettered: 0, held: 1))
        try s.close()
    }

    @Test func theNotifiersOwnNotificationsAreQueuedRoutedAndFoundAsTheLatest() async throws {
        let s = try store()
        try await fire(s)
        let own = AlertNotification(
            idempotencyKey: "cod-high/outlet/COD/1/repeat/\(Self.t0 + 3_600)", status: .firing, severity: .critical, labels: ["alertname": "cod-high"],
            annotations: [:], startsAt: Self.t0)
        let id = try await s.enqueue(own, routedTo: [.init(target: "duty/webhook/0", dueAt: Self.t0 + 3_600)], now: Self.t0 + 3_600)
        #expect(try await s.enqueue(own, routedTo: [.init(target: "duty/webhook/0", dueAt: Self.t0 + 3_600)], now: Self.t0 + 3_600) == id)
        #expect(try await s.unroutedNotifications(limit: 10).count == 1)  // the rule engine's, not the notifier's
        #expect(try await s.nextDue(target: "duty/webhook/0") == Self.t0 + 3_600)
        let latest = try await s.latestNotifications(of: [AlertKey(rule: "cod-high", station: "outlet", parameter: "COD"), AlertKey(rule: "other", station: "outlet", parameter: "COD")])
        #expect(latest.count == 1)
        #expect(latest.values.first?.id == id)
        try s.close()
    }
}
