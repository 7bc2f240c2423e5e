public import Foundation

/// A child process run to its end for a test, waited for on a thread of its own (``OffPool``):
/// python3 peers and checks, `systemd-analyze`, a browser may take seconds, and Swift's
/// cooperative pool (two threads on two cores) is every other test's.
public enum ChildProcess {
    /// Runs `executable` with `arguments` and returns its exit status and what it wrote to
    /// standard output, with standard error as well when `mergingStandardError` (else standard
    /// error is the test process's).
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, mergingStandardError: Bool = false
    ) async throws -> (status: Int32, output: Data) {
        try await OffPool.run {
            // posix_spawn, not Foundation's Process (its run() can fault: see ``Spawn``).
            let r = try Spawn.runBlocking(
                executable, arguments, environment: environment, standardError: mergingStandardError ? .merged : .inherited)
            return (r.status, r.stdout)
        }
    }
}
