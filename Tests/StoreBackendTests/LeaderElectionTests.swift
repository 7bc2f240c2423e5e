import EnvmonTesting
import Foundation
import Logging
import Monitoring
import PostgresStore
import Store
import Testing

/// The rule leader of several daemons on one database: one holder of the leader lock at a time,
/// a new term for each new holder (also when the old one's connection died), and journal writes
/// fenced by the term, with the evaluated cursor moving in the same transaction.
@Suite struct LeaderElectionTests {
    typealias F = AlertFixtures
    let t0 = AlertFixtures.t0

    func candidate(_ location: Location, _ name: String) throws -> PostgresLeaderLock {
        guard case .postgres(_, let url, _) = location else { throw StoreError(.badQuery, "not PostgreSQL") }
        var logger = Logger(label: "envmon.leader")
        logger.logLevel = .critical
        return PostgresLeaderLock(configuration: try PostgresStoreConfiguration(url: url), holder: name, logger: logger)
    }

    @Test func oneCandidateLeadsAtATimeAndEachNewLeaderHasTheNextTerm() async throws {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(F.stations)  // migrates
        let store = try #require(opened.store as? PostgresStore)
        let a = try candidate(location, "a")
        let b = try candidate(location, "b")
        #expect(try await a.tryLead(now: t0) == .init(term: 1, evaluatedSeq: 0))
        #expect(try await b.tryLead(now: t0) == nil)
        // Still leading: the same term, no new election.
        #expect(try await a.tryLead(now: t0 + 1) == .init(term: 1, evaluatedSeq: 0))
        #expect(try await store.ruleLeader().holder == "a")
        // A resigns: B leads with the next term.
        await a.resign()
        #expect(try await b.tryLead(now: t0 + 2) == .init(term: 2, evaluatedSeq: 0))
        #expect(try await a.tryLead(now: t0 + 3) == nil)
        // B's connection dies (as when its daemon is killed; the server's end is waited for): the
        // lock goes with it, A leads.
        _ = try await location.psql("SELECT pg_terminate_backend(pid, 10000) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
        await #expect(throws: StoreError.self) { try await b.tryLead(now: t0 + 4) }
        #expect(try await a.tryLead(now: t0 + 5) == .init(term: 3, evaluatedSeq: 0))
        #expect(try await b.tryLead(now: t0 + 6) == nil)
        #expect(try await store.ruleLeader().holder == "a")
        await a.resign()
        await b.resign()
        await opened.close()
    }

    @Test func aSupersededLeaderCannotWriteTheJournalAndTheCurrentOneMovesTheCursorWithItsTransitions() async throws {
        let location = try await Backend.postgres.makeLocation()
        let first = try await location.open(F.stations)
        let second = try await location.open(F.stations)
        let old = try #require(first.store as? PostgresStore)
        let new = try #require(second.store as? PostgresStore)
        let a = try candidate(location, "a")
        let b = try candidate(location, "b")

        let termA = try #require(try await a.tryLead(now: t0)).term
        old.lead(term: termA)
        old.evaluated(through: 3)
        try await old.record([F.transition(from: .pending, to: .firing, at: t0, sequence: 1)], updates: [], recordedAt: t0)
        #expect(try await new.ruleLeader().evaluatedSeq == 3)
        #expect(try await new.alertHistory(since: 0, limit: 10).count == 1)

        // A loses the lock; B takes over and resumes where A's last transaction left the cursor.
        await a.resign()
        let leadership = try #require(try await b.tryLead(now: t0 + 10))
        #expect(leadership == .init(term: termA + 1, evaluatedSeq: 3))
        new.lead(term: leadership.term)

        // A, not knowing yet, evaluates on: refused, nothing written, the cursor unmoved.
        old.evaluated(through: 4)
        let refused = await #expect(throws: StoreError.self) {
            try await old.record([F.transition(from: .firing, to: .resolved, at: t0 + 60, sequence: 2, value: 40)], updates: [], recordedAt: t0 + 60)
        }
        #expect(refused?.code == .conflict)
        await #expect(throws: StoreError.self) { try await old.advanceEvaluation() }
        #expect(try await new.alertHistory(since: 0, limit: 10).count == 1)
        #expect(try await new.ruleLeader().evaluatedSeq == 3)

        // B records the same transition, and a batch without transitions moves the cursor alone.
        new.evaluated(through: 4)
        try await new.record([F.transition(from: .firing, to: .resolved, at: t0 + 60, sequence: 2, value: 40)], updates: [], recordedAt: t0 + 60)
        #expect(try await new.ruleLeader().evaluatedSeq == 4)
        new.evaluated(through: 5)
        try await new.advanceEvaluation()
        #expect(try await new.ruleLeader().evaluatedSeq == 5)
        #expect(try await new.alertHistory(since: 0, limit: 10).count == 2)
        await b.resign()
        await second.close()
        await first.close()
    }
}
