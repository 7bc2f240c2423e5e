/// Where a number of a standard comes from: the document, the table or clause, and how sure we are.
///
/// The confidence follows the tags of `reference/standards.md`: checked against the standard's own text,
/// taken from a secondary copy, or from memory only (to be checked before it is relied on).
public struct StandardSource: Sendable, Hashable, CustomStringConvertible {
    /// How well a number is sourced.
    public enum Confidence: String, Sendable, Hashable, Codable {
        /// Checked against the standard's own text ([V]).
        case verified = "V"
        /// From a secondary source, such as a reposted copy of the standard ([S]).
        case secondary = "S"
        /// From domain memory only; no source located yet ([M]).
        case memory = "M"
    }

    /// The document, such as `HJ 633-2026` or `GB 3838-2002`.
    public var document: String
    /// The table, clause or note, such as `Table 1`.
    public var clause: String
    /// How well the number is sourced.
    public var confidence: Confidence

    /// Creates a source.
    public init(_ document: String, _ clause: String, _ confidence: Confidence) {
        self.document = document
        self.clause = clause
        self.confidence = confidence
    }

    /// `HJ 633-2026 Table 3 [V]`.
    public var description: String { "\(document) \(clause) [\(confidence.rawValue)]" }
}
