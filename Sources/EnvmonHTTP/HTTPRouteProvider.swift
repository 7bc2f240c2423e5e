
/// Something that adds routes to the daemon's HTTP listener: the API's parts (the notifier's
/// silences and acknowledgements, queries, …) each bring their own.
///
/// ```swift
/// struct SilenceRoutes: HTTPRouteProvider {
///     let silences: SilenceBook
///     func addRoutes(to api: APIRouter) {
///         api.get("/api/v1/silences", role: .read, summary: "The silences") { _, _ in try await silences.listJSON() }
///         api.post("/api/v1/silences", role: .operate, summary: "Create a silence") { request, context in … }
///     }
/// }
/// let listener = HTTPListener(configuration: settings.http, routes: [SilenceRoutes(silences: book)], …)
/// ```
///
/// Routes are added once, before the listener starts; a path the listener serves itself
/// (`/healthz`, `/readyz`, `/metrics`) must not be added again.
public protocol HTTPRouteProvider: Sendable {
    /// Adds the provider's routes, each with the role it needs.
    /// - Parameter api: the listener's API router; valid only during the call.
    func addRoutes(to api: APIRouter)
}

/// Routes given as a closure, for providers too small for a type of their own.
///
/// ```swift
/// HTTPRoutes { api in api.get("/api/v1/version", role: nil, summary: "The version") { _, _ in APIResponse.text("1.0") } }
/// ```
public struct HTTPRoutes: HTTPRouteProvider {
    private let add: @Sendable (APIRouter) -> Void

    /// Creates a provider from a closure that adds routes.
    /// - Parameter add: adds the routes; called once, before the listener starts.
    public init(_ add: @escaping @Sendable (APIRouter) -> Void) {
        self.add = add
    }

    public func addRoutes(to api: APIRouter) { add(api) }
}
