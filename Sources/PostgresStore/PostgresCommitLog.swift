public import Monitoring
import PostgresNIO
public import Store

/// The order in which readings were committed, across every daemon writing one database: each
/// write transaction of a store with ``PostgresStoreConfiguration/logsCommits`` appends its
/// fresh readings (stored new or changed) to `commit_log` as one row, numbered at the very end
/// of the transaction under a transaction-scoped advisory lock. The lock is held until the
/// commit, so sequence order is commit order, and the numbers have no gaps: a reader that sees
/// row N knows every row before N is committed and visible. The rule leader evaluates the rows
/// in that order (``PostgresLeaderLock``).
enum PostgresCommitLog {
    /// The advisory lock key that orders the appends (ASCII "envmonCL").
    static let lockKey: Int64 = 0x656E_766D_6F6E_434C

    /// The tables: the log, and the one row of the rule leader (its term and how far it got).
    static let statements = [
        """
        CREATE TABLE commit_log (
            seq bigint PRIMARY KEY,
            committed_at bigint NOT NULL,
            series integer[] NOT NULL,
            ts bigint[] NOT NULL,
            value double precision[] NOT NULL,
            flag text[] NOT NULL
        )
        """,
        """
        CREATE TABLE rule_leader (
            id smallint PRIMARY KEY CHECK (id = 1),
            term bigint NOT NULL,
            evaluated_seq bigint NOT NULL,
            holder text,
            since bigint
        )
        """,
        "INSERT INTO rule_leader (id, term, evaluated_seq) VALUES (1, 0, 0)",
    ]

    /// Appends one transaction's fresh readings, last in the transaction: the lock, then the row
    /// numbered after the newest committed one.
    static func append(
        series: [Int32], times: [Int64], values: [Double], flags: [String], at now: Int64, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard !series.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
        // A statement after the lock: its snapshot holds every row committed before it was granted.
        try await connection.query(
            """
            INSERT INTO commit_log (seq, committed_at, series, ts, value, flag)
            SELECT coalesce(max(seq), 0) + 1, \(now), \(series), \(times), \(values), \(flags) FROM commit_log
            """, logger: logger)
    }
}

/// One committed transaction's fresh readings, as the commit log holds them.
public struct CommittedBatch: Sendable, Hashable {
    /// Its place in commit order (1, 2, 3, … with no gaps).
    public var seq: Int64
    /// When it was committed, by the writer's clock (seconds since the epoch).
    public var committedAt: Int64
    /// The readings stored new or changed, in (series, time) order.
    public var samples: [Sample]
}

extension PostgresStore {
    /// The committed batches after `seq`, oldest first, at most `limit` of them: what the rule
    /// leader evaluates next. Empty when the log holds nothing after `seq`.
    public func commits(after seq: Int64, limit: Int = 100) async throws(StoreError) -> [CommittedBatch] {
        do {
            let rows = try await client.query(
                """
                SELECT c.seq, c.committed_at, s.station, s.parameter, s.kind, u.ts, u.value, u.flag
                FROM (SELECT * FROM commit_log WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)) c
                CROSS JOIN LATERAL unnest(c.series, c.ts, c.value, c.flag) WITH ORDINALITY AS u(series, ts, value, flag, n)
                JOIN series s ON s.id = u.series
                ORDER BY c.seq, u.n
                """, logger: logger)
            var out: [CommittedBatch] = []
            for try await (n, at, station, parameter, kind, t, value, flag) in rows.decode(
                (Int64, Int64, String, String, String, Int64, Double, String).self)
            {
                if out.last?.seq != n { out.append(CommittedBatch(seq: n, committedAt: at, samples: [])) }
                guard let kind = SeriesKind(rawValue: kind) else { continue }
                out[out.count - 1].samples.append(
                    Sample(series: SeriesKey(station: station, parameter: parameter, kind: kind), time: t, value: value, flag: DataFlag(rawValue: flag) ?? .normal))
            }
            return out
        } catch {
            throw Self.error(.read, "cannot read the commit log after \(seq)", error)
        }
    }

    /// The newest sequence number in the commit log (0 when it is empty).
    public func lastCommitSeq() async throws(StoreError) -> Int64 {
        do {
            let rows = try await client.query("SELECT coalesce(max(seq), 0) FROM commit_log", logger: logger)
            for try await n in rows.decode(Int64.self) { return n }
            return 0
        } catch {
            throw Self.error(.read, "cannot read the commit log", error)
        }
    }
}
