import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// The plans of the outbox's claim and of the alert reads on PostgreSQL, over a history of
/// twenty thousand finished notifications and episodes: each reaches the few rows it returns
/// through an index, never by reading the history.
@Suite struct PostgresAlertPlanTests {
    /// A store whose outbox has 20,000 delivered notifications and 10 waiting, and whose journal
    /// 20,000 transitions and episodes (10 open).
    func filled() async throws -> (OpenStore, Location) {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(AlertFixtures.stations)
        let payload = AlertFixtures.notification(sequence: 1).json
        _ = try await location.psql(
            """
            INSERT INTO alert_outbox (idempotency_key, created_at, payload, routed_at, delivered_at)
                SELECT 'r/s' || g || '/p/1', g, '\(payload)', g, CASE WHEN g <= 20000 THEN g + 5 END FROM generate_series(1, 20010) g;
            INSERT INTO outbox_delivery (outbox, receiver, state, attempts, due_at, finished_at)
                SELECT id, 'duty', CASE WHEN delivered_at IS NULL THEN 'waiting' ELSE 'delivered' END, 1, created_at, delivered_at FROM alert_outbox;
            INSERT INTO alert_transition (rule, station, parameter, sequence, from_state, to_state, at, recorded_at, reason)
                SELECT 'r', 's' || g, 'p', 1, 'pending', 'firing', g, g, '' FROM generate_series(1, 20000) g;
            INSERT INTO alert_episode (rule, station, parameter, state, started_at, fired_at, ended_at)
                SELECT 'r', 's' || g, 'p', 'firing', g, g, CASE WHEN g <= 19990 THEN g + 10 END FROM generate_series(1, 20000) g;
            ANALYZE;
            """)
        return (opened, location)
    }

    func plan(_ location: Location, _ types: String, _ sql: String, _ arguments: String) async throws -> String {
        try #require(try await location.psql("PREPARE q(\(types)) AS \(sql); EXPLAIN (COSTS OFF) EXECUTE q(\(arguments))"))
    }

    @Test func theClaimReadsOnlyTheWaitingDeliveries() async throws {
        let (opened, location) = try await filled()
        let plan = try await plan(location, "text, bigint, bigint, text, bigint", PostgresAlertSQL.claim, "'duty', 30000, 10, 'a', 30030")
        #expect(plan.contains("outbox_delivery_due"), "\(plan)")
        #expect(plan.contains("LockRows"), "\(plan)")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        // And it claims them: the ten waiting ones.
        let claimed = try await opened.store.claimDeliveries(target: "duty", now: 30_000, limit: 100, claimant: "a", leaseUntil: 30_030)
        #expect(claimed.map(\.entry.id) == Array(20_001...20_010))
        await opened.close()
    }

    @Test func pendingHistoryAndEpisodesReadThroughTheirIndexes() async throws {
        let (opened, location) = try await filled()
        let pending = try await plan(location, "bigint", PostgresAlertSQL.pending, "100")
        #expect(pending.contains("alert_outbox_pending") && !pending.contains("Seq Scan"), "\(pending)")
        let history = try await plan(location, "bigint, bigint", PostgresAlertSQL.history, "19990, 100")
        #expect(history.contains("alert_transition_recorded") && history.contains("Backward") && !history.contains("Seq Scan"), "\(history)")
        let episodes = try await plan(location, "bigint, bigint", PostgresAlertSQL.episodes, "19995, 30000")
        #expect(episodes.contains("alert_episode_ended") && !episodes.contains("Seq Scan"), "\(episodes)")
        #expect(try await opened.store.alertEpisodes(overlapping: 19_995..<30_000).count == 16)  // 10 open, 6 ended since
        await opened.close()
    }
}
