/// Where rectification cases and their histories are kept (the seam between the case logic and
/// a store): SQLite now, PostgreSQL later. Nothing is ever deleted.
///
/// Writers are the daemon (a linked rule fired again) and commands beside it (imports, notes,
/// closing): each change is one small transaction that reads the cases it touches, lets the
/// caller's `decide` judge them as they are then, and writes what it decided, so two writers
/// never act on a stale state and the daemon's writer waits for a few rows at most.
public protocol CaseRegister: Sendable {
    /// Every case, by id.
    func cases() async throws(StoreError) -> [CaseRecord]

    /// One case, or nil.
    func caseRecord(_ id: String) async throws(StoreError) -> CaseRecord?

    /// The events of one case (or of every case when `id` is nil), by case and sequence.
    func caseEvents(_ id: String?) async throws(StoreError) -> [CaseEvent]

    /// Changes cases in one transaction.
    /// - Parameters:
    ///   - ids: the cases the change reads (those that do not exist are absent from the map).
    ///   - recordedAt: the time stamped on the events (wall clock of the writer).
    ///   - decide: given the current records, the changes to write, or why the change is refused.
    /// - Returns: what was written, each record with its events numbered.
    /// - Throws: `conflict` with the refusal's message; `write` when the store fails.
    func changeCases(_ ids: [String], recordedAt: Int64, _ decide: @escaping @Sendable ([String: CaseRecord]) -> CaseDecision)
        async throws(StoreError) -> [CaseChange]

    /// The alert episode with this id, to open a case from it.
    func alertEpisode(_ id: Int64) async throws(StoreError) -> AlertEpisode?
}

/// A case's new state and the events that led to it.
public struct CaseChange: Sendable, Hashable {
    /// The case after the events.
    public var record: CaseRecord
    /// The events, in order (numbered by the store).
    public var events: [CaseEvent]

    /// Creates a change.
    public init(record: CaseRecord, events: [CaseEvent]) {
        self.record = record
        self.events = events
    }
}

/// What ``CaseRegister/changeCases(_:recordedAt:_:)`` writes.
public enum CaseDecision: Sendable {
    /// Write these (none: nothing to do).
    case apply([CaseChange])
    /// Write nothing, and throw `conflict` with this message.
    case refuse(String)
}
