import Foundation
public import Store

/// What people (or the rule engine) do to a case.
public enum CaseAction: Sendable, Hashable {
    /// A dated progress note with evidence; `status` (in-progress or done) moves the case.
    case note(text: String, evidence: [String], status: CaseStatus?)
    /// Verified and closed (销号), with the verification note.
    case close(note: String, evidence: [String])
    /// Back to in progress: by hand, or because a linked rule fired again (防止问题反弹).
    case reopen(reason: String)
}

/// The transitions of a rectification case: pure, so every edge is tested without a store.
///
/// - A note may say `in-progress` (from open, or from done when the work turns out unfinished)
///   or `done` (from open or in progress); a note without a status moves nothing, and may be
///   added to a closed case too (a later check, 回头看).
/// - Only a done case is closed (销号): verification follows completion.
/// - A done or closed case reopens to in progress, and counts the reopening; an unfinished case
///   has nothing to reopen.
/// - A closed case takes no status from a note: it is reopened first, so that every reopening
///   is an event of its own.
public enum CaseStateMachine {
    /// The status `action` leads to from `status`, or why it is refused (for people, naming `id`).
    public static func next(_ status: CaseStatus, _ action: CaseAction, id: String) throws(ReportsError) -> CaseStatus {
        switch action {
        case .note(_, _, nil):
            return status
        case .note(_, _, let wanted?):
            switch (status, wanted) {
            case (_, .open), (_, .closed):
                throw ReportsError("a note's status is in-progress or done; close case \(id) with `envmon cases close`")
            case (.closed, _):
                throw ReportsError("case \(id) is closed (已销号): reopen it before changing its status (`envmon cases reopen \(id)`)")
            case (.done, .done), (.inProgress, .inProgress):
                return status
            default:
                return wanted
            }
        case .close:
            switch status {
            case .done: return .closed
            case .closed: throw ReportsError("case \(id) is already closed (已销号)")
            case .open, .inProgress:
                throw ReportsError(
                    "case \(id) is \(status.rawValue): only a done case is closed (销号); mark it done first (`envmon cases note \(id) --status done --text …`)")
            }
        case .reopen:
            guard status.isFinished else { throw ReportsError("case \(id) is \(status.rawValue), not done or closed: nothing to reopen") }
            return .inProgress
        }
    }

    /// Applies `action` to a case: the case after it and the event that records it.
    public static func apply(_ action: CaseAction, to record: CaseRecord, at: Int64, by author: String) throws(ReportsError) -> (CaseRecord, CaseEvent) {
        let status = try next(record.status, action, id: record.id)
        var after = record
        let changed = status != record.status
        if changed {
            after.status = status
            after.statusSince = at
        }
        let event: CaseEvent
        switch action {
        case .note(let text, let evidence, _):
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ReportsError("a note on case \(record.id) needs its text") }
            event = CaseEvent(
                caseID: record.id, kind: .note, at: at, author: author, from: changed ? record.status : nil, to: changed ? status : nil, text: text,
                evidence: evidence)
        case .close(let note, let evidence):
            guard !note.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ReportsError("closing case \(record.id) (销号) needs a note: how it was verified")
            }
            event = CaseEvent(caseID: record.id, kind: .closed, at: at, author: author, from: record.status, to: status, text: note, evidence: evidence)
        case .reopen(let reason):
            after.reopenCount += 1
            event = CaseEvent(caseID: record.id, kind: .reopened, at: at, author: author, from: record.status, to: status, text: reason)
        }
        return (after, event)
    }

    /// The actions that take a case from `status` forward to `target` (an import that says a
    /// case is done or closed): none when it is there, nil when `target` lies behind it.
    public static func path(from status: CaseStatus, to target: CaseStatus, note: String) -> [CaseAction]? {
        let order: [CaseStatus] = [.open, .inProgress, .done, .closed]
        let a = order.firstIndex(of: status)!, b = order.firstIndex(of: target)!
        if a == b { return [] }
        if a > b { return nil }
        switch target {
        case .open: return []
        case .inProgress, .done: return [.note(text: note, evidence: [], status: target)]
        case .closed: return (status == .done ? [] : [.note(text: note, evidence: [], status: .done)]) + [.close(note: note, evidence: [])]
        }
    }

    /// The case as its events, in order, leave it: what the register keeps, derived again (for a
    /// date in the past, pass the events up to it). Nil before its `opened` event.
    public static func replay(_ events: some Sequence<CaseEvent>) -> CaseRecord? {
        var record: CaseRecord?
        for e in events {
            switch e.kind {
            case .opened:
                var r = CaseRecord(id: e.caseID, title: "", source: .complaint, openedAt: e.at)
                CaseFields.apply(e.fields, to: &r)
                r.status = e.to ?? .open
                record = r
            case .updated:
                if var r = record {
                    CaseFields.apply(e.fields, to: &r)
                    record = r
                }
            case .note, .closed, .reopened:
                guard var r = record else { continue }
                if let to = e.to, to != r.status {
                    r.status = to
                    r.statusSince = e.at
                }
                if e.kind == .reopened { r.reopenCount += 1 }
                record = r
            }
            record?.revision = e.sequence
        }
        return record
    }
}
