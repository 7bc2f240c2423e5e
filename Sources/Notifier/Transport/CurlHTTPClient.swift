internal import CCurl

/// ``HTTPClient`` over libcurl: each request runs on one of a few dedicated threads whose easy
/// handles keep their connections open, so a busy webhook is served over kept-alive connections
/// (HTTP/1.1), not a new TCP (and TLS) handshake per message.
public final class CurlHTTPClient: HTTPClient {
    private let workers: CurlWorkers

    /// Creates a client that runs at most `maxConnections` requests at once (as many as a target
    /// has messages in flight: ``NotifierService``'s concurrency).
    public init(maxConnections: Int = 16) {
        workers = CurlWorkers(maxThreads: maxConnections, name: "envmon-http")
    }

    deinit { workers.close() }

    public func post(_ request: HTTPRequest) async throws(NotifierError) -> HTTPResponse {
        try await workers.run { easy in Self.perform(request, on: easy) }.get()
    }

    /// The blocking transfer, on a worker thread.
    static func perform(_ request: HTTPRequest, on easy: CurlEasy) -> Result<HTTPResponse, NotifierError> {
        easy.reset(timeout: request.timeout)
        easy.set(CURLOPT_URL, request.url)
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_POST, 1)
        easy.set(CURLOPT_POSTFIELDSIZE, request.body.count)
        // No `Expect: 100-continue` round trip for larger bodies.
        let headers = CurlEasy.list(request.headers.map { "\($0.name): \($0.value)" } + ["Expect:"])
        defer { curl_slist_free_all(headers) }
        _ = ccurl_setopt_slist(easy.handle, CURLOPT_HTTPHEADER, headers)
        let sink = CurlSink()
        _ = ccurl_setopt_write_function(easy.handle, CurlSink.write)
        let code: CURLcode = withExtendedLifetime(sink) {
            _ = ccurl_setopt_pointer(easy.handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
            return request.body.withUnsafeBytes { body in
                // An empty body still needs a pointer (libcurl reads none of it: the size is 0).
                let bytes = UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!)
                _ = ccurl_setopt_pointer(easy.handle, CURLOPT_POSTFIELDS, bytes)
                return curl_easy_perform(easy.handle)
            }
        }
        guard code == CURLE_OK else { return .failure(easy.failure(code, target: Self.redacted(request.url))) }
        return .success(HTTPResponse(status: easy.responseCode, retryAfter: easy.header("Retry-After"), body: sink.bytes))
    }

    /// The address without its query (robot keys and access tokens live there), for messages.
    static func redacted(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q]) + "?…"
    }
}
