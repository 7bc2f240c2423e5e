import Monitoring

/// Gathers the folds that concurrent reads ask for into one turn on the writer: readers that ask
/// while a turn runs are served together by the next one, in one transaction.
///
/// Fifty dashboard readers beside the HJ 212 load each asked the writer for a fold of their
/// series: one small transaction a read, queued behind the ingest commits, so the readers waited
/// for the writer and the acknowledgements for the readers' folds. Gathered, a turn folds every
/// series asked for while the previous one ran.
///
/// A request is served only by a turn that begins after it was made, so a read still sees every
/// reading committed before it asked.
final class ReadFoldQueue: Sendable {
    /// One turn: folds the staged samples of these series (each once).
    typealias Fold = @Sendable ([SeriesKey]) async throws(StoreError) -> Void

    private struct State {
        var keys: [SeriesKey] = []
        var waiting: [CheckedContinuation<Void, any Error>] = []
        var running = false
    }
    private let state = Locked(State())

    /// Reads waiting for a turn that has not begun.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Returns once a turn that began after this call has folded `keys`, or throws its error.
    /// `turn` runs the turns this call starts (every caller passes the same store's).
    func fold(_ keys: [SeriesKey], turn: @escaping Fold) async throws(StoreError) {
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let start = state.withLock { s -> Bool in
                    s.keys += keys
                    s.waiting.append(continuation)
                    if s.running { return false }
                    s.running = true
                    return true
                }
                if start { Task { await self.drain(turn) } }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.write, "the staged samples could not be folded", underlying: error)
        }
    }

    /// Turns until nobody waits, each for every request made before it began.
    private func drain(_ turn: Fold) async {
        while let (keys, waiting) = next() {
            var seen = Set<SeriesKey>()
            do {
                try await turn(keys.filter { seen.insert($0).inserted })
                for w in waiting { w.resume() }
            } catch {
                for w in waiting { w.resume(throwing: error) }
            }
        }
    }

    /// The requests made so far, taken; nil, and the queue idle, when there are none.
    private func next() -> ([SeriesKey], [CheckedContinuation<Void, any Error>])? {
        state.withLock { s in
            guard !s.waiting.isEmpty else {
                s.running = false
                return nil
            }
            defer {
                s.keys = []
                s.waiting = []
            }
            return (s.keys, s.waiting)
        }
    }
}
