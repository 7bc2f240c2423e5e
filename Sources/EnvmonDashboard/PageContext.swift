public import EnvmonHTTP
import Foundation
public import Hummingbird
import HTTPTypes
public import Notifier
public import Reports

/// Everything a page's handler needs: who asks and in which language, the data, the parsed form
/// of a POST, and the ways to answer (a page in the layout, a redirect, a CSV download).
public struct PageContext: Sendable {
    /// The language of the page.
    public let language: UILanguage
    /// What the pages read: the store, the stations, the clock, the reports' defaults.
    public let data: APIData
    /// The notifier's acknowledgements and silences; nil when the daemon runs without `notify:`.
    public let alerts: (any AlertHandling)?
    /// The token of the logged-in user (or of an `Authorization` header); nil on open pages.
    public let caller: AccessToken?
    /// The role the request has: the caller's, `read` on open pages, nil when logged out.
    public let role: Role?
    /// The form token a page's forms carry (`<input type="hidden" name="csrf" value="{{csrf}}">`).
    public let csrf: String
    /// The path and query of the request (where a login returns to).
    public let path: String
    /// The fields of a POST's form; empty on GET.
    public let form: FormBody
    let renderer: PageRenderer
    let setLanguageCookie: Bool

    /// The UI string for `key` in the page's language (the key itself when missing: the
    /// catalogue test keeps that from shipping).
    public func t(_ key: String) -> String { renderer.strings[language][key] ?? key }

    /// The reports' language for the page's (their CSV and text, through the Reports library).
    public var reportLanguage: ReportLanguage { language == .zhCN ? .zhCN : .en }

    /// The name shown for who acts (acks, silences): the caller's token name.
    public var actor: String { caller?.name ?? "dashboard" }

    /// Whether the request may act (`operate`): pages show their forms only then.
    public var canOperate: Bool { role?.grants(.operate) ?? false }

    /// A page: the template `name` rendered with `model` (plus `t`, `csrf`, `lang` and
    /// `canOperate`), inside the layout with `title`. `refresh`: the page reloads itself every so
    /// many seconds (a screen on the duty room's wall), unless someone is typing in it.
    public func render(
        _ name: String, title: String, model: [String: Any] = [:], status: HTTPResponse.Status = .ok, refresh: Int? = nil
    ) -> Response {
        var model = model
        model["t"] = renderer.strings[language]
        model["csrf"] = csrf
        model["lang"] = language.rawValue
        model["canOperate"] = canOperate
        let content = renderer.render(name, model)
        return html(layout(title: title, content: content, refresh: refresh), status: status)
    }

    /// A short page saying something (an error, a refusal).
    public func message(_ title: String, _ text: String, status: HTTPResponse.Status) -> Response {
        render("message", title: title, model: ["heading": title, "text": text], status: status)
    }

    /// 404 with a page that says what was not found.
    public func notFound(_ what: String) -> Response {
        message(t("common_not_found"), what, status: .notFound)
    }

    /// 303 to another page (after a form: the browser then GETs it).
    public func redirect(to location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        if setLanguageCookie { response.setCookie(languageCookie) }
        return response
    }

    /// A CSV download, UTF-8 with a byte-order mark (so that spreadsheet programs on Chinese
    /// Windows read it as UTF-8).
    public func csv(_ text: String, filename: String) -> Response {
        let data: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let headers: HTTPFields = [
            .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store",
        ]
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    private func layout(title: String, content: String, refresh: Int?) -> String {
        let item = { (href: String, key: String) -> [String: Any] in
            let active = href == "/" ? path == "/" || path.hasPrefix("/?") || path.hasPrefix("/stations") : path.hasPrefix(href)
            return ["href": href, "label": t(key), "active": active]
        }
        let plainPath = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? "/"
        var model: [String: Any] = [
            "lang": language.htmlLang, "title": title, "content": content, "t": renderer.strings[language], "csrf": csrf,
            "nav": [item("/", "common_nav_overview"), item("/alerts", "common_nav_alerts"), item("/cases", "common_nav_cases"), item("/reports", "common_nav_reports")],
            "languages": UILanguage.allCases.map { l -> [String: Any] in
                ["href": plainPath + "?lang=" + l.rawValue, "label": l == .zhCN ? "中文" : "English", "current": l == language]
            },
            "next": path,
        ]
        if let caller { model["user"] = ["name": caller.name, "role": caller.role.rawValue] }
        if let refresh { model["refresh"] = refresh }
        return renderer.render("layout", model)
    }

    private func html(_ text: String, status: HTTPResponse.Status) -> Response {
        var response = Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // Everything is served by the daemon; inline SVG is markup, not a fetch.
                .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'",
                .xContentTypeOptions: "nosniff", Self.referrerPolicy: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        if setLanguageCookie { response.setCookie(languageCookie) }
        return response
    }

    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let serverTiming = HTTPField.Name("Server-Timing")!

    private var languageCookie: Cookie {
        Cookie(name: "envmon_lang", value: language.rawValue, maxAge: 365 * 86_400, path: "/", httpOnly: true, sameSite: .lax)
    }
}
