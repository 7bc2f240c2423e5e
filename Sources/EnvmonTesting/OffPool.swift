import Foundation

/// Blocking work (a child process waited for, a lock held across one) on a thread of its own,
/// so that it never holds one of Swift's few cooperative threads: on two cores, tests that
/// started a PostgreSQL that way starved every other test of the process for seconds.
public enum OffPool {
    /// Runs `work` on a new thread and returns what it returned.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
