/// A line of line protocol that was not stored: it does not parse (with InfluxDB 1.x's words for
/// the same fault), or it parses but names no series envmon can read.
///
/// ```
/// unable to parse 'reading,station=a COD= 1': missing field value (line 3)
/// ```
public struct LineProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line number in the body.
    public var line: Int
    /// The line as sent (cut after 256 bytes).
    public var text: String
    /// What is wrong, in InfluxDB 1.x's words where it has them: `missing fields`,
    /// `invalid field format`, `missing tag value`, `unbalanced quotes`, `invalid number`,
    /// `invalid boolean`, `bad timestamp`, ….
    public var reason: String

    /// Creates an error.
    public init(line: Int, text: String, reason: String) {
        self.line = line
        self.text = text
        self.reason = reason
    }

    /// `unable to parse '<line>': <reason> (line N)`: InfluxDB's message, then the line number.
    public var description: String { "unable to parse '\(text)': \(reason) (line \(line))" }
}
