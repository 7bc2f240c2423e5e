/// An error of the time-series store.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare codes, not messages.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case open, migration, write, read, unknownSeries, badQuery, closed, fileLost, notFound, conflict
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The database file could not be opened or configured.
        public static let open = Code(.open)
        /// A schema migration failed.
        public static let migration = Code(.migration)
        /// A batch could not be committed; none of it was stored.
        public static let write = Code(.write)
        /// A read failed.
        public static let read = Code(.read)
        /// The series is not in the store.
        public static let unknownSeries = Code(.unknownSeries)
        /// The query asks for something the store cannot answer (a zero step…).
        public static let badQuery = Code(.badQuery)
        /// The writer was closed.
        public static let closed = Code(.closed)
        /// The store file was moved away, deleted, replaced or overwritten while the daemon wrote
        /// it (see ``SQLiteStore/guardFile()``): nothing more is written or acknowledged.
        public static let fileLost = Code(.fileLost)
        /// What was asked for does not exist (a silence, an episode).
        public static let notFound = Code(.notFound)
        /// The request contradicts the stored state (acknowledging an episode that has ended).
        public static let conflict = Code(.conflict)
    }

    /// What kind of failure.
    public var code: Code
    /// What happened, for people.
    public var message: String
    /// The error that caused this one, if any (usually a GRDB `DatabaseError`).
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message): \(underlying)" }
        return message
    }
}
