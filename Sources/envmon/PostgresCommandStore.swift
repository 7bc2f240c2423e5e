import Foundation
import Logging
import Monitoring
import PostgresStore
import Store
import Synchronization

/// A PostgreSQL store for one command: its connection pool runs while `body` does. A server
/// that does not answer ends the command after `connectSeconds` with a message naming it (the
/// pool alone would wait for it for ever); once it has answered, `body` takes as long as it takes.
enum PostgresCommandStore {
    /// Runs `body` on the store at `configuration`. Its schema is made or upgraded first when
    /// `migrating` (`migrate`, `import`: as a daemon starting would), else only checked: the
    /// other commands need no right to change it and never upgrade it under older daemons.
    /// Errors are the store's and `body`'s; `command` names the command in the message of a
    /// server that never answered.
    static func with<R: Sendable>(
        _ configuration: PostgresStoreConfiguration, stations: StationRegistry, command: String, migrating: Bool = false,
        connectSeconds: Int = 20, _ body: @escaping @Sendable (PostgresStore) async throws -> R
    ) async throws -> R {
        let logger = {
            var logger = Logger(label: "envmon.\(command)")
            logger.logLevel = .error
            return logger
        }()
        let connected = ContactFlag()
        let redacted = configuration.redactedURL
        return try await withThrowingTaskGroup(of: R?.self) { group in
            group.addTask {
                try await PostgresStore.withStore(configuration: configuration, stations: stations, logger: logger, migrating: migrating) { store in
                    connected.set()
                    return try await body(store)
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(connectSeconds))
                if connected.isSet { return nil }
                throw CLIError("\(command): cannot reach \(redacted) within \(connectSeconds) s")
            }
            while let next = try await group.next() {
                if let result = next {
                    group.cancelAll()
                    return result
                }
            }
            throw CLIError("\(command): stopped before it ended")
        }
    }
}

/// Whether the server has answered once, shared by the command's work and its first-contact timeout.
private final class ContactFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
