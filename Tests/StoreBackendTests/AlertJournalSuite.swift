import EnvmonTesting
import Foundation
import Monitoring
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
