import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A browser in miniature for page tests: keeps its own cookies, does not follow redirects (so a
/// test sees the 303 and where it points), and reads a page's form token.
final class PageClient: @unchecked Sendable {
    let port: Int
    private(set) var cookies: [String: String] = [:]
    var headers: [String: String] = [:]
    private let session: URLSession

    init(port: Int) {
        self.port = port
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    struct Page {
        var status: Int
        var body: String
        var headers: [String: String]
        var location: String? { headers.first { $0.key.lowercased() == "location" }?.value }
        /// The `value` of the first `name="csrf"` input.
        var csrf: String? {
            guard let range = body.range(of: "name=\"csrf\" value=\"") else { return nil }
            return String(body[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Page {
        try await send("GET", path, headers: headers, body: nil)
    }

    /// POSTs a form, fields percent-encoded as a browser does.
    func post(_ path: String, form: [(String, String)], headers: [String: String] = [:]) async throws -> Page {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        var all = headers
        all["Content-Type"] = "application/x-www-form-urlencoded"
        return try await send("POST", path, headers: all, body: Data(body.utf8))
    }

    /// Logs in with a token through the login form.
    func login(_ token: String) async throws {
        let page = try await post("/login", form: [("token", token), ("next", "/")])
        precondition(page.status == 303, "login failed: \(page.status) \(page.body.prefix(300))")
    }

    private func send(_ method: String, _ path: String, headers: [String: String], body: Data?) async throws -> Page {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 60
        for (name, value) in self.headers.merging(headers, uniquingKeysWith: { $1 }) { request.setValue(value, forHTTPHeaderField: name) }
        if !cookies.isEmpty { request.setValue(cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "), forHTTPHeaderField: "Cookie") }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
        for (name, value) in fields where name.lowercased() == "set-cookie" {
            // Several Set-Cookie headers may arrive joined by ", " (dates contain none: we send Max-Age).
            for cookie in value.components(separatedBy: ", ") {
                let pair = cookie.split(separator: ";").first.map(String.init) ?? ""
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2 else { continue }
                if parts[1].isEmpty { cookies[String(parts[0])] = nil } else { cookies[String(parts[0])] = String(parts[1]) }
            }
        }
        return Page(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
            completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}
