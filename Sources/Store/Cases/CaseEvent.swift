/// One entry of a case's history. Events are only ever appended (the table refuses updates and
/// deletes); a case's state is what its events, in order, lead to.
public struct CaseEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Registered (``CaseEvent/fields`` holds every field).
        case opened
        /// Fields changed (title, unit, leader, deadline, links): ``CaseEvent/fields`` holds the new values.
        case updated
        /// A dated progress note, with its evidence; it may move the status.
        case note
        /// Verified and closed (销号).
        case closed
        /// Reopened: by hand, or because a linked rule fired again (防止问题反弹).
        case reopened
    }

    /// The case.
    public var caseID: String
    /// Its place in the case's history, from 1; the store assigns it.
    public var sequence: Int
    /// What happened.
    public var kind: Kind
    /// When it happened (UTC seconds): a note's date, the alert's firing time.
    public var at: Int64
    /// When it was written (UTC seconds); the store sets it.
    public var recordedAt: Int64
    /// Who: a person, an import file, `envmon rules`.
    public var author: String
    /// The status before, when it changed.
    public var from: CaseStatus?
    /// The status after, when it changed.
    public var to: CaseStatus?
    /// The note, or why.
    public var text: String
    /// Evidence: documents, photos, links, as given.
    public var evidence: [String]
    /// For `opened` and `updated`: the fields set, by name (`title`, `unit`, `stations` as a
    /// comma-separated list…), so a case's state at any date can be derived from its events.
    public var fields: [String: String]

    /// Creates an event; the store sets ``sequence`` and ``recordedAt``.
    public init(
        caseID: String, kind: Kind, at: Int64, author: String, from: CaseStatus? = nil, to: CaseStatus? = nil, text: String = "",
        evidence: [String] = [], fields: [String: String] = [:], sequence: Int = 0, recordedAt: Int64 = 0
    ) {
        self.caseID = caseID
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.recordedAt = recordedAt
        self.author = author
        self.from = from
        self.to = to
        self.text = text
        self.evidence = evidence
        self.fields = fields
    }
}
