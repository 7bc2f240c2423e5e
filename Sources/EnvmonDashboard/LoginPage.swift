import EnvmonHTTP
import Foundation
import Hummingbird
import Metrics

/// `/login` and `/logout`: a token typed once becomes a session cookie (`HttpOnly`,
/// `SameSite=Strict`, for `session` hours), so that a browser never holds the token itself.
struct LoginPage: DashboardPage {
    let settings: DashboardSettings
    let signer: SessionSigner

    func addRoutes(to pages: PageRouter) {
        pages.open(.get, "/login") { request, _, page in
            page.render("login", title: page.t("common_login_title"), model: ["next": Self.safeNext(request.uri.queryParameters.get("next"))])
        }
        let access = pages.access
        pages.open(.post, "/login") { request, _, page in
            let next = Self.safeNext(page.form["next"])
            let presented = (page.form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let hash = AccessToken.hash(presented)
            guard !presented.isEmpty, let token = access.entries.first(where: { $0.sha256 == hash }) else {
                Counter(label: "envmon_dashboard_logins_total", dimensions: [("result", "refused")]).increment()
                return page.render(
                    "login", title: page.t("common_login_title"), model: ["next": next, "failed": true], status: .unauthorized)
            }
            Counter(label: "envmon_dashboard_logins_total", dimensions: [("result", "ok")]).increment()
            let expiry = page.data.now() + settings.sessionSeconds
            var response = page.redirect(to: next)
            let secure = request.headers[PageContext.forwardedProto] == "https"
            response.setCookie(
                Cookie(
                    name: PageRouter.sessionCookie, value: signer.value(tokenName: token.name, expiry: expiry), maxAge: Int(settings.sessionSeconds),
                    path: "/", secure: secure, httpOnly: true, sameSite: .strict))
            return response
        }
        pages.open(.post, "/logout") { _, _, page in
            var response = page.redirect(to: "/login")
            response.setCookie(Cookie(name: PageRouter.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
    }

    /// Where a login returns to: a path of this site only (never `//elsewhere` or a full URL).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.hasPrefix("/login") else { return "/" }
        return next
    }
}
