/// Hands a message to a mail server: the seam between the email channel and libcurl.
public protocol SMTPClient: Sendable {
    /// Sends `mail`; throws ``NotifierError/Code/smtpTemporary`` (4xx),
    /// ``NotifierError/Code/smtpPermanent`` (5xx), ``NotifierError/Code/tlsRequired``,
    /// ``NotifierError/Code/network`` or ``NotifierError/Code/timeout``.
    func send(_ mail: SMTPEnvelope) async throws(NotifierError)
}

/// One SMTP transaction: where, who, and the message's bytes.
public struct SMTPEnvelope: Sendable, Hashable {
    /// `host:port` (port 465 means implicit TLS, `smtps`).
    public var smarthost: String
    /// `MAIL FROM`.
    public var from: String
    /// `RCPT TO`, one per address.
    public var to: [String]
    /// AUTH, when a username is given.
    public var username: String?
    public var password: String?
    /// STARTTLS is used when offered; with this set, a server that does not offer it is an error.
    public var requireTLS: Bool
    /// The RFC 5322 message (``MIMEMessage/bytes``).
    public var message: [UInt8]
    /// Seconds for the whole transaction.
    public var timeout: Double

    /// Creates an envelope.
    public init(
        smarthost: String, from: String, to: [String], username: String? = nil, password: String? = nil, requireTLS: Bool = false,
        message: [UInt8], timeout: Double = 30
    ) {
        self.smarthost = smarthost
        self.from = from
        self.to = to
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.message = message
        self.timeout = timeout
    }
}
