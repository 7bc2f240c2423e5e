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
