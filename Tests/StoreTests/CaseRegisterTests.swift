import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// What is SQLite's own in the case register: a command's handle on the daemon's file, the
/// migration of an older file, and the triggers as the sqlite3 shell meets them.
@Suite struct CaseRegisterTests {
    let dir = TemporaryDirectory()
    static let t0: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z

    func store() throws -> SQLiteStore {
        try SQLiteStore(
            path: dir.file("cases.sqlite"),
            stations: TestStations.registry(TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD"])))
    }

    static func opened(_ id: String, at t: Int64 = t0) -> CaseChange {
        let record = CaseRecord(
            id: id, title: "整改 \(id)", source: .centralInspection, unit: "市生态环境局", leader: "李明", deadline: "2026-06-30", openedAt: t)
        return CaseChange(
            record: record, events: [CaseEvent(caseID: id, kind: .opened, at: t, author: "test", to: .open, fields: ["title": record.title])])
    }

    /// A command beside the daemon opens its own handle on the file (``SQLiteCaseRegister/init(path:)``):
    /// what one writes, the other reads and changes. (What every register promises is in
    /// StoreBackendTests' `CaseRegisterSuite`, on each store.)
    @Test func aCommandsOwnHandleOnTheFileSharesTheDaemonsCases() async throws {
        let daemon = try store()
        _ = try await daemon.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0 + 5) { _ in .apply([Self.opened("ZY-1")]) }
        let command = try SQLiteCaseRegister(path: dir.file("cases.sqlite"))
        let noted = try await command.changeCases(["ZY-1"], recordedAt: Self.t0 + 60) { current in
            guard var r = current["ZY-1"] else { return .refuse("missing") }
            r.status = .inProgress
            return .apply([
                CaseChange(record: r, events: [CaseEvent(caseID: "ZY-1", kind: .note, at: Self.t0 + 60, author: "li", from: .open, to: .inProgress)])
            ])
        }
        #expect(noted[0].events.map(\.sequence) == [2])
        #expect(try await daemon.caseRegister.caseRecord("ZY-1")?.status == .inProgress)
        #expect(try await command.cases().map(\.id) == ["ZY-1"])
        try daemon.close()
    }

    @Test func theRegisterOfAStoreMadeBeforeItIsAddedByTheMigration() async throws {
        // A file whose schema stops at v8: the register's own handle migrates it.
        let path = dir.file("old.sqlite")
        try SQLiteStore(path: path, stations: StationRegistry([])).close()
        #expect(try await SQLiteCaseRegister(path: path).cases().isEmpty)
        do {
            _ = try SQLiteCaseRegister(path: dir.file("missing.sqlite"))
            Issue.record("opened a store that does not exist")
        } catch {
            #expect(error.code == .open)
        }
    }

    /// The triggers refuse to change or delete an event, or to delete a case, whoever writes
    /// the file (checked with the sqlite3 shell, where it is installed).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func eventsAndCasesCannotBeChangedOrDeletedBehindTheRegister() async throws {
        let s = try store()
        _ = try await s.caseRegister.changeCases(["A"], recordedAt: Self.t0) { _ in .apply([Self.opened("A")]) }
        try s.close()
        for sql in ["UPDATE case_event SET text = 'x'", "DELETE FROM case_event", "DELETE FROM case_record"] {
            let p = SpawnedProcess()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            p.arguments = [dir.file("cases.sqlite"), sql]
            let err = Pipe()
            p.standardError = err
            try p.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus != 0, "\(sql) was allowed")
            #expect(message.contains("append-only") || message.contains("never deleted"), "\(message)")
        }
        #expect(try await SQLiteCaseRegister(path: dir.file("cases.sqlite")).caseEvents("A").count == 1)
    }
}
