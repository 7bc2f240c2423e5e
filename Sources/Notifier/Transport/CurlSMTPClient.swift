internal import CCurl

/// ``SMTPClient`` over libcurl, on a dedicated thread whose handle keeps the SMTP session to the
/// smarthost open between messages.
public final class CurlSMTPClient: SMTPClient {
    private let workers: CurlWorkers

    /// Creates a client with at most `maxConnections` sessions at once.
    public init(maxConnections: Int = 2) {
        workers = CurlWorkers(maxThreads: maxConnections, name: "envmon-smtp")
    }

    deinit { workers.close() }

    public func send(_ mail: SMTPEnvelope) async throws(NotifierError) {
        try await workers.run { easy in Self.perform(mail, on: easy) }.get()
    }

    static func perform(_ mail: SMTPEnvelope, on easy: CurlEasy) -> Result<Void, NotifierError> {
        easy.reset(timeout: mail.timeout)
        let implicitTLS = mail.smarthost.hasSuffix(":465")
        easy.set(CURLOPT_URL, "\(implicitTLS ? "smtps" : "smtp")://\(mail.smarthost)")
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        easy.set(CURLOPT_USE_SSL, Int(mail.requireTLS ? CURLUSESSL_ALL.rawValue : CURLUSESSL_TRY.rawValue))
        if let user = mail.username, !user.isEmpty {
            easy.set(CURLOPT_USERNAME, user)
            easy.set(CURLOPT_PASSWORD, mail.password ?? "")
        }
        easy.set(CURLOPT_MAIL_FROM, "<\(mail.from)>")
        let rcpt = CurlEasy.list(mail.to.map { "<\($0)>" })
        defer { curl_slist_free_all(rcpt) }
        _ = ccurl_setopt_slist(easy.handle, CURLOPT_MAIL_RCPT, rcpt)
        easy.set(CURLOPT_UPLOAD, 1)
        easy.set(CURLOPT_INFILESIZE, mail.message.count)
        let source = CurlSource(mail.message)
        _ = ccurl_setopt_read_function(easy.handle, CurlSource.read)
        let code: CURLcode = withExtendedLifetime(source) {
            _ = ccurl_setopt_pointer(easy.handle, CURLOPT_READDATA, Unmanaged.passUnretained(source).toOpaque())
            return curl_easy_perform(easy.handle)
        }
        guard code != CURLE_OK else { return .success(()) }
        let reply = easy.responseCode
        let text = "smtp://\(mail.smarthost): \(reply > 0 ? "\(reply) " : "")\(easy.describe(code))"
        switch reply {
        case 400..<500: return .failure(NotifierError(.smtpTemporary, text))
        case 500..<600: return .failure(NotifierError(.smtpPermanent, text))
        default: return .failure(easy.failure(code, target: "smtp://\(mail.smarthost)"))
        }
    }
}
