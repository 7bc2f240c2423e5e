/// An error of a collector or importer that stops it (bad rows are counted, not thrown).
public struct CollectorError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare codes, not messages.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unreadable, badHeader, mapping, store, encoding
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The input file could not be read.
        public static let unreadable = Code(.unreadable)
        /// The file's header lacks a column the mapping names.
        public static let badHeader = Code(.badHeader)
        /// The mapping does not fit the stations or the catalogue.
        public static let mapping = Code(.mapping)
        /// The store refused a batch; batches committed before it are kept.
        public static let store = Code(.store)
        /// A message cannot be encoded as asked (e.g. an HJ 212 field holding a separator).
        public static let encoding = Code(.encoding)
    }

    /// What kind of failure.
    public var code: Code
    /// What happened, naming the file and where.
    public var message: String
    /// The cause, if any.
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
