import Foundation
import Monitoring
@testable import Store
import Testing

/// Concurrent reads' folds share one writer turn, and a read is served only by a turn that
/// began after it asked.
@Suite struct ReadFoldQueueTests {
    /// A turn that records what it was given and waits until the test lets it end.
    final class Turns: Sendable {
        private let state = Locked<(turns: [[SeriesKey]], gates: [CheckedContinuation<Void, Never>])>(([], []))
        var taken: [[SeriesKey]] { state.withLock { $0.turns } }
        var waiting: Int { state.withLock { $0.gates.count } }

        func turn(_ keys: [SeriesKey]) async throws(StoreError) {
            await withCheckedContinuation { c in state.withLock { $0.turns.append(keys); $0.gates.append(c) } }
        }

        func release() { for g in state.withLock({ s in defer { s.gates = [] }; return s.gates }) { g.resume() } }
    }

    static func key(_ i: Int) -> SeriesKey { SeriesKey(station: "s\(i)", parameter: "COD", kind: .realtime) }

    /// Waits (in real time, up to a minute on a busy machine) until `condition` holds; fails the test if it never does.
    static func eventually(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<6_000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func readsThatAskDuringATurnShareTheNextOne() async throws {
        let queue = ReadFoldQueue()
        let turns = Turns()
        let first = Task { try await queue.fold([Self.key(0)], turn: turns.turn) }
        try await Self.eventually("the first turn") { turns.waiting == 1 }
        #expect(turns.taken == [[Self.key(0)]])
        // Ten reads while the first turn runs: none is served by it.
        let others = (1...10).map { i in Task { try await queue.fold([Self.key(i), Self.key(1)], turn: turns.turn) } }
        try await Self.eventually("ten reads waiting") { queue.waiting == 10 }
        #expect(turns.taken.count == 1)
        turns.release()
        try await first.value
        // One more turn for all ten, each series once.
        try await Self.eventually("the second turn") { turns.waiting == 1 }
        #expect(turns.taken.count == 2)
        #expect(Set(turns.taken[1]) == Set((1...10).map(Self.key)))
        #expect(turns.taken[1].count == 10)
        turns.release()
        for t in others { try await t.value }
        // Idle again: the next read starts a turn of its own.
        let last = Task { try await queue.fold([Self.key(11)], turn: turns.turn) }
        try await Self.eventually("the third turn") { turns.waiting == 1 }
        turns.release()
        try await last.value
        #expect(turns.taken.count == 3)
    }

    @Test func aFailedTurnFailsTheReadsItServed() async throws {
        let queue = ReadFoldQueue()
        await #expect(throws: StoreError.self) {
            try await queue.fold([Self.key(0)]) { _ throws(StoreError) in throw StoreError(.write, "disk full") }
        }
        // And the queue goes on.
        try await queue.fold([Self.key(1)]) { _ throws(StoreError) in }
    }
}
