import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The case register on each store: changes judged inside their transaction, numbered events,
/// another handle on the same store sees them, and (PostgreSQL) two daemons changing one case at
/// once never act on a stale state.
@Suite struct CaseRegisterSuite {
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    static func opened(_ id: String, at t: Int64 = t0) -> CaseChange {
        let record = CaseRecord(
            id: id, title: "整改 \(id)", source: .centralInspection, unit: "市生态环境局", leader: "李明", deadline: "2026-06-30", stations: ["outlet"],
            rules: ["cod-high"], parameter: "COD", episode: 7, openedAt: t)
        return CaseChange(
            record: record, events: [CaseEvent(caseID: id, kind: .opened, at: t, author: "test", to: .open, fields: ["title": record.title])])
    }

    /// A note that moves `id` to in-progress (or keeps it there).
    static func note(_ current: [String: CaseRecord], _ id: String, text: String, at t: Int64) -> CaseDecision {
        guard var r = current[id] else { return .refuse("no case \(id)") }
        let from = r.status
        r.status = .inProgress
        r.statusSince = from == .inProgress ? r.statusSince : t
        return .apply([
            CaseChange(
                record: r,
                events: [
                    CaseEvent(
                        caseID: id, kind: .note, at: t, author: "li", from: from == .inProgress ? nil : from,
                        to: from == .inProgress ? nil : .inProgress, text: text, evidence: ["a.pdf"])
                ])
        ])
    }

    @Test(arguments: Backend.stores)
    func aChangeIsWrittenWithNumberedEventsAndReadByAnotherHandle(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let daemon = try await location.open(F.stations)
        let written = try await daemon.store.cases.changeCases(["ZY-1"], recordedAt: Self.t0 + 5) { current in
            #expect(current.isEmpty)
            return .apply([Self.opened("ZY-1")])
        }
        #expect(written.map(\.record.revision) == [1])
        #expect(written[0].events.map(\.sequence) == [1])
        #expect(written[0].events[0].recordedAt == Self.t0 + 5)

        // A command beside the daemon: its own handle on the same store.
        let command = try await location.open(F.stations)
        let noted = try await command.store.cases.changeCases(["ZY-1"], recordedAt: Self.t0 + 60) {
            Self.note($0, "ZY-1", text: "开工", at: Self.t0 + 60)
        }
        #expect(noted[0].events.map(\.sequence) == [2])
        let record = try #require(try await daemon.store.cases.caseRecord("ZY-1"))
        var expected = Self.opened("ZY-1").record
        expected.status = .inProgress
        expected.statusSince = Self.t0 + 60
        expected.revision = 2
        #expect(record == expected)
        #expect(try await daemon.store.cases.caseRecord("ZY-2") == nil)
        let history = try await daemon.store.cases.caseEvents("ZY-1")
        #expect(history.map(\.kind) == [.opened, .note])
        #expect(history == written[0].events + noted[0].events)
        #expect(history[1].evidence == ["a.pdf"] && history[1].author == "li" && history[1].from == .open && history[1].to == .inProgress)
        #expect(history[0].fields["title"] == "整改 ZY-1" && history[0].from == nil)
        #expect(try await command.store.cases.cases().map(\.id) == ["ZY-1"])
        await command.close()
        await daemon.close()
    }

    @Test(arguments: Backend.stores)
    func aRefusalWritesNothingAndSaysWhy(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let register = opened.store.cases
        _ = try await register.changeCases(["A"], recordedAt: Self.t0) { _ in .apply([Self.opened("A")]) }
        do {
            _ = try await register.changeCases(["A", "B"], recordedAt: Self.t0) { current in
                current["A"] == nil ? .apply([Self.opened("A")]) : .refuse("case A exists already")
            }
            Issue.record("the refusal did not throw")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message == "case A exists already")
        }
        // A decision about a case it was not asked to read is refused too, and writes nothing.
        do {
            _ = try await register.changeCases(["B"], recordedAt: Self.t0) { _ in .apply([Self.opened("B"), Self.opened("A")]) }
            Issue.record("a case that was not read was overwritten")
        } catch {
            #expect(error.code == .conflict)
        }
        #expect(try await register.cases().map(\.id) == ["A"])
        #expect(try await register.caseEvents(nil).count == 1)
        await opened.close()
    }

    @Test(arguments: Backend.stores)
    func aCaseWrittenTwiceIsUpdatedInPlaceAndItsHistoryGrows(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(F.stations)
        let register = opened.store.cases
        _ = try await register.changeCases(["A"], recordedAt: Self.t0) { _ in .apply([Self.opened("A")]) }
        _ = try await register.changeCases(["B"], recordedAt: Self.t0) { _ in .apply([Self.opened("B")]) }
        _ = try await register.changeCases(["A"], recordedAt: Self.t0 + 1) { current in
            var r = current["A"]!
            r.deadline = "2026-12-31"
            return .apply([
                CaseChange(
                    record: r, events: [CaseEvent(caseID: "A", kind: .updated, at: Self.t0 + 1, author: "t", fields: ["deadline": "2026-12-31"])])
            ])
        }
        #expect(try await register.cases().map(\.deadline) == ["2026-12-31", "2026-06-30"])
        #expect(try await register.caseEvents("A").map(\.sequence) == [1, 2])
        #expect(try await register.caseEvents(nil).map { "\($0.caseID)#\($0.sequence)" } == ["A#1", "A#2", "B#1"])
        await opened.close()
    }

    /// Two daemons adding notes to one case at once, and both trying to open one new case: every
    /// note is numbered after the one before (none lost, none numbered twice), and the case is
    /// opened once, the other told it exists.
    @Test func twoStoresChangingOneCaseAtOnceNeverActOnAStaleState() async throws {
        let location = try await Backend.postgres.makeLocation()
        let a = try await location.open(F.stations)
        let b = try await location.open(F.stations)
        _ = try await a.store.cases.changeCases(["ZY-1"], recordedAt: Self.t0) { _ in .apply([Self.opened("ZY-1")]) }
        let notes = 25
        @Sendable func annotate(_ store: any InspectableStore, _ who: String) async throws {
            for i in 0..<notes {
                _ = try await store.cases.changeCases(["ZY-1"], recordedAt: Self.t0 + 1) {
                    Self.note($0, "ZY-1", text: "\(who) \(i)", at: Self.t0 + 1)
                }
            }
        }
        async let byA: Void = annotate(a.store, "a")
        async let byB: Void = annotate(b.store, "b")
        _ = try await (byA, byB)
        let history = try await a.store.cases.caseEvents("ZY-1")
        #expect(history.map(\.sequence) == Array(1...(1 + 2 * notes)))
        #expect(Set(history.dropFirst().map(\.text)) == Set((0..<notes).flatMap { ["a \($0)", "b \($0)"] }))
        // Only the first note moved the status: each later one saw it in progress.
        #expect(history.filter { $0.to == .inProgress }.count == 1)
        #expect(try await a.store.cases.caseRecord("ZY-1")?.revision == 1 + 2 * notes)

        @Sendable func open(_ store: any InspectableStore) async -> StoreError.Code? {
            do {
                _ = try await store.cases.changeCases(["ZY-2"], recordedAt: Self.t0) { current in
                    current["ZY-2"] == nil ? .apply([Self.opened("ZY-2")]) : .refuse("case ZY-2 exists already")
                }
                return nil
            } catch {
                return error.code
            }
        }
        async let openA = open(a.store)
        async let openB = open(b.store)
        let outcomes = await [openA, openB]
        #expect(outcomes.filter { $0 == nil }.count == 1)
        #expect(outcomes.filter { $0 == .conflict }.count == 1)
        #expect(try await a.store.cases.caseEvents("ZY-2").count == 1)
        await a.close()
        await b.close()
    }

    /// Whoever writes the database, events are never changed or deleted, cases never deleted.
    @Test func eventsAndCasesCannotBeChangedOrDeletedBehindTheRegister() async throws {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(F.stations)
        _ = try await opened.store.cases.changeCases(["A"], recordedAt: Self.t0) { _ in .apply([Self.opened("A")]) }
        for sql in ["UPDATE case_event SET text = 'x'", "DELETE FROM case_event", "DELETE FROM case_record", "TRUNCATE case_event"] {
            do {
                _ = try await location.psql(sql)
                Issue.record("\(sql) was allowed")
            } catch {
                #expect("\(error)".contains("append-only") || "\(error)".contains("never deleted"), "\(error)")
            }
        }
        #expect(try await opened.store.cases.caseEvents("A").count == 1)
        await opened.close()
    }
}

private typealias F = AlertFixtures
