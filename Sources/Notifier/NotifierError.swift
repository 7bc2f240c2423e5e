/// An error of the notifier: its configuration or a delivery.
public struct NotifierError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare codes, not messages.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A matcher that does not parse or whose regular expression does not compile.
        public static let badMatcher = Code("badMatcher")
        /// A silence without matchers, author, or with an empty or past period.
        public static let badSilence = Code("badSilence")
        /// A transfer failed below HTTP or SMTP: refused, reset, name not resolved, TLS (retryable).
        public static let network = Code("network")
        /// A transfer, or a command, took longer than its timeout (retryable).
        public static let timeout = Code("timeout")
        /// The target cannot work as configured: a malformed address, an unsupported scheme, a
        /// command that does not exist (final).
        public static let badTarget = Code("badTarget")
        /// An SMTP server answered 4xx (retryable).
        public static let smtpTemporary = Code("smtpTemporary")
        /// An SMTP server answered 5xx (final).
        public static let smtpPermanent = Code("smtpPermanent")
        /// `require_tls` is set and the server offers no STARTTLS (final).
        public static let tlsRequired = Code("tlsRequired")
        /// A message template that does not parse, or cannot be read.
        public static let badTemplate = Code("badTemplate")
        /// A robot answered HTTP 200 with a nonzero error code in its body (final).
        public static let rejected = Code("rejected")
        /// A robot answered HTTP 200 with its rate-limit error code (retryable).
        public static let rateLimited = Code("rateLimited")
        /// A local write (the file channel) failed (retryable).
        public static let io = Code("io")
    }

    /// Whether waiting and trying again can help: network trouble, timeouts, SMTP 4xx, robot rate
    /// limits and local I/O errors; not a bad configuration or a permanent refusal.
    public var isRetryable: Bool {
        [Code.network, .timeout, .smtpTemporary, .rateLimited, .io].contains(code)
    }

    /// What kind of failure.
    public var code: Code
    /// What happened, for people.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
