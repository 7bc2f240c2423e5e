public import Hummingbird

/// Something that adds routes to the daemon's HTTP listener: the API's parts (the notifier's
/// silences and acknowledgements, queries, …) each bring their own.
///
/// ```swift
/// struct SilenceRoutes: HTTPRouteProvider {
///     let silences: SilenceBook
///     func addRoutes(to router: Router<BasicRequestContext>) {
///         router.get("/api/v1/silences") { _, _ in try await silences.listJSON() }
///         router.post("/api/v1/silences") { request, context in … }
///     }
/// }
/// let listener = HTTPListener(configuration: settings.http, routes: [SilenceRoutes(silences: book)], …)
/// ```
///
/// Routes are added once, before the listener starts; a path the listener serves itself
/// (`/healthz`, `/readyz`, `/metrics`) must not be added again.
public protocol HTTPRouteProvider: Sendable {
    /// Adds the provider's routes.
    /// - Parameter router: the listener's router; valid only during the call.
    func addRoutes(to router: Router<BasicRequestContext>)
}

/// Routes given as a closure, for providers too small for a type of their own.
///
/// ```swift
/// HTTPRoutes { router in router.get("/api/v1/version") { _, _ in "1.0" } }
/// ```
public struct HTTPRoutes: HTTPRouteProvider {
    private let add: @Sendable (Router<BasicRequestContext>) -> Void

    /// Creates a provider from a closure that adds routes.
    /// - Parameter add: adds the routes; called once, before the listener starts.
    public init(_ add: @escaping @Sendable (Router<BasicRequestContext>) -> Void) {
        self.add = add
    }

    public func addRoutes(to router: Router<BasicRequestContext>) { add(router) }
}
