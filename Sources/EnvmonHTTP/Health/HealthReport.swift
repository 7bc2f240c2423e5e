import Foundation

/// What the readiness checks found, all run at once: the body of `/readyz`.
///
/// ```json
/// {"status":"failing","checks":[{"name":"store","status":"failing","reason":"…"},{"name":"hj212","status":"ok"}],"failing":["store"]}
/// ```
public struct HealthReport: Sendable, Hashable {
    /// One check's result.
    public struct Entry: Sendable, Hashable {
        /// The check's name.
        public var name: String
        /// What it found.
        public var status: HealthStatus
    }

    /// The results, in the order of the checks.
    public var entries: [Entry]

    /// Whether every check passed (also when there are none).
    public var isHealthy: Bool { entries.allSatisfy(\.status.isOK) }

    /// The names of the checks that failed.
    public var failing: [String] { entries.filter { !$0.status.isOK }.map(\.name) }

    /// Runs every check concurrently, each within its timeout.
    /// - Parameter checks: the checks.
    /// - Returns: their results, in the order given.
    public static func run(_ checks: [HealthCheck]) async -> HealthReport {
        let statuses = await withTaskGroup(of: (Int, HealthStatus).self) { group in
            for (i, check) in checks.enumerated() {
                group.addTask { (i, await run(check)) }
            }
            var statuses = [HealthStatus](repeating: .ok, count: checks.count)
            for await (i, status) in group { statuses[i] = status }
            return statuses
        }
        return HealthReport(entries: zip(checks, statuses).map { Entry(name: $0.name, status: $1) })
    }

    /// Runs one check, failing it when it takes longer than its timeout.
    private static func run(_ check: HealthCheck) async -> HealthStatus {
        await withTaskGroup(of: HealthStatus?.self) { group in
            group.addTask { await check.check() }
            group.addTask {
                try? await Task.sleep(for: check.timeout)
                return Task.isCancelled ? nil : .failing("no answer within \(check.timeout)")
            }
            defer { group.cancelAll() }
            while let next = await group.next() {
                if let status = next { return status }
            }
            return .failing("no answer")
        }
    }

    /// The report as JSON: `status` (`ok` or `failing`), `checks` (name, status, reason when
    /// failing) and `failing` (the names of the failing checks).
    public var json: String {
        struct Body: Encodable {
            struct Check: Encodable {
                var name: String
                var status: String
                var reason: String?
            }
            var status: String
            var checks: [Check]
            var failing: [String]
        }
        let body = Body(
            status: isHealthy ? "ok" : "failing",
            checks: entries.map { entry in
                switch entry.status {
                case .ok: Body.Check(name: entry.name, status: "ok")
                case .failing(let reason): Body.Check(name: entry.name, status: "failing", reason: reason)
                }
            },
            failing: failing)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? #"{"status":"failing"}"#
    }

    /// One line for logs: `store: the file was deleted; hj212: not listening`.
    public var summary: String {
        entries.compactMap { entry in
            if case .failing(let reason) = entry.status { "\(entry.name): \(reason)" } else { nil }
        }.joined(separator: "; ")
    }
}
