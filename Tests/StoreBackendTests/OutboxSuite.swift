import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The outbox as the notifier drains it, on each store: each receiver delivered on its own,
/// claims as leases, retries, dead letters and held deliveries, the notifier's own
/// notifications, and nothing deleted before every receiver is done.
@Suite struct OutboxSuite {
    typealias F = AlertFixtures
    static let t0 = AlertFixtures.t0

    @Test(arguments: Backend.stores)
    func eachReceiverIsDeliveredOnItsOwn(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let store = opened.store
        try await F.queue(3, in: store)
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
        #expect(try await store.waitingCounts() == ["phones": 3])
        let again = try await store.claimDeliveries(target: "phones", now: Self.t0 + 60, limit: 10, claimant: "a", leaseUntil: Self.t0 + 90)
        #expect(again.map(\.attempts) == [1, 1, 1])
        #expect(again.allSatisfy { $0.lastError == "HTTP 503" })
        try await store.markDelivered(again[0].entry.id, target: "phones", at: Self.t0 + 61)
        try await store.markDelivered(again[1].entry.id, target: "phones", at: Self.t0 + 61)
        try await store.deadLetter(again[2].entry.id, target: "phones", at: Self.t0 + 61, reason: "HTTP 400")
        #expect(try await store.pendingNotifications(limit: 10).isEmpty)
        #expect(try await store.nextDue(target: "phones") == nil)
        #expect(
            try await store.deliveryCounts() == [
                "duty": OutboxDepth(waiting: 0, deadLettered: 0), "phones": OutboxDepth(waiting: 0, deadLettered: 1),
            ])
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func aClaimIsALeaseThatRunsOut(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let store = opened.store
        try await F.queueRouted(2, to: "duty", in: store)
        let first = try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 1, claimant: "a", leaseUntil: Self.t0 + 30)
        #expect(first.count == 1)
        // Another claimant gets only what is not leased.
        let second = try await store.claimDeliveries(target: "duty", now: Self.t0 + 1, limit: 10, claimant: "b", leaseUntil: Self.t0 + 31)
        #expect(second.map(\.entry.id) != first.map(\.entry.id))
        #expect(second.count == 1)
        #expect(try await store.nextDue(target: "duty") == Self.t0 + 30)
        // "a" died mid-send: once its lease has run out, the delivery is due again (at least once).
        #expect(try await store.claimDeliveries(target: "duty", now: Self.t0 + 29, limit: 10, claimant: "b", leaseUntil: Self.t0 + 60).isEmpty)
        let retaken = try await store.claimDeliveries(target: "duty", now: Self.t0 + 30, limit: 10, claimant: "b", leaseUntil: Self.t0 + 60)
        #expect(retaken.map(\.entry.id) == first.map(\.entry.id))
        #expect(retaken.first?.attempts == 1)
        // Given back unsent (the notifier stops): due at once, the attempt not counted.
        try await store.releaseClaims(retaken.map(\.entry.id), target: "duty")
        let released = try await store.claimDeliveries(target: "duty", now: Self.t0 + 30, limit: 10, claimant: "c", leaseUntil: Self.t0 + 90)
        #expect(released.map(\.entry.id) == first.map(\.entry.id))
        #expect(released.first?.attempts == 1)
        await opened.close()
    }

    /// At a notifier's start, a SQLite store (one daemon at a time) ends the claims a killed
    /// daemon left, so they are due at once; a PostgreSQL store keeps them, since another
    /// daemon on the database may be sending them.
    @Test(arguments: Backend.stores)
    func claimsLeftByAKilledDaemonAreEndedAtStartOnlyWhereOneDaemonOwnsTheStore(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let store = opened.store
        try await F.queueRouted(1, to: "duty", in: store)
        let claimed = try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 10, claimant: "killed", leaseUntil: Self.t0 + 120)
        #expect(claimed.count == 1)
        let ended = try await store.endOrphanedClaims()
        let retaken = try await store.claimDeliveries(target: "duty", now: Self.t0 + 1, limit: 10, claimant: "next", leaseUntil: Self.t0 + 121)
        if backend == .sqlite {
            #expect(ended == 1)
            #expect(retaken.map(\.entry.id) == claimed.map(\.entry.id))
            // The killed daemon's attempt stays counted (attempts made before this one).
            #expect(retaken.first?.attempts == 1)
        } else {
            #expect(ended == 0)
            #expect(retaken.isEmpty)
            #expect(try await store.nextDue(target: "duty") == Self.t0 + 120)
        }
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func nothingIsPurgedBeforeEveryReceiverIsDoneAndUnroutedOnesFinishAtOnce(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let store = opened.store
        try await F.queue(3, in: store)
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
        #expect(try await store.deliveryCounts()["duty"] == OutboxDepth(waiting: 0, deadLettered: 0))
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func heldAndDeadDeliveriesAreListedAndCountedAndFinishTheNotification(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let s = opened.store
        try await s.record([F.transition(from: .pending, to: .firing, at: Self.t0, sequence: 1)], updates: [], recordedAt: Self.t0)
        let entry = try #require(try await s.unroutedNotifications(limit: 10).first)
        try await s.route(
            [
                OutboxRouting(
                    id: entry.id, deliveries: [.init(target: "duty/webhook/0", dueAt: Self.t0), .init(target: "phones/email/0", dueAt: Self.t0 + 30)])
            ],
            now: Self.t0)
        let claimed = try await s.claimDeliveries(target: "duty/webhook/0", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60)
        try await s.assignMessage([(id: entry.id, message: "m-1")], target: "duty/webhook/0")
        try await s.assignMessage([(id: entry.id, message: "m-2")], target: "duty/webhook/0")  // later attempts keep the first
        try await s.scheduleRetry([entry.id], target: "duty/webhook/0", retryAt: Self.t0 + 2, reason: "HTTP 503")
        let again = try await s.claimDeliveries(target: "duty/webhook/0", now: Self.t0 + 2, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60)
        #expect(claimed.first?.message == nil)
        #expect(again.first?.message == "m-1")  // the retry goes out in the same message
        #expect(try await s.claimDeliveries(target: "phones/email/0", now: Self.t0 + 29, limit: 10, claimant: "a", leaseUntil: Self.t0 + 60).isEmpty)
        try await s.finish([entry.id], target: "duty/webhook/0", as: .dead, at: Self.t0 + 3, reason: "HTTP 400")
        #expect(try await s.pendingNotifications(limit: 10).count == 1)
        try await s.finish([entry.id], target: "phones/email/0", as: .held, at: Self.t0 + 30, reason: "silenced by silence 1 (li: x)")
        #expect(try await s.pendingNotifications(limit: 10).isEmpty)
        let held = try await s.undelivered(.held, since: 0, limit: 10)
        #expect(held.map(\.reason) == ["silenced by silence 1 (li: x)"])
        #expect(held.first?.at == Self.t0 + 30 && held.first?.attempts == 0 && held.first?.entry.id == entry.id)
        let dead = try await s.undelivered(.dead, since: 0, limit: 10)
        #expect(dead.map(\.target) == ["duty/webhook/0"])
        #expect(dead.first?.attempts == 2 && dead.first?.reason == "HTTP 400")
        #expect(try await s.undelivered(.dead, since: Self.t0 + 4, limit: 10).isEmpty)
        #expect(try await s.undelivered(.delivered, since: 0, limit: 10).isEmpty)
        #expect(try await s.deliveryCounts()["phones/email/0"] == OutboxDepth(waiting: 0, deadLettered: 0, held: 1))
        // Finished deliveries are not finished again.
        try await s.finish([entry.id], target: "phones/email/0", as: .delivered, at: Self.t0 + 40, reason: nil)
        #expect(try await s.undelivered(.held, since: 0, limit: 10).count == 1)
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func theNotifiersOwnNotificationsAreQueuedRoutedAndFoundAsTheLatest(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let s = opened.store
        try await s.record([F.transition(from: .pending, to: .firing, at: Self.t0, sequence: 1)], updates: [], recordedAt: Self.t0)
        let own = AlertNotification(
            idempotencyKey: "cod-high/outlet/COD/1/repeat/\(Self.t0 + 3_600)", status: .firing, severity: .critical,
            labels: ["alertname": "cod-high"],
            annotations: [:], startsAt: Self.t0)
        let id = try await s.enqueue(own, routedTo: [.init(target: "duty/webhook/0", dueAt: Self.t0 + 3_600)], now: Self.t0 + 3_600)
        #expect(try await s.enqueue(own, routedTo: [.init(target: "duty/webhook/0", dueAt: Self.t0 + 3_600)], now: Self.t0 + 3_600) == id)
        #expect(try await s.unroutedNotifications(limit: 10).count == 1)  // the rule engine's, not the notifier's
        #expect(try await s.nextDue(target: "duty/webhook/0") == Self.t0 + 3_600)
        let latest = try await s.latestNotifications(of: [
            F.cod, AlertKey(rule: "other", station: "outlet", parameter: "COD"), AlertKey(rule: "cod-high", station: "outle", parameter: "COD"),
        ])
        #expect(latest.count == 1)
        #expect(latest[F.cod]?.id == id)
        #expect(latest[F.cod]?.notification == own)
        await opened.close()
    }

    /// Two daemons on one database drain one outbox at once: no delivery is claimed by both,
    /// and every delivery is claimed by one of them.
    @Test func twoStoresClaimingOneOutboxNeverShareADelivery() async throws {
        let location = try await Backend.postgres.makeLocation()
        let a = try await location.open(F.stations)
        let b = try await location.open(F.stations)
        let count = 300
        try await F.queue(count, in: a.store)
        let entries = try await a.store.unroutedNotifications(limit: 1_000)
        try await a.store.route(entries.map { OutboxRouting(id: $0.id, deliveries: [.init(target: "duty", dueAt: Self.t0)]) }, now: Self.t0)

        @Sendable func drain(_ store: any InspectableStore, as claimant: String) async throws -> [Int64] {
            var claimed: [Int64] = []
            while true {
                let batch = try await store.claimDeliveries(target: "duty", now: Self.t0, limit: 7, claimant: claimant, leaseUntil: Self.t0 + 300)
                if batch.isEmpty { return claimed }
                claimed += batch.map(\.entry.id)
            }
        }
        async let byA = drain(a.store, as: "a")
        async let byB = drain(b.store, as: "b")
        let (fromA, fromB) = try await (byA, byB)
        #expect(Set(fromA).isDisjoint(with: fromB), "claimed by both: \(Set(fromA).intersection(fromB).sorted())")
        #expect(fromA.count + fromB.count == count)
        #expect(Set(fromA + fromB) == Set(entries.map(\.id)))
        // The claims are leases in the database: the claimant of each is the one that got it.
        let claimants = try #require(try await location.psql("SELECT claimant, count(*) FROM outbox_delivery GROUP BY claimant ORDER BY 1"))
        let expected = [("a", fromA.count), ("b", fromB.count)].filter { $0.1 > 0 }.map { "\($0.0)|\($0.1)" }.joined(separator: "\n")
        #expect(claimants == expected)
        await a.close()
        await b.close()
    }

    /// A daemon that died mid-send (its lease ran out) leaves its deliveries to another.
    @Test func anExpiredLeaseIsClaimedAgainByAnotherStore() async throws {
        let location = try await Backend.postgres.makeLocation()
        let a = try await location.open(F.stations)
        let b = try await location.open(F.stations)
        try await F.queue(4, in: a.store)
        for entry in try await a.store.unroutedNotifications(limit: 10) { try await a.store.route(entry.id, to: ["duty"], now: Self.t0) }
        let byA = try await a.store.claimDeliveries(target: "duty", now: Self.t0, limit: 10, claimant: "a", leaseUntil: Self.t0 + 30)
        #expect(byA.count == 4)
        await a.close()  // gone without a word
        #expect(try await b.store.claimDeliveries(target: "duty", now: Self.t0 + 29, limit: 10, claimant: "b", leaseUntil: Self.t0 + 90).isEmpty)
        #expect(try await b.store.nextDue(target: "duty") == Self.t0 + 30)
        let byB = try await b.store.claimDeliveries(target: "duty", now: Self.t0 + 30, limit: 10, claimant: "b", leaseUntil: Self.t0 + 90)
        #expect(byB.map(\.entry.id) == byA.map(\.entry.id))
        #expect(byB.allSatisfy { $0.attempts == 1 })
        for d in byB { try await b.store.markDelivered(d.entry.id, target: "duty", at: Self.t0 + 31) }
        #expect(try await b.store.pendingNotifications(limit: 10).isEmpty)
        await b.close()
    }

    /// Two daemons finishing the two receivers of the same notifications at once: each
    /// notification is finished once both are, whichever commits last.
    @Test func twoStoresFinishingTheLastDeliveriesOfANotificationFinishIt() async throws {
        let location = try await Backend.postgres.makeLocation()
        let a = try await location.open(F.stations)
        let b = try await location.open(F.stations)
        let count = 120
        try await F.queue(count, in: a.store)
        let entries = try await a.store.unroutedNotifications(limit: 1_000)
        try await a.store.route(
            entries.map { OutboxRouting(id: $0.id, deliveries: [.init(target: "x", dueAt: Self.t0), .init(target: "y", dueAt: Self.t0)]) },
            now: Self.t0)

        @Sendable func deliver(_ store: any InspectableStore, target: String) async throws {
            for d in try await store.claimDeliveries(target: target, now: Self.t0, limit: 1_000, claimant: target, leaseUntil: Self.t0 + 60) {
                try await store.markDelivered(d.entry.id, target: target, at: Self.t0 + 1)
            }
        }
        async let x: Void = deliver(a.store, target: "x")
        async let y: Void = deliver(b.store, target: "y")
        _ = try await (x, y)
        #expect(try await a.store.pendingNotificationCount() == 0)
        #expect(try await a.store.purgeFinished(before: Self.t0 + 2) == count)
        await a.close()
        await b.close()
    }
}
