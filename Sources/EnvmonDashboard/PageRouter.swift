public import EnvmonHTTP
import Foundation
public import Hummingbird
import Logging
import Metrics
import Notifier
import Reports

/// How every page is added: with the role it needs, checked before the handler runs.
///
/// ```swift
/// pages.get("/stations/{id}") { request, context, page in
///     guard let id = context.parameters.get("id"), let station = page.data.stations()[id] else { return page.notFound(…) }
///     return page.render("station", title: station.name, model: ["name": station.name])
/// }
/// pages.post("/alerts/{id}/ack", role: .operate) { request, context, page in
///     … page.form["comment"] …
///     return page.redirect(to: "/alerts")
/// }
/// ```
///
/// Who asks: the session cookie of a login, or an `Authorization` header as the API takes it
/// (scripts and benchmarks), or nobody; nobody has `read` when the config opens the pages.
/// Logged out, a GET is sent to the login page (and back afterwards); a POST is refused.
/// A POST carries the page's form token (`csrf`) and, from a browser, an `Origin` of this host.
public struct PageRouter {
    /// What every page's check needs; Sendable, unlike the router.
    struct Gate: Sendable {
        let access: AccessControl
        let data: APIData
        let alerts: (any AlertHandling)?
        let renderer: PageRenderer
        let settings: DashboardSettings
        let signer: SessionSigner

        /// The token of a request: its session cookie's, or its `Authorization` header's; with the
        /// cookie's value (the seed of its form token) and whether it came from a header.
        func caller(of request: Request) -> (AccessToken?, String?, Bool) {
            if let value = request.cookies[PageRouter.sessionCookie]?.value, let name = signer.tokenName(of: value, now: data.now()),
                let token = access.entries.first(where: { $0.name == name })
            {
                return (token, value, false)
            }
            if case .token(let token) = access.verdict(for: request) { return (token, nil, true) }
            return (nil, nil, false)
        }
    }

    /// A page's handler.
    public typealias Handler = @Sendable (Request, BasicRequestContext, PageContext) async throws -> Response

    let router: Router<BasicRequestContext>
    let gate: Gate
    /// The tokens (the login page compares with them).
    var access: AccessControl { gate.access }

    /// The largest form a page accepts.
    static let maxForm = 64 * 1_024
    static let sessionCookie = "envmon_session"

    /// Adds a `GET` page (role `read` unless said otherwise).
    public func get(_ path: String, role: Role = .read, _ handler: @escaping Handler) {
        add(.get, path, role: role, handler)
    }

    /// Adds a `POST` form target (role `operate` unless said otherwise).
    public func post(_ path: String, role: Role = .operate, _ handler: @escaping Handler) {
        add(.post, path, role: role, handler)
    }

    /// Adds a route with no role at all (the login page, the static files).
    func open(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        add(method, path, role: nil, handler)
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, role needed: Role?, _ handler: @escaping Handler) {
        let this = gate
        router.on(RouterPath(path), method: method) { request, context -> Response in
            let language = UILanguage.of(request, fallback: this.data.language == ReportLanguage.en ? .en : .zhCN)
            let asked = request.uri.queryParameters.get("lang") != nil
            let (caller, session, viaHeader) = this.caller(of: request)
            let role: Role? = caller?.role ?? (this.settings.open ? .read : nil)
            let csrf = this.signer.csrfToken(for: session ?? "anonymous")
            var form = FormBody("")
            if method == .post {
                let body = try await request.body.collect(upTo: Self.maxForm)
                form = FormBody(String(buffer: body))
            }
            let page = PageContext(
                language: language, data: this.data, alerts: this.alerts, caller: caller, role: role, csrf: csrf,
                path: request.uri.string, form: form, renderer: this.renderer, setLanguageCookie: asked)
            if let needed {
                guard let role, role.grants(needed) else {
                    if caller == nil && method == .get {
                        return page.redirect(to: "/login?next=" + Self.percentEncoded(request.uri.string))
                    }
                    Counter(label: "envmon_dashboard_refusals_total", dimensions: [("reason", caller == nil ? "login" : "role")]).increment()
                    return page.message(
                        page.t("common_forbidden"),
                        caller.map { "\(page.t("common_forbidden_role")) \(needed.rawValue) (\($0.name): \($0.role.rawValue))" } ?? page.t("common_login_needed"),
                        status: caller == nil ? .unauthorized : .forbidden)
                }
            }
            if method == .post {
                // A form from another site: SameSite=Strict keeps the cookie from it, and these
                // two checks keep a page of ours from being replayed by one.
                if let origin = request.headers[.origin], let host = request.head.authority,
                    URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true
                {
                    Counter(label: "envmon_dashboard_refusals_total", dimensions: [("reason", "origin")]).increment()
                    return page.message(page.t("common_forbidden"), page.t("common_bad_origin"), status: .forbidden)
                }
                if needed != nil, !viaHeader, !SessionSigner.constantTimeEqual(form["csrf"] ?? "", csrf) {
                    Counter(label: "envmon_dashboard_refusals_total", dimensions: [("reason", "csrf")]).increment()
                    return page.message(page.t("common_forbidden"), page.t("common_bad_csrf"), status: .forbidden)
                }
            }
            let started = ContinuousClock.now
            var response = await Caller.$current.withValue(caller) {
                do {
                    return try await handler(request, context, page)
                } catch let error as ReportsError {
                    // A report asked for what it cannot give (a period, a missing target file).
                    return page.message(page.t("common_error"), error.description, status: .badRequest)
                } catch let error as APIError {
                    return page.message(page.t("common_error"), error.message, status: HTTPResponse.Status(code: error.status))
                } catch let error as HTTPError {
                    return page.message(page.t("common_error"), error.body ?? "\(error.status)", status: error.status)
                } catch {
                    return page.message(page.t("common_error"), "\(error)", status: .internalServerError)
                }
            }
            // What the page cost the server, for the browser's developer tools and benchmarks
            // (the issue's goals are server-side times), and per route in /metrics.
            let elapsed = ContinuousClock.now - started
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            response.headers[PageContext.serverTiming] = "render;dur=" + String(format: "%.1f", seconds * 1_000)
            Timer(label: "envmon_dashboard_page_seconds", dimensions: [("route", path)], preferredDisplayUnit: .seconds)
                .recordSeconds(seconds)
            return response
        }
    }

    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}
