import EnvmonTesting
import Foundation

/// The rule leader as the database says (`rule_leader` and the commit log), read with psql: what
/// an operator checks, and how the leader tests time a takeover.
struct PostgresTakeover: Sendable {
    /// One look at `rule_leader` and the commit log's head.
    struct Row: Sendable, Equatable {
        var term: Int64
        var evaluatedSeq: Int64
        /// The pid at the end of `holder` (`envmon@host:pid`), or nil.
        var pid: Int32?
        /// The last commit-log batch (0 when none).
        var head: Int64
    }

    let db: TestDatabase

    /// Starts `envmon serve ARGUMENTS` off the cooperative pool (``Daemon/start(_:logPath:launcher:environment:)``).
    static func start(_ arguments: [String], logPath: String) async throws -> Daemon {
        try await Daemon.start(arguments, logPath: logPath)
    }

    /// Sends `signal` to `daemon` and waits for its exit off the cooperative pool; returns its status.
    static func stop(_ daemon: Daemon, _ signal: Int32 = SIGTERM) async throws -> Int32 {
        await daemon.stop(signal)
    }

    /// `rule_leader` and the commit log's head now.
    func row() async throws -> Row? {
        let text = try await db.psql(
            "SELECT term || '|' || evaluated_seq || '|' || coalesce(holder, '') || '|' || (SELECT coalesce(max(seq), 0) FROM commit_log) FROM rule_leader")
        let f = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard f.count == 4, let term = Int64(f[0]), let seq = Int64(f[1]), let head = Int64(f[3]) else { return nil }
        return Row(term: term, evaluatedSeq: seq, pid: f[2].split(separator: ":").last.flatMap { Int32($0) }, head: head)
    }

    /// Waits (polling every 100 ms, for at most `limit`) until one of `pids` leads.
    func leader(among pids: Set<Int32>, limit: Duration = .seconds(20)) async throws -> Row? {
        let end = ContinuousClock.now + limit
        while ContinuousClock.now < end {
            if let r = try await row(), let pid = r.pid, pids.contains(pid) { return r }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// The takeover after the leader of `old` stopped at `since`: waits (polling every 100 ms,
    /// for at most `limit`) until a daemon other than `old.pid` leads in a later term AND its cursor
    /// has reached the commit log's head — or `through`, when more keeps being committed — and
    /// returns that leader and the time since `since`; nil if it did not come within `limit`.
    func takeover(
        from old: Row, since: ContinuousClock.Instant, through: Int64? = nil, limit: Duration = .seconds(30)
    ) async throws -> (row: Row, after: Duration)? {
        let end = since + limit
        while ContinuousClock.now < end {
            if let r = try await row(), r.term > old.term, r.pid != nil, r.pid != old.pid, r.evaluatedSeq >= (through ?? r.head) {
                return (r, since.duration(to: .now))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// A duration in seconds with two decimals, for the figures a test prints.
    static func seconds(_ d: Duration) -> String {
        String(format: "%.2f", Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
