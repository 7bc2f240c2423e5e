import Logging
import ServiceLifecycle
import Store

/// Checks the store file every second while the daemon runs (the writer also checks after each
/// commit, and the checkpointer before each checkpoint). When the file was moved away, deleted,
/// replaced or overwritten, it logs that as critical and throws, which shuts the daemon down
/// with a non-zero exit: the writer already refuses every batch, so no unit is acknowledged
/// into a file nobody can read, and the units keep their data and resend it to the next daemon.
struct StoreFileWatch: Service {
    let store: SQLiteStore
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try store.checkFile()
            } catch {
                logger.critical("store: \(error.message); no reading is acknowledged any more, the daemon stops")
                throw error
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
