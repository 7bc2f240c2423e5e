extension RetryPolicy.Outcome {
    /// How a failure counts: retryable when waiting can help (``NotifierError/isRetryable``),
    /// final otherwise; the error's message is the reason.
    public init(failure: NotifierError) {
        self = failure.isRetryable ? .retryable(reason: failure.message) : .final(reason: failure.message)
    }

    /// How an HTTP exchange counts: the error's way when it failed, else by its status
    /// (``RetryPolicy/outcome(httpStatus:retryAfter:now:)``).
    static func of(_ exchange: Result<HTTPResponse, NotifierError>, now: Int64) -> Self {
        switch exchange {
        case .failure(let error): return Self(failure: error)
        case .success(let response): return RetryPolicy.outcome(httpStatus: response.status, retryAfter: response.retryAfter, now: now)
        }
    }
}

extension HTTPClient {
    /// ``post(_:)`` as a `Result`.
    func exchange(_ request: HTTPRequest) async -> Result<HTTPResponse, NotifierError> {
        do { return .success(try await post(request)) } catch { return .failure(error) }
    }
}
