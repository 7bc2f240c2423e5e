public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A GET to a daemon's HTTP listener on loopback, for tests.
public struct HTTPGet: Sendable {
    /// The status code.
    public var status: Int
    /// The `Content-Type` header.
    public var contentType: String?
    /// The body, as text.
    public var body: String
    /// The response's headers (names as the server sent them).
    public var headers: [String: String] = [:]

    /// GETs `http://127.0.0.1:PORT/PATH`.
    public static func get(port: Int, _ path: String, token: String? = nil) async throws -> HTTPGet {
        try await request(port: port, "GET", path, token: token)
    }

    /// Any request to `http://127.0.0.1:PORT/PATH`, with a bearer token, headers and a body.
    public static func request(
        port: Int, _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:], body: Data? = nil
    ) async throws -> HTTPGet {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 10
        request.httpMethod = method
        request.httpBody = body
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] { fields["\(name)"] = "\(value)" }
        return HTTPGet(
            status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"),
            body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    /// The body parsed as a JSON object (empty when it is not one).
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// The value of the sample `name{labels}` (labels exactly as printed, e.g. `{reason="bad_crc"}`)
    /// in a Prometheus text body, or `nil` when absent.
    public func sample(_ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ").first ?? "")
        }
        return nil
    }
}
