import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// What every ``AlertJournal`` promises, on each store: a transition lands with its instance,
/// its episode, its history row and its notification; pending periods stay out of the history;
/// a replayed transition queues nothing twice; state survives a reopen; a failed batch leaves nothing.
@Suite struct AlertJournalSuite {
    typealias F = AlertFixtures
    let t0 = AlertFixtures.t0

    @Test(arguments: Backend.stores)
    func anEpisodeIsRecordedFromPendingToResolvedAndSurvivesAReopen(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        do {
            let opened = try await location.open(F.stations)
            let store = opened.store
            // Pending: the instance row keeps its timer; no history, no episode, no notification.
            try await store.record([F.transition(from: .inactive, to: .pending, at: t0, sequence: 1)], updates: [], recordedAt: t0 + 5)
            #expect(try await store.loadAlertInstances().map(\.state) == [.pending])
            #expect(try await store.alertHistory(since: 0, limit: 10).isEmpty)
            #expect(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).isEmpty)
            // Firing: an episode opens and the notification is queued.
            let firing = F.transition(from: .pending, to: .firing, at: t0 + 3_600, sequence: 2)
            try await store.record([firing], updates: [], recordedAt: t0 + 3_605)
            let outbox = try await store.pendingNotifications(limit: 10)
            #expect(outbox.map(\.notification.idempotencyKey) == ["cod-high/outlet/COD/2"])
            #expect(outbox.first?.createdAt == t0 + 3_605)
            #expect(outbox.first?.notification == F.notification(sequence: 2))
            #expect(try await store.pendingNotificationCount() == 1)
            // A worse value while firing: an update, not a transition; the episode's peak follows.
            var worse = firing.instance
            worse.value = 150
            worse.peak = 150
            worse.clearingSince = t0 + 4_000
            try await store.record([], updates: [worse], recordedAt: t0 + 4_000)
            await opened.close()
        }
        // Another process: the firing instance is resumed with its episode and timers.
        let opened = try await location.open(F.stations)
        let store = opened.store
        let loaded = try await store.loadAlertInstances()
        #expect(loaded.count == 1)
        #expect(loaded.first?.state == .firing && loaded.first?.pendingSince == t0 && loaded.first?.clearingSince == t0 + 4_000)
        #expect(loaded.first?.peak == 150 && loaded.first?.value == 150 && loaded.first?.sequence == 2)
        let episodes = try await store.alertEpisodes(overlapping: t0..<(t0 + 86_400))
        #expect(episodes.count == 1)
        #expect(loaded.first?.episode == episodes.first?.id)
        #expect(episodes.first?.startedAt == t0 && episodes.first?.firedAt == t0 + 3_600 && episodes.first?.endedAt == nil)
        #expect(episodes.first?.peak == 150 && episodes.first?.severity == .critical && episodes.first?.key == F.cod)

        // Resolution closes the episode and queues the resolved message; written twice (a retry
        // after an unknown outcome), it queues it once.
        let resolved = F.transition(from: .firing, to: .resolved, at: t0 + 7_200, sequence: 3, value: 40, peak: 150)
        try await store.record([resolved], updates: [], recordedAt: t0 + 7_201)
        try await store.record([resolved], updates: [], recordedAt: t0 + 7_202)
        let closed = try await store.alertEpisodes(overlapping: t0..<(t0 + 86_400))
        #expect(closed.map(\.endedAt) == [t0 + 7_200])
        #expect(closed.first?.peak == 150)
        #expect(try await store.pendingNotifications(limit: 10).map(\.notification.status) == [.firing, .resolved])
        #expect(try await store.loadAlertInstances().map(\.state) == [.resolved])
        #expect(try await store.loadAlertInstances().first?.episode == nil)
        let history = try await store.alertHistory(since: 0, limit: 10)
        #expect(history.map(\.to) == [.resolved, .resolved, .firing])
        #expect(history.first?.from == .firing && history.first?.value == 40 && history.first?.recordedAt == t0 + 7_202)
        #expect(history.first?.reason == "COD 40.0 above 90" && history.first?.at == t0 + 7_200 && history.first?.key == F.cod)
        #expect(try await store.alertHistory(since: t0 + 3_606, limit: 10).map(\.recordedAt) == [t0 + 7_202, t0 + 7_201])
        #expect(try await store.alertHistory(since: 0, limit: 1).count == 1)
        // Back to inactive: the instance row goes.
        try await store.record([F.transition(from: .resolved, to: .inactive, at: t0 + 9_000, sequence: 4)], updates: [], recordedAt: t0 + 9_000)
        #expect(try await store.loadAlertInstances().isEmpty)
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func episodesAreThoseOpenOrEndedInTheRangeThatStartedBeforeItsEnd(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let store = opened.store
        let a = AlertKey(rule: "cod-high", station: "a", parameter: "COD")
        let b = AlertKey(rule: "cod-high", station: "b", parameter: "COD")
        let c = AlertKey(rule: "cod-high", station: "c", parameter: "COD")
        // a: fired and resolved on day 0; b: fired on day 0, still open; c: fires on day 2.
        try await store.record(
            [
                F.transition(a, from: .pending, to: .firing, at: t0, sequence: 1, pendingSince: t0),
                F.transition(b, from: .pending, to: .firing, at: t0 + 600, sequence: 1, pendingSince: t0 + 600),
                F.transition(a, from: .firing, to: .resolved, at: t0 + 3_600, sequence: 2),
                F.transition(c, from: .pending, to: .firing, at: t0 + 2 * 86_400, sequence: 1, pendingSince: t0 + 2 * 86_400),
            ], updates: [], recordedAt: t0)
        let day1 = t0 + 86_400..<(t0 + 2 * 86_400)
        #expect(try await store.alertEpisodes(overlapping: day1).map(\.key) == [b])
        #expect(try await store.alertEpisodes(overlapping: t0..<(t0 + 86_400)).map(\.key) == [a, b])
        #expect(try await store.alertEpisodes(overlapping: t0..<(t0 + 3 * 86_400)).map(\.key) == [a, b, c])
        await opened.close()
    }

    /// A batch of transitions commits as one: when its last statement fails, its first
    /// transitions, their episodes and notifications are not there either. (PostgreSQL: a
    /// trigger refuses one notification; the SQLite store's batches are one `pool.write`.)
    @Test func aFailedBatchLeavesNothingBehind() async throws {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(F.stations)
        let store = opened.store
        _ = try await location.psql(
            """
            CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
            CREATE TRIGGER boom BEFORE INSERT ON alert_outbox FOR EACH ROW WHEN (NEW.idempotency_key LIKE 'cod-high/boom/%')
                EXECUTE FUNCTION refuse_boom();
            """)
        let good = F.transition(from: .pending, to: .firing, at: t0, sequence: 1)
        let bad = F.transition(AlertKey(rule: "cod-high", station: "boom", parameter: "COD"), from: .pending, to: .firing, at: t0, sequence: 1)
        var worse = good.instance
        worse.peak = 200
        do {
            try await store.record([good, bad], updates: [worse], recordedAt: t0)
            Issue.record("the refused notification did not fail the batch")
        } catch {
            #expect(error.code == .write)
            #expect(error.message.contains("boom"), "\(error.message)")
        }
        #expect(try await store.loadAlertInstances().isEmpty)
        #expect(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).isEmpty)
        #expect(try await store.alertHistory(since: 0, limit: 10).isEmpty)
        #expect(try await store.pendingNotifications(limit: 10).isEmpty)
        // The same batch without the refused one goes in whole.
        try await store.record([good], updates: [worse], recordedAt: t0)
        #expect(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).map(\.peak) == [200])
        await opened.close()
    }
}

/// PostgreSQL writes a batch of transitions in a few set statements (``JournalBatch``), SQLite row
/// by row: the same batches give the same rows, ids included, however the batch mixes keys that
/// open, close and reopen episodes, replays and updates.
@Suite struct JournalBatchTests {
    typealias F = AlertFixtures
    let t0 = AlertFixtures.t0

    @Test func mixedBatchesLeaveTheSameRowsOnBothStores() async throws {
        let a = AlertKey(rule: "cod-high", station: "a", parameter: "COD")
        let b = AlertKey(rule: "cod-high", station: "b", parameter: "COD")
        let c = AlertKey(rule: "cod-high", station: "c", parameter: "COD")
        let d = AlertKey(rule: "cod-high", station: "d", parameter: "COD")
        func update(_ k: AlertKey, _ state: AlertState, sequence: Int, peak: Double, at: Int64) -> AlertInstance {
            AlertInstance(
                key: k, state: state, since: t0, pendingSince: t0, clearingSince: at, value: peak - 1, peak: peak, lastObserved: at,
                sequence: sequence)
        }
        var lookup = F.transition(c, from: .firing, to: .firing, at: t0 + 50, sequence: 1, value: 130, peak: 130)
        lookup.notification = nil  // active to active with no episode id: looked up by key
        let batches: [(transitions: [AlertTransition], updates: [AlertInstance], at: Int64)] = [
            (
                [
                    F.transition(a, from: .inactive, to: .pending, at: t0, sequence: 1),
                    F.transition(a, from: .pending, to: .firing, at: t0 + 10, sequence: 2),
                    F.transition(b, from: .pending, to: .firing, at: t0 + 10, sequence: 1),
                    F.transition(b, from: .firing, to: .resolved, at: t0 + 20, sequence: 2, value: 10, peak: 125),
                    F.transition(b, from: .resolved, to: .pending, at: t0 + 30, sequence: 3),
                    F.transition(b, from: .pending, to: .firing, at: t0 + 40, sequence: 4, pendingSince: t0 + 30),
                    F.transition(c, from: .pending, to: .firing, at: t0 + 45, sequence: 1),
                    lookup,
                ],
                [update(a, .firing, sequence: 2, peak: 150, at: t0 + 15), update(c, .firing, sequence: 9, peak: 140, at: t0 + 55)], t0 + 60
            ),
            (
                [
                    F.transition(a, from: .firing, to: .resolved, at: t0 + 100, sequence: 3, value: 20, peak: 150),
                    F.transition(a, from: .resolved, to: .pending, at: t0 + 110, sequence: 4),
                    F.transition(a, from: .pending, to: .firing, at: t0 + 120, sequence: 5, pendingSince: t0 + 110),
                    F.transition(c, from: .firing, to: .resolved, at: t0 + 130, sequence: 2, value: 30, peak: 140),
                    F.transition(c, from: .resolved, to: .inactive, at: t0 + 140, sequence: 3),
                    F.transition(d, from: .inactive, to: .pending, at: t0 + 140, sequence: 1),
                    F.transition(d, from: .pending, to: .inactive, at: t0 + 145, sequence: 2),
                ],
                [update(b, .firing, sequence: 4, peak: 160, at: t0 + 150), update(d, .firing, sequence: 1, peak: 1, at: t0 + 150)], t0 + 160
            ),
        ]
        var rows: [AlertStateRows] = []
        for backend in Backend.stores {
            let opened = try await backend.makeLocation().open(F.stations)
            for batch in batches + [batches[1]] {  // the last one replayed
                try await opened.store.record(batch.transitions, updates: batch.updates, recordedAt: batch.at)
            }
            if let sqlite = opened.store as? SQLiteStore { rows.append(try await sqlite.alertStateRows()) }
            if let postgres = opened.store as? PostgresStore { rows.append(try await postgres.alertStateRows()) }
            await opened.close()
        }
        try #require(rows.count == 2)
        #expect(rows[0] == rows[1])
        for (table, n) in rows[0].counts.sorted(by: { $0.key < $1.key }) where n != rows[1].counts[table] {
            Issue.record("\(table): \(n) on SQLite, \(rows[1].counts[table] ?? 0) on PostgreSQL")
        }
        #expect(rows[0].instances == rows[1].instances)
        #expect(rows[0].episodes == rows[1].episodes)
        #expect(rows[0].transitions == rows[1].transitions)
        #expect(rows[0].notifications == rows[1].notifications)
        // The batches did what they say: four episodes for a and b, one for c, none for d.
        #expect(rows[1].episodes.map(\.key.station) == ["a", "b", "b", "c", "a", "a"])
        #expect(rows[1].episodes.map { $0.endedAt != nil } == [true, true, false, true, true, false])
        #expect(rows[1].instances.map(\.key.station) == ["a", "b"])
    }
}
