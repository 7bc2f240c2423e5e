import EnvmonTesting
import Foundation

/// Runs the real `envmon` executable, as an operator would, from the package root.
enum Envmon {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The shared data folder beside the checkout (`../shared/data`).
    static let sharedData = (root as NSString).deletingLastPathComponent + "/shared/data"

    static var binary: String {
        if let env = ProcessInfo.processInfo.environment["ENVMON_BIN"] { return env }
        // The test bundle sits in the same build folder as the executable.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [beside, beside.deletingLastPathComponent()] where FileManager.default.isExecutableFile(atPath: dir.path + "/envmon") {
            return dir.path + "/envmon"
        }
        return root + "/.build/debug/envmon"
    }

    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `envmon` with `arguments` and waits for it to exit. The wait happens on a thread of its
    /// own (``OffPool``), not on one of the cooperative pool's threads (two, on a 2-core machine),
    /// which every other test of the process needs for its timers and async work.
    static func run(_ arguments: [String]) async throws -> Result {
        try await OffPool.run { try runBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> Result {
        // posix_spawn, not Foundation's Process (its run() can fault: see ``Spawn``).
        let r = try Spawn.runBlocking(binary, arguments, directory: root)
        return Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: String(decoding: r.stderr, as: UTF8.self))
    }
}
