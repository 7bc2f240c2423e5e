import Monitoring
import Store

/// What an import did.
public struct CaseImportResult: Sendable, Hashable {
    /// Cases new to the register.
    public var opened: [String] = []
    /// Cases already in it that the file changed (fields, notes, status).
    public var updated: [String] = []
    /// Cases already in it that the file left as they were.
    public var unchanged: [String] = []
    /// Things worth saying: a status the file gives that the register is already past.
    public var remarks: [String] = []
}

extension CaseDesk {
    /// Imports cases: new ids are opened with their notes and status; ids already in the
    /// register are updated (changed fields as one `updated` event, notes not yet recorded
    /// appended at their dates, a status the file is ahead with reached through the state
    /// machine), never duplicated. A status the register is already past (a case closed by hand
    /// that the file says is done) is kept, and said so. All or nothing: a file with one bad
    /// case changes nothing, and the error names the case's line.
    public func importCases(_ entries: [CaseEntry], by author: String, now: Int64) async throws(ReportsError) -> CaseImportResult {
        let ids = entries.map(\.id)
        // Notes already recorded, to recognise them in a re-import (only these cases).
        let wanted = Set(ids)
        var known: [String: Set<String>] = [:]
        for e in try await stored({ try await register.caseEvents(nil) }) where wanted.contains(e.caseID) && (e.kind == .note || e.kind == .closed) {
            known[e.caseID, default: []].insert(Self.noteKey(dates.date(of: e.at), e.text))
        }
        let dates = self.dates
        let knownNotes = known
        let outcome = Locked(CaseImportResult())
        let changes = try await stored {
            try await register.changeCases(ids, recordedAt: now) { current in
                var changes: [CaseChange] = []
                var errors: [String] = []
                var result = CaseImportResult()
                for entry in entries {
                    do {
                        let (change, remark) = try Self.importing(entry, over: current[entry.id], known: knownNotes[entry.id] ?? [], dates: dates, by: author, now: now)
                        if let remark { result.remarks.append(remark) }
                        if let change {
                            changes.append(change)
                            if current[entry.id] == nil { result.opened.append(entry.id) } else { result.updated.append(entry.id) }
                        } else {
                            result.unchanged.append(entry.id)
                        }
                    } catch {
                        errors.append("\(entry.origin): \(error)")
                    }
                }
                outcome.withLock { $0 = result }
                return errors.isEmpty ? .apply(changes) : .refuse(errors.joined(separator: "\n"))
            }
        }
        _ = changes
        return outcome.withLock { $0 }
    }

    static func noteKey(_ date: String, _ text: String) -> String { date + "\u{1F}" + text }

    /// The change importing `entry` makes to `existing` (nil: none), and a remark.
    static func importing(
        _ entry: CaseEntry, over existing: CaseRecord?, known: Set<String>, dates: CaseDates, by author: String, now: Int64
    ) throws(ReportsError) -> (CaseChange?, String?) {
        let source = "imported from \(entry.origin)"
        var events: [CaseEvent] = []
        var record: CaseRecord
        var remark: String?
        if let existing {
            record = existing
            var wanted = existing
            wanted.title = entry.title
            wanted.source = entry.source
            wanted.unit = entry.unit
            wanted.leader = entry.leader
            wanted.deadline = entry.deadline
            wanted.stations = entry.stations
            wanted.rules = entry.rules
            let fields = CaseFields.changes(from: existing, to: wanted)
            if !fields.isEmpty {
                events.append(CaseEvent(caseID: entry.id, kind: .updated, at: now, author: author, text: source, fields: fields))
                record = wanted
            }
        } else {
            let opened = entry.opened.map(dates.start(of:)) ?? now
            record = CaseRecord(
                id: entry.id, title: entry.title, source: entry.source, unit: entry.unit, leader: entry.leader, deadline: entry.deadline,
                stations: entry.stations, rules: entry.rules, openedAt: opened)
            events.append(CaseEvent(caseID: entry.id, kind: .opened, at: opened, author: author, to: .open, text: source, fields: CaseFields.of(record)))
        }
        func act(_ action: CaseAction, at: Int64) throws(ReportsError) {
            let (after, event) = try CaseStateMachine.apply(action, to: record, at: at, by: author)
            record = after
            events.append(event)
        }
        for note in entry.notes where !known.contains(noteKey(note.date, note.text)) {
            let at = dates.start(of: note.date)
            do {
                try act(.note(text: note.text, evidence: note.evidence, status: note.status), at: at)
            } catch where existing != nil {
                // The register is past what the note says (closed by hand since): the note is kept, its status not.
                try act(.note(text: note.text, evidence: note.evidence, status: nil), at: at)
                remark = "\(entry.id): kept \(record.status.rawValue) (the file's note of \(note.date) says \(note.status?.rawValue ?? "?"))"
            }
        }
        if let closed = entry.closed, !known.contains(noteKey(closed.date, closed.text)), record.status != .closed {
            let at = dates.start(of: closed.date)
            if record.status != .done { try act(.note(text: closed.text, evidence: closed.evidence, status: .done), at: at) }
            try act(.close(note: closed.text, evidence: closed.evidence), at: at)
        }
        if let target = entry.status {
            let at = entry.statusDate.map(dates.start(of:)) ?? now
            if let path = CaseStateMachine.path(from: record.status, to: target, note: "status \(target.rawValue) \(source)") {
                for action in path { try act(action, at: at) }
            } else if existing == nil {
                throw ReportsError("case \(entry.id): status \(target.rawValue), but its notes leave it \(record.status.rawValue)")
            } else {
                remark = "\(entry.id): kept \(record.status.rawValue) (the file says \(target.rawValue))"
            }
        }
        return (events.isEmpty ? nil : CaseChange(record: record, events: events), remark)
    }
}
