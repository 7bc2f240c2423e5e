import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The outbox as the notifier drains it, through a real SQLite file: each receiver delivered on
/// its own, claims as leases, retries, dead letters, and nothing deleted before every receiver is done.
@Suite struct OutboxTests {
    let dir = TemporaryDirectory()
    static let t0: Int64 = 1_767_225_600

    /// A store with `count` firing notifications queued by the rule engine's journal.
    func store(notifications count: Int) async throws -> SQLiteStore {
        let store = try SQLiteStore(
            path: dir.file("o.sqlite"), stations: TestStations.registry(TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD"])))
        let transitions = (0..<count).map { i in
            let key = AlertKey(rule: "cod-high", station: "outlet-\(i)", parameter: "COD")
            let notification = AlertNotification(
                idempotencyKey: "cod-high/outlet-\(i)/COD/1", status: .firing, severity: .critical,
                labels: ["alertname": "cod-high", "station": "outlet-\(i)"], annotations: ["summary": "COD above 90"],
                startsAt: Self.t0)
            return AlertTransition(
                instance: AlertInstance(key: key, state: .firing, since: Self.t0, value: 120, sequence: 1), from: .pending, at: Self.t0,
                reason: "COD 120 above 90", notification: notification)
        }
        try await store.record(transitions, updates: [], recordedAt: Self.t0)
        return store
    }

    @Test func eachReceiverIsDeliveredOnItsOwn() async throws {
        let store = try await store(notifications: 3)
        let unrouted = try await store.unroutedNotifications(limit: 10)
        #expect(unrouted.count == 3)
        for entry in unrouted { try await store.route(entry.id, to: ["duty", "phones"], now: Self.t0) }
        #expect(try await store.unroutedNotifications(limit: 10).isEmpty)

        // "phones" is down: its deliveries are retried later; "duty" goes on regardless.
        let phones = try await store.claimDeliveries(target: "phones", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 30)
        #expect(phones.count == 3)
        for d in phones { try await store.scheduleRetry(d.entry.id, target: "phones", retryAt: Self.t0 + 60, reason: "HTTP 503") }
        let duty = try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 30)
        #expect(duty.map(\.entry.notification.idempotencyKey) == (0..<3).map { "cod-high/outlet-\($0)/COD/1" })
        for d in duty { try await store.markDelivered(d.entry.id, target: "duty", at: Self.t0 + 1) }

        // Not finished while "phones" still waits; not due for it before the retry time.
        #expect(try await store.pendingNotifications(limit: 10).count == 3)
        #expect(try await store.claimDeliveries(target: "phones", now: Self.t0 + 59, limit: 10, claimant: "a", leaseUntil: Self.t0 + 90).isEmpty)
        #expect(try await store.nextDue(target: "phones") == Self.t0 + 60)
        let again = try await store.claimDeliveries(target: "phones", now: Self.t0 + 60, limit: 10, claimant: "a", leaseUntil: Self.t0 + 90)
        #expect(again.map(\.attempts) == [1, 1, 1])
        #expect(again.allSatisfy { $0.lastError == "HTTP 503" })
        try await store.markDelivered(again[0].entry.id, target: "phones", at: Self.t0 + 61)
        try await store.markDelivered(again[1].entry.id, target: "phones", at: Self.t0 + 61)
        try await store.deadLetter(again[2].entry.id, target: "phones", at: Self.t0 + 61, reason: "HTTP 400")
        #expect(try await store.pendingNotifications(limit: 10).isEmpty)
        #expect(try await store.deliveryCounts() == ["duty": OutboxDepth(waiting: 0, deadLettered: 0), "phones": OutboxDepth(waiting: 0, deadLettered: 1)])
        try store.close()
    }

    @Test func aClaimIsALeaseThatRunsOut() async throws {
        let store = try await store(notifications: 2)
        for entry in try await store.unroutedNotifications(limit: 10) { try await store.route(entry.id, to: ["duty"], now: Self.t0) }
        let first = try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 1, claimant: "a", leaseUntil: Self.t0 + 30)
        #expect(first.count == 1)
        // Another claimant gets only what is not leased.
        let second = try await store.claimDeliveries(target: "duty", now: Self.t0 + 1, limit: 10, claimant: "b", leaseUntil: Self.t0 + 31)
        #expect(second.map(\.entry.id) != first.map(\.entry.id))
        #expect(second.count == 1)
        // "a" died mid-send: once its lease has run out, the delivery is due again (at least once).
        #expect(try await store.claimDeliveries(target: "duty", now: Self.t0 + 29, limit: 10, claimant: "b", leaseUntil: Self.t0 + 60).isEmpty)
        let retaken = try await store.claimDeliveries(target: "duty", now: Self.t0 + 30, limit: 10, claimant: "b", leaseUntil: Self.t0 + 60)
        #expect(retaken.map(\.entry.id) == first.map(\.entry.id))
        #expect(retaken.first?.attempts == 1)
        try store.close()
    }

    @Test func nothingIsPurgedBeforeEveryReceiverIsDoneAndUnroutedOnesFinishAtOnce() async throws {
        let store = try await store(notifications: 3)
        let entries = try await store.unroutedNotifications(limit: 10)
        try await store.route(entries[0].id, to: [], now: Self.t0)  // no route matched
        try await store.route(entries[1].id, to: ["duty"], now: Self.t0)
        try await store.route(entries[2].id, to: ["duty", "phones"], now: Self.t0)
        for d in try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 30) {
            try await store.markDelivered(d.entry.id, target: "duty", at: Self.t0 + 5)
        }
        #expect(try await store.purgeFinished(before: Self.t0 + 100) == 2)
        #expect(try await store.pendingNotifications(limit: 10).map(\.id) == [entries[2].id])
        #expect(try await store.deliveryCounts()["phones"] == OutboxDepth(waiting: 1, deadLettered: 0))
        try store.close()
    }
}
