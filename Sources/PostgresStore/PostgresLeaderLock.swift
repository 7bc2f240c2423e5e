public import Logging
import NIOSSL
import PostgresNIO
public import Store
import Synchronization

/// Who evaluates the rules when several daemons share one database: the holder of a
/// session-level advisory lock, taken on a connection of its own (not the pool's), so that the
/// lock goes with the connection — a daemon killed or cut off loses it, and another takes it.
/// Each new holder increments `rule_leader.term`; its journal writes are fenced by that term
/// (``PostgresStore/lead(term:)``), so a leader that lost the lock without knowing it cannot
/// write any more.
///
/// ```swift
/// let lock = PostgresLeaderLock(configuration: config, holder: "envmon@office-2", logger: logger)
/// if let leadership = try await lock.tryLead(now: now) {   // every second or two
///     store.lead(term: leadership.term)
///     // evaluate store.commits(after: leadership.evaluatedSeq) …
/// }
/// ```
public final class PostgresLeaderLock: Sendable {
    /// The advisory lock key of the rule leader (ASCII "envmonRL").
    static let lockKey: Int64 = 0x656E_766D_6F6E_524C

    /// What a new leader starts from.
    public struct Leadership: Sendable, Hashable {
        /// Its term: one more than the last leader's.
        public var term: Int64
        /// The last commit-log sequence number an earlier leader evaluated.
        public var evaluatedSeq: Int64

        /// A leadership.
        public init(term: Int64, evaluatedSeq: Int64) {
            self.term = term
            self.evaluatedSeq = evaluatedSeq
        }
    }

    private let configuration: PostgresStoreConfiguration
    private let holder: String
    private let logger: Logger
    private let state = Mutex<(connection: PostgresConnection?, leadership: Leadership?)>((nil, nil))

    /// A candidate; nothing connects until ``tryLead(now:)``.
    /// - Parameters:
    ///   - holder: who this daemon is, recorded in `rule_leader.holder` while it leads.
    public init(configuration: PostgresStoreConfiguration, holder: String, logger: Logger) {
        self.configuration = configuration
        self.holder = holder
        self.logger = logger
    }

    /// Leads if it can: returns the leadership when this candidate holds the lock (newly or
    /// still), nil when another daemon holds it. A connection that no longer answers ends this
    /// candidate's leadership (it returns nil and tries again on a new connection next time).
    /// - Throws: ``StoreError`` when the database cannot be reached.
    public func tryLead(now: Int64) async throws(StoreError) -> Leadership? {
        let (connection, leading) = state.withLock { ($0.connection, $0.leadership) }
        do {
            if let connection, let leading {
                // Still ours while the connection answers (within 5 s: a connection cut off
                // without a word may never answer nor fail).
                guard await Self.answers(connection, logger: logger) else {
                    await resign()
                    throw StoreError(.read, "the leader lock's connection does not answer")
                }
                return leading
            }
            let c: PostgresConnection
            if let connection {
                c = connection
            } else {
                c = try await PostgresConnection.connect(configuration: try configuration.connection, id: 1, logger: logger)
                state.withLock { $0.connection = c }
                await Self.bound(c, logger: logger)
            }
            var granted = false
            for try await ok in try await c.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: logger).decode(Bool.self) {
                granted = ok
            }
            guard granted else { return nil }
            var leadership: Leadership?
            let rows = try await c.query(
                """
                UPDATE rule_leader SET term = term + 1, holder = \(holder), since = \(now) WHERE id = 1 RETURNING term, evaluated_seq
                """, logger: logger)
            for try await (term, seq) in rows.decode((Int64, Int64).self) { leadership = Leadership(term: term, evaluatedSeq: seq) }
            state.withLock { $0.leadership = leadership }
            return leadership
        } catch {
            await resign()
            throw PostgresStore.error(.read, "cannot take part in the rule leader's election at \(configuration.redactedURL)", error)
        }
    }

    /// Whether this candidate led at its last ``tryLead(now:)``.
    public var leadership: Leadership? { state.withLock { $0.leadership } }

    /// Gives the lock up (closes its connection); the next ``tryLead(now:)`` competes again.
    public func resign() async {
        let connection = state.withLock { s in
            defer { s = (nil, nil) }
            return s.connection
        }
        guard let connection else { return }
        // Released at once (the server frees a closed session's locks in its own time), then
        // closed; neither waited for past 5 s: a connection the server dropped may never answer.
        let logger = logger
        _ = await Self.within(.seconds(5)) {
            try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
            try await connection.close()
        }
    }

    /// Sets ``PostgresStoreConfiguration/leaderSessionSettings`` on the lock's session, each on
    /// its own: a server that lacks one (`idle_session_timeout` came with PostgreSQL 14) only
    /// makes the bound on a silent leader's lock looser, which is logged.
    static func bound(_ connection: PostgresConnection, logger: Logger) async {
        for (name, value) in PostgresStoreConfiguration.leaderSessionSettings {
            do {
                _ = try await connection.query("SELECT set_config(\(name), \(value), false)", logger: logger)
            } catch {
                logger.warning("rules: cannot set \(name) on the leader lock's session (a leader cut off keeps the lock longer): \(String(reflecting: error))")
            }
        }
    }

    /// Whether `connection` answers `SELECT 1` within 5 s.
    static func answers(_ connection: PostgresConnection, logger: Logger) async -> Bool {
        await within(.seconds(5)) { try await connection.query("SELECT 1", logger: logger) }
    }

    /// Whether `work` finished without error within `limit`; if not, it is left behind.
    static func within(_ limit: Duration, _ work: @escaping @Sendable () async throws -> Void) async -> Bool {
        let decided = Mutex(false)
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let resume: @Sendable (Bool) -> Void = { ok in
                let first = decided.withLock { done in
                    defer { done = true }
                    return !done
                }
                if first { continuation.resume(returning: ok) }
            }
            Task { resume((try? await work()) != nil) }
            Task {
                try? await Task.sleep(for: limit)
                resume(false)
            }
        }
    }
}

extension PostgresStoreConfiguration {
    /// What the server is told at the start of the lock's session (``PostgresLeaderLock/bound(_:logger:)``), so that it ends the session
    /// — and frees the lock — of a leader that stopped talking while its process lives on (a
    /// frozen or stopped process, a network cut off without a reset), instead of holding the lock
    /// until the operating system's keepalive gives up (two hours by default):
    ///
    /// - `idle_session_timeout` 15 s: the session of a candidate that sent no query for 15 s ends.
    ///   A live candidate queries every second (``PostgresLeaderLock/tryLead(now:)``; a leader
    ///   also while it primes and between the commit-log batches it evaluates).
    /// - `tcp_keepalives_idle` 5 s, `tcp_keepalives_interval` 2 s, `tcp_keepalives_count` 3: a
    ///   peer whose machine no longer answers TCP at all is found dead within about 11 s of silence.
    /// - `tcp_user_timeout` 10 s: data the server sent that stays unacknowledged that long ends it.
    static let leaderSessionSettings: [(String, String)] = [
        ("idle_session_timeout", "15s"), ("tcp_keepalives_idle", "5"), ("tcp_keepalives_interval", "2"),
        ("tcp_keepalives_count", "3"), ("tcp_user_timeout", "10000"),
    ]

    /// The configuration of one connection of its own (the leader lock's).
    var connection: PostgresConnection.Configuration {
        get throws {
            let tls: PostgresConnection.Configuration.TLS
            switch sslMode {
            case .disable: tls = .disable
            case .prefer, .require:
                var config = TLSConfiguration.makeClientConfiguration()
                config.certificateVerification = .none
                let context = try NIOSSLContext(configuration: config)
                tls = sslMode == .prefer ? .prefer(context) : .require(context)
            }
            return PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
    }
}
