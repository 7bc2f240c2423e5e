/// Posts a body somewhere over HTTP: the seam between the channels and libcurl, so channels can
/// be tested against a recording fake.
public protocol HTTPClient: Sendable {
    /// Sends `request` and returns the answer, whatever its status; throws only when no answer
    /// came (``NotifierError/Code/network``, ``NotifierError/Code/timeout``,
    /// ``NotifierError/Code/badTarget``).
    func post(_ request: HTTPRequest) async throws(NotifierError) -> HTTPResponse
}

/// One `POST`.
public struct HTTPRequest: Sendable, Hashable {
    /// The full address, query included.
    public var url: String
    /// Header lines in order; `Content-Type` is the caller's to set.
    public var headers: [HTTPHeader]
    /// The body, as sent (signatures are computed over these bytes).
    public var body: [UInt8]
    /// Seconds for the whole exchange, connection included.
    public var timeout: Double

    /// Creates a request.
    public init(url: String, headers: [HTTPHeader] = [], body: [UInt8], timeout: Double = 10) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The value of the first header called `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}

/// A header line.
public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String
    /// Creates a header.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What came back.
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// The `Retry-After` header, if any, as sent.
    public var retryAfter: String?
    /// The body (at most the first 64 KiB).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, retryAfter: String? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }
}
