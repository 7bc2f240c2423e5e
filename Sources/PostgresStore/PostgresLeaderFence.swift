import Logging
import PostgresNIO
public import Store
import Synchronization

/// The rule leader's term on this store: once set (``PostgresStore/lead(term:)``), every journal
/// write checks in its own transaction that `rule_leader.term` is still this term — locking the
/// row, so a new leader's election waits for it — and fails with ``StoreError/Code/conflict``
/// when a newer leader has taken over. The same transaction moves `rule_leader.evaluated_seq` to
/// the commit-log batch the leader evaluated last (``PostgresStore/evaluated(through:)``).
final class LeaderFence: Sendable {
    private let state = Mutex<(term: Int64?, evaluated: Int64?)>((nil, nil))

    var term: Int64? { state.withLock { $0.term } }

    func lead(term: Int64?) { state.withLock { $0 = (term, nil) } }

    func evaluated(through seq: Int64) { state.withLock { $0.evaluated = max($0.evaluated ?? seq, seq) } }

    /// Checks the term and writes the cursor, first in a journal transaction; nothing when no
    /// term is set (one daemon, no election).
    func check(on connection: PostgresConnection, logger: Logger) async throws {
        let (term, evaluated) = state.withLock { ($0.term, $0.evaluated) }
        guard let term else { return }
        var current: Int64?
        for try await t in try await connection.query("SELECT term FROM rule_leader WHERE id = 1 FOR UPDATE", logger: logger).decode(Int64.self) {
            current = t
        }
        guard current == term else {
            throw StoreError(.conflict, "the rule leader of term \(term) was superseded (term \(current.map(String.init) ?? "?") leads)")
        }
        if let evaluated {
            try await connection.query(
                "UPDATE rule_leader SET evaluated_seq = greatest(evaluated_seq, \(evaluated)) WHERE id = 1", logger: logger)
        }
    }
}

extension PostgresStore {
    /// Fences this store's journal writes by the rule leader's `term` (from
    /// ``PostgresLeaderLock/tryLead(now:)``); nil lifts the fence (one daemon, no election).
    public func lead(term: Int64?) { fence.lead(term: term) }

    /// The commit-log batch the leader has evaluated through: written with the next journal
    /// transaction (``record(_:updates:recordedAt:)``) or by ``advanceEvaluation()``.
    public func evaluated(through seq: Int64) { fence.evaluated(through: seq) }

    /// Writes the evaluated cursor now, fenced: for a batch that recorded no transition.
    /// - Throws: ``StoreError`` with code `conflict` when a newer leader has taken over.
    public func advanceEvaluation() async throws(StoreError) {
        guard fence.term != nil else { throw StoreError(.badQuery, "no rule leader's term to advance under") }
        let fence = fence
        let logger = logger
        do {
            try await client.withTransaction(logger: logger) { connection in try await fence.check(on: connection, logger: logger) }
        } catch {
            throw Self.error(.conflict, "cannot advance the rule leader's cursor", error)
        }
    }

    /// The rule leader's row as it stands: its term and evaluated commit-log sequence number.
    public func ruleLeader() async throws(StoreError) -> (term: Int64, evaluatedSeq: Int64, holder: String?) {
        do {
            let rows = try await client.query("SELECT term, evaluated_seq, holder FROM rule_leader WHERE id = 1", logger: logger)
            for try await (term, seq, holder) in rows.decode((Int64, Int64, String?).self) { return (term, seq, holder) }
            return (0, 0, nil)
        } catch {
            throw Self.error(.read, "cannot read the rule leader", error)
        }
    }
}
