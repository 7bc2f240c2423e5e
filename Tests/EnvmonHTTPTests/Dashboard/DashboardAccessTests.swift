@testable import EnvmonDashboard
import EnvmonHTTP
import Foundation
import Hummingbird
import Testing

/// A page and a form of the tests' own, to try the foundation's gate without the real pages.
private struct ProbePage: DashboardPage {
    func addRoutes(to pages: PageRouter) {
        pages.get("/probe") { _, _, page in
            page.render("message", title: "probe", model: ["heading": "probe \(page.t("common_nav_alerts"))", "text": page.actor])
        }
        pages.post("/probe/act") { _, _, page in
            page.redirect(to: "/probe?done=" + (page.form["what"] ?? ""))
        }
    }
}

@Suite("Dashboard access: login, sessions, roles, CSRF, languages")
struct DashboardAccessTests {
    let read = APIFixture.tokens[.read]!
    let operate = APIFixture.tokens[.operate]!

    @Test("logged out, a page sends to the login and back; a good token logs in with an HttpOnly, SameSite=Strict cookie")
    func login() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard(pages: [ProbePage()]) { client in
            let first = try await client.get("/probe?x=1")
            #expect(first.status == 303)
            #expect(first.location == "/login?next=/probe%3Fx%3D1")
            let form = try await client.get("/login?next=/probe")
            #expect(form.status == 200)
            #expect(form.body.contains("data-test=\"login-form\""))
            let refused = try await client.post("/login", form: [("token", "envmon_nope"), ("next", "/probe")])
            #expect(refused.status == 401)
            #expect(refused.body.contains("data-test=\"login-error\""))
            #expect(client.cookies["envmon_session"] == nil)
            let accepted = try await client.post("/login", form: [("token", read), ("next", "/probe")])
            #expect(accepted.status == 303)
            #expect(accepted.location == "/probe")
            let setCookie = accepted.headers.first { $0.key.lowercased() == "set-cookie" }?.value ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Strict"))
            #expect(!setCookie.contains(read), "the cookie must not hold the token itself")
            let page = try await client.get("/probe")
            #expect(page.status == 200)
            #expect(page.body.contains("read-token"), "the page names who is logged in")
            let timing = page.headers.first { $0.key.lowercased() == "server-timing" }?.value ?? ""
            #expect(timing.hasPrefix("render;dur="), "what the page cost the server: \(page.headers)")
            // A login never returns to another site.
            let away = try await client.post("/login", form: [("token", read), ("next", "//evil.example/")])
            #expect(away.location == "/")
            let out = try await client.post("/logout", form: [])
            #expect(out.status == 303)
            #expect(try await client.get("/probe").status == 303)
        }
    }

    @Test("a tampered or expired session cookie is no login")
    func tamperedSession() async throws {
        let signer = SessionSigner(key: Array(repeating: 7, count: 32))
        let value = signer.value(tokenName: "read-token", expiry: 2_000)
        #expect(signer.tokenName(of: value, now: 1_000) == "read-token")
        #expect(signer.tokenName(of: value, now: 2_000) == nil)
        let forged = SessionSigner.value(of: value, replacingName: "admin-token")
        #expect(signer.tokenName(of: forged, now: 1_000) == nil)
        #expect(SessionSigner(key: Array(repeating: 8, count: 32)).tokenName(of: value, now: 1_000) == nil)
    }

    @Test("forms need operate and the page's form token; another site's Origin is refused")
    func forms() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard(pages: [ProbePage()]) { client in
            try await client.login(read)
            let page = try await client.get("/probe")
            let asReader = try await client.post("/probe/act", form: [("csrf", page.csrf ?? ""), ("what", "x")])
            #expect(asReader.status == 403)
            #expect(asReader.body.contains("operate"))

            let operator_ = PageClient(port: client.port)
            try await operator_.login(operate)
            let token = try #require(try await operator_.get("/probe").csrf)
            #expect(try await operator_.post("/probe/act", form: [("what", "x")]).status == 403)
            let altered = (token.first == "0" ? "1" : "0") + token.dropFirst()  // one digit changed, always
            #expect(try await operator_.post("/probe/act", form: [("csrf", altered), ("what", "x")]).status == 403)
            let crossSite = try await operator_.post(
                "/probe/act", form: [("csrf", token), ("what", "x")], headers: ["Origin": "http://evil.example"])
            #expect(crossSite.status == 403)
            let done = try await operator_.post(
                "/probe/act", form: [("csrf", token), ("what", "ack")], headers: ["Origin": "http://127.0.0.1:\(client.port)"])
            #expect(done.status == 303)
            #expect(done.location == "/probe?done=ack")
            // A reader's form token is not an operator's.
            #expect(token != page.csrf)
        }
    }

    @Test("open pages need no login for reading, but forms still need operate")
    func openPages() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard(pages: [ProbePage()], settings: DashboardSettings(open: true)) { client in
            let page = try await client.get("/probe")
            #expect(page.status == 200)
            #expect(page.body.contains("data-test=\"login-link\""))
            #expect(try await client.post("/probe/act", form: [("csrf", page.csrf ?? ""), ("what", "x")]).status == 401)
        }
    }

    @Test("the language: ?lang= (remembered in a cookie), then Accept-Language, then the configured default")
    func language() async throws {
        let fixture = try await APIFixture()  // the fixture's reports language is en
        try await fixture.withDashboard(pages: [ProbePage()], settings: DashboardSettings(open: true)) { client in
            #expect(try await client.get("/probe").body.contains("<html lang=\"en\">"))
            let chinese = try await client.get("/probe", headers: ["Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"])
            #expect(chinese.body.contains("<html lang=\"zh-CN\">"))
            #expect(chinese.body.contains("probe 告警"))
            #expect(try await client.get("/probe", headers: ["Accept-Language": "en-GB;q=0.5, zh-TW;q=0.9"]).body.contains("lang=\"zh-CN\""))
            let switched = try await client.get("/probe?lang=zh-CN")
            #expect(switched.body.contains("probe 告警"))
            #expect(client.cookies["envmon_lang"] == "zh-CN")
            #expect(try await client.get("/probe", headers: ["Accept-Language": "en"]).body.contains("probe 告警"), "the switch outranks the browser")
        }
    }

    @Test("the style sheet and script are served by the daemon, open; pages forbid framing and other origins")
    func assets() async throws {
        let fixture = try await APIFixture()
        try await fixture.withDashboard(pages: [ProbePage()]) { client in
            let css = try await client.get("/static/envmon.css")
            #expect(css.status == 200)
            #expect(css.body.contains("--aqi6"))
            #expect(try await client.get("/static/envmon.js").status == 200)
            let login = try await client.get("/login")
            let policy = login.headers.first { $0.key.lowercased() == "content-security-policy" }?.value ?? ""
            #expect(policy.contains("default-src 'self'"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(!login.body.contains("http://"), "a page fetches nothing from elsewhere")
        }
    }
}

extension SessionSigner {
    /// A cookie value with another token name and the old signature (a forgery).
    static func value(of value: String, replacingName name: String) -> String {
        let parts = value.split(separator: ".")
        return base64url(Array(name.utf8)) + "." + parts[1] + "." + parts[2]
    }
}
