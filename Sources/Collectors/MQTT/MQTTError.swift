/// An error of the MQTT collector.
public struct MQTTError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure; compare codes, not messages.
    public enum Code: String, Sendable, Hashable {
        /// libmosquitto could not be set up.
        case setup
        /// The store did not commit a batch: its messages are not acknowledged.
        case notCommitted = "not_committed"
    }

    /// What kind of failure.
    public var code: Code
    /// What happened.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
