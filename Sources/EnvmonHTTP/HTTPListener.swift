import Hummingbird
public import Logging
public import Prometheus
public import ServiceLifecycle
import Monitoring

/// The daemon's HTTP listener (hummingbird 2): `/healthz`, `/readyz`, `/metrics`, and the routes
/// of every ``HTTPRouteProvider`` given. A `Service`: run it in the daemon's `ServiceGroup`; it
/// stops on graceful shutdown.
///
/// ```swift
/// let registry = PrometheusMetrics.bootstrap()
/// let listener = HTTPListener(
///     configuration: .init(host: "127.0.0.1", port: 9090), checks: [storeCheck, hj212Check],
///     metrics: registry, routes: [HTTPRoutes { $0.get("/api/v1/version") { _, _ in "1.0" } }], logger: logger)
/// let group = ServiceGroup(services: [listener, …], gracefulShutdownSignals: [.sigterm], logger: logger)
/// print(try await listener.boundPort())   // once it listens
/// ```
///
/// - `GET /healthz`: 200 `ok` while the process runs.
/// - `GET /readyz`: runs the ``HealthCheck``s; 200 with a JSON ``HealthReport`` when all pass,
///   503 with the same report (naming the failing ones) otherwise.
/// - `GET /metrics`: the registry in Prometheus text format 0.0.4 (role `read`); 404 without a registry.
public final class HTTPListener: Service, Sendable {
    /// Where the listener listens.
    public struct Configuration: Sendable, Hashable {
        /// The address to bind: loopback by default, so nothing is exposed unless asked.
        public var host: String
        /// The port; 0 picks a free one (``HTTPListener/boundPort()`` tells which).
        public var port: Int

        /// Creates a configuration (127.0.0.1:9090 by default).
        public init(host: String = "127.0.0.1", port: Int = 9090) {
            self.host = host
            self.port = port
        }
    }

    /// Where the listener listens.
    public let configuration: Configuration
    /// The readiness checks of `/readyz`.
    public let checks: [HealthCheck]
    let metrics: PrometheusCollectorRegistry?
    /// The tokens the API's routes accept.
    public let access: AccessControl
    /// Every API route added, with the role it needs (filled when the router is made).
    public let catalogue = RouteCatalogue()
    private let routes: [any HTTPRouteProvider]
    private let logger: Logger
    private let state = Locked(BindState())

    private struct BindState: ~Copyable {
        var port: Int?
        var failure: (any Error)?
        var waiters: [CheckedContinuation<Int, any Error>] = []
    }

    /// Creates a listener; ``run()`` starts it.
    /// - Parameters:
    ///   - configuration: where to listen.
    ///   - checks: the readiness checks of `/readyz`.
    ///   - metrics: the registry `/metrics` shows (the one bootstrapped as the swift-metrics
    ///     backend, ``PrometheusMetrics/bootstrap(buckets:)``); `nil`: no `/metrics`.
    ///   - access: the tokens the API's routes accept (none: every route with a role answers 401).
    ///   - routes: further routes (the API).
    ///   - logger: the log.
    public init(
        configuration: Configuration = Configuration(), checks: [HealthCheck] = [], metrics: PrometheusCollectorRegistry? = nil,
        access: AccessControl = AccessControl([]), routes: [any HTTPRouteProvider] = [], logger: Logger
    ) {
        self.configuration = configuration
        self.access = access
        self.checks = checks
        self.metrics = metrics
        self.routes = routes
        self.logger = logger
    }

    /// The port the listener is bound to, once it is (useful with port 0).
    /// - Throws: the error that kept it from listening.
    public func boundPort() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let known: Result<Int, any Error>? = state.withLock { state in
                if let port = state.port { return .success(port) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters.append(continuation)
                return nil
            }
            if let known { continuation.resume(with: known) }
        }
    }

    /// The port the listener is bound to, or `nil` while it is not listening (yet, or any more).
    public var listeningPort: Int? { state.withLock { $0.port } }

    /// Listens until graceful shutdown.
    /// - Throws: when the address cannot be bound.
    public func run() async throws {
        let app = Application(
            router: makeRouter(),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "envmon"),
            onServerRunning: { [weak self] channel in self?.listening(on: channel.localAddress?.port) },
            logger: logger)
        do {
            try await app.run()
        } catch {
            failed(error)
            throw error
        }
        stopped()
    }

    /// The router: the listener's own routes, then the providers'.
    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let api = APIRouter(router: router, access: access, catalogue: catalogue)
        addOwnRoutes(to: api)
        for provider in routes { provider.addRoutes(to: api) }
        return router
    }

    private func listening(on port: Int?) {
        let port = port ?? configuration.port
        let waiters = state.withLock { state in
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        // Hummingbird logs the address itself.
        for waiter in waiters { waiter.resume(returning: port) }
    }

    private func failed(_ error: any Error) {
        let waiters = state.withLock { state in
            state.port = nil
            state.failure = error
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    private func stopped() {
        failed(HTTPListenerStopped())
    }
}

/// The listener stopped before, or without, listening.
struct HTTPListenerStopped: Error, CustomStringConvertible {
    var description: String { "the HTTP listener stopped" }
}
