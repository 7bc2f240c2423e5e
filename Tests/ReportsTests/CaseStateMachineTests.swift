import Reports
import Store
import Testing

/// Every edge of the case state machine, without a store.
@Suite struct CaseStateMachineTests {
    static let t0: Int64 = 1_767_225_600

    func record(_ status: CaseStatus) -> CaseRecord {
        CaseRecord(id: "ZY-1", title: "t", source: .centralInspection, status: status, openedAt: Self.t0)
    }

    @Test(arguments: CaseStatus.allCases)
    func whatANoteWithEachStatusDoes(_ from: CaseStatus) throws {
        let progress = CaseAction.note(text: "n", evidence: [], status: .inProgress)
        let done = CaseAction.note(text: "n", evidence: [], status: .done)
        switch from {
        case .open, .inProgress:
            #expect(try CaseStateMachine.next(from, progress, id: "ZY-1") == .inProgress)
            #expect(try CaseStateMachine.next(from, done, id: "ZY-1") == .done)
        case .done:
            #expect(try CaseStateMachine.next(from, progress, id: "ZY-1") == .inProgress, "work found unfinished goes back")
            #expect(try CaseStateMachine.next(from, done, id: "ZY-1") == .done)
        case .closed:
            #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, progress, id: "ZY-1") }
            #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, done, id: "ZY-1") }
        }
        // A plain note moves nothing, on any case (a later check on a closed one too).
        #expect(try CaseStateMachine.next(from, .note(text: "n", evidence: [], status: nil), id: "ZY-1") == from)
        // A note cannot close or reset a case.
        #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, .note(text: "n", evidence: [], status: .closed), id: "ZY-1") }
        #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, .note(text: "n", evidence: [], status: .open), id: "ZY-1") }
    }

    @Test(arguments: CaseStatus.allCases)
    func onlyADoneCaseClosesAndOnlyAFinishedOneReopens(_ from: CaseStatus) throws {
        let close = CaseAction.close(note: "verified", evidence: [])
        let reopen = CaseAction.reopen(reason: "fired again")
        if from == .done {
            #expect(try CaseStateMachine.next(from, close, id: "X") == .closed)
        } else {
            let error = #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, close, id: "X") }
            #expect(error?.description.contains("X") == true)
        }
        if from.isFinished {
            #expect(try CaseStateMachine.next(from, reopen, id: "X") == .inProgress)
        } else {
            #expect(throws: ReportsError.self) { try CaseStateMachine.next(from, reopen, id: "X") }
        }
    }

    @Test func applyingRecordsTheEventAndReplayDerivesTheSameCase() throws {
        var r = record(.open)
        var events = [CaseEvent(caseID: "ZY-1", kind: .opened, at: Self.t0, author: "a", to: .open, fields: CaseFields.of(r), sequence: 1)]
        let steps: [CaseAction] = [
            .note(text: "开工", evidence: ["a.pdf"], status: .inProgress), .note(text: "完工", evidence: [], status: .done),
            .close(note: "核查销号", evidence: []), .reopen(reason: "反弹"), .note(text: "again", evidence: [], status: .done),
        ]
        for (i, step) in steps.enumerated() {
            let (after, event) = try CaseStateMachine.apply(step, to: r, at: Self.t0 + Int64(i + 1) * 86_400, by: "li")
            var numbered = event
            numbered.sequence = events.count + 1
            events.append(numbered)
            r = after
            r.revision = numbered.sequence
        }
        #expect(r.status == .done)
        #expect(r.reopenCount == 1)
        #expect(r.statusSince == Self.t0 + 5 * 86_400)
        #expect(events.map(\.kind) == [.opened, .note, .note, .closed, .reopened, .note])
        #expect(events[4].from == .closed && events[4].to == .inProgress)
        #expect(CaseStateMachine.replay(events) == r)
        // As of an earlier date: the events up to it.
        #expect(CaseStateMachine.replay(events.prefix(4))?.status == .closed)
    }

    @Test func emptyNotesAndClosingsAreRefused() {
        #expect(throws: ReportsError.self) { try CaseStateMachine.apply(.note(text: "  ", evidence: [], status: nil), to: record(.open), at: 0, by: "a") }
        #expect(throws: ReportsError.self) { try CaseStateMachine.apply(.close(note: "", evidence: []), to: record(.done), at: 0, by: "a") }
    }

    @Test func aPathForwardGoesThroughDoneAndNeverBack() {
        #expect(CaseStateMachine.path(from: .open, to: .closed, note: "n")?.count == 2)
        #expect(CaseStateMachine.path(from: .done, to: .closed, note: "n")?.count == 1)
        #expect(CaseStateMachine.path(from: .inProgress, to: .inProgress, note: "n")?.isEmpty == true)
        #expect(CaseStateMachine.path(from: .closed, to: .done, note: "n") == nil)
    }

    @Test func overdueIsPastTheDeadlineDayAndNotFinished() {
        var r = record(.inProgress)
        r.deadline = "2026-09-30"
        #expect(!r.isOverdue(today: "2026-09-30"), "the deadline day is still in time")
        #expect(r.isOverdue(today: "2026-10-01"))
        r.status = .done
        #expect(!r.isOverdue(today: "2026-10-01"))
        r.status = .open
        r.deadline = nil
        #expect(!r.isOverdue(today: "2030-01-01"))
    }
}
