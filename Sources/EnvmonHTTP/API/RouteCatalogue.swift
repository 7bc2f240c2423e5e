public import Hummingbird
import Monitoring

/// Every API route as added through the ``APIRouter``: what the role tests and the OpenAPI test
/// iterate, so a route cannot be added without being checked.
public final class RouteCatalogue: Sendable {
    /// One route.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The method.
        public var method: HTTPRequest.Method
        /// The path as added, with `{name}` for parameters (OpenAPI's form).
        public var path: String
        /// The role it needs; `nil`: open to all.
        public var role: Role?
        /// What it does, in a line (the OpenAPI summary).
        public var summary: String

        public var description: String { "\(method) \(path) (\(role?.rawValue ?? "open"))" }
    }

    private let list = Locked<[Entry]>([])

    /// Creates an empty catalogue.
    public init() {}

    /// The routes, in the order they were added.
    public var entries: [Entry] { list.withLock { $0 } }

    func add(_ entry: Entry) { list.withLock { $0.append(entry) } }
}
