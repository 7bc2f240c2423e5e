import Foundation

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

    /// GETs `http://127.0.0.1:PORT/PATH`.
    public static func get(port: Int, _ path: String) async throws -> HTTPGet {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.timeoutInterval = 10
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return HTTPGet(
            status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"),
            body: String(decoding: data, as: UTF8.self))
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
