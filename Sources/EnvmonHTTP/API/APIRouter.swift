public import Hummingbird
import Monitoring

/// How every API route is added: with the role it needs, checked before the handler runs, and
/// recorded in the ``RouteCatalogue``.
///
/// ```swift
/// api.get("/api/v1/stations/{id}", role: .read, summary: "One station with its status") { request, context in
///     guard let id = context.parameters.get("id") else { throw APIError.badParameter("id", "missing") }
///     return APIResponse.json(["station": id])
/// }
/// ```
///
/// Without credentials, or with a token the daemon does not know, a route that needs a role
/// answers 401 (with `WWW-Authenticate: Bearer`); with a token whose role does not grant it, 403.
/// An ``APIError`` thrown by a handler becomes its JSON answer; any other error a 500 with code
/// `internal`. ``Caller/current`` names the token while the handler runs.
public struct APIRouter {
    /// How a route's errors are written.
    public enum ErrorStyle: Sendable {
        /// `{"error": {"code": "...", "message": "..."}}`: the API's own.
        case api
        /// `{"error": "..."}`: InfluxDB 1.x's, for `/write` and `/query`-style routes its clients read.
        case influx
    }

    /// The hummingbird router the routes go into (for a provider that needs something the API
    /// router does not offer; its routes then escape the role checks and the catalogue).
    public let router: Router<BasicRequestContext>
    /// The tokens.
    public let access: AccessControl
    /// The routes added so far.
    public let catalogue: RouteCatalogue

    /// Creates the API router over a hummingbird router.
    public init(router: Router<BasicRequestContext>, access: AccessControl, catalogue: RouteCatalogue = RouteCatalogue()) {
        self.router = router
        self.access = access
        self.catalogue = catalogue
    }

    /// A route's handler.
    public typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    /// Adds a `GET` route.
    public func get(_ path: String, role: Role?, summary: String, errors: ErrorStyle = .api, _ handler: @escaping Handler) {
        on(.get, path, role: role, summary: summary, errors: errors, handler)
    }

    /// Adds a `POST` route.
    public func post(_ path: String, role: Role?, summary: String, errors: ErrorStyle = .api, _ handler: @escaping Handler) {
        on(.post, path, role: role, summary: summary, errors: errors, handler)
    }

    /// Adds a `PUT` route.
    public func put(_ path: String, role: Role?, summary: String, errors: ErrorStyle = .api, _ handler: @escaping Handler) {
        on(.put, path, role: role, summary: summary, errors: errors, handler)
    }

    /// Adds a `DELETE` route.
    public func delete(_ path: String, role: Role?, summary: String, errors: ErrorStyle = .api, _ handler: @escaping Handler) {
        on(.delete, path, role: role, summary: summary, errors: errors, handler)
    }

    /// Adds a route with any method.
    public func on(
        _ method: HTTPRequest.Method, _ path: String, role: Role?, summary: String, errors: ErrorStyle = .api, _ handler: @escaping Handler
    ) {
        catalogue.add(RouteCatalogue.Entry(method: method, path: path, role: role, summary: summary))
        let access = self.access
        router.on(RouterPath(path), method: method) { request, context -> Response in
            var caller: AccessToken?
            if let role {
                switch access.verdict(for: request) {
                case .missing:
                    return Self.refusal(401, "unauthorized", "this route needs a token (Authorization: Bearer TOKEN) of role \(role)", errors)
                case .unknown:
                    return Self.refusal(401, "unauthorized", "the token is not known", errors)
                case .token(let token):
                    guard token.role.grants(role) else {
                        return Self.refusal(403, "forbidden", "the token '\(token.name)' has role \(token.role); this route needs \(role)", errors)
                    }
                    caller = token
                }
            }
            return await Caller.$current.withValue(caller) {
                do {
                    return try await handler(request, context)
                } catch let error as APIError {
                    return Self.answer(error, errors)
                } catch let error as HTTPError {
                    // Hummingbird's own (a body over its limit, a decoding failure).
                    return Self.answer(APIError(Int(error.status.code), error.status.code == 413 ? "tooLarge" : "badBody", error.body ?? "\(error.status)"), errors)
                } catch {
                    return Self.answer(APIError(500, "internal", "\(error)"), errors)
                }
            }
        }
    }

    private static func refusal(_ status: Int, _ code: String, _ message: String, _ style: ErrorStyle) -> Response {
        var response: Response
        switch style {
        case .api: response = APIResponse.error(APIError(status, code, message))
        case .influx:
            // InfluxDB 1.x says only this, whatever the cause.
            response = APIResponse.json(["error": status == 401 ? "authorization failed" : message], status: HTTPResponse.Status(code: status))
        }
        if status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"envmon\"" }
        return response
    }

    private static func answer(_ error: APIError, _ style: ErrorStyle) -> Response {
        switch style {
        case .api: APIResponse.error(error)
        case .influx: APIResponse.json(["error": error.message], status: HTTPResponse.Status(code: error.status))
        }
    }
}
