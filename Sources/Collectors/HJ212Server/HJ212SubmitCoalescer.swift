import Monitoring
import NIOCore
import Store

/// Gathers the samples of every frame read during one turn of an event loop, from all its
/// connections, into one submission to the writer, and hands each frame its own outcome.
///
/// A submission costs a task, an actor hop and a continuation; at tens of thousands of frames a
/// second that cost per frame showed in profiles, while per turn it is negligible. Confined to
/// its event loop, like the handlers that use it.
final class HJ212SubmitCoalescer {
    typealias Completion = (Result<WriteSummary, any Error>) -> Void
    /// Submits one batch and returns its outcomes as a future of `loop`.
    typealias Submit = @Sendable (_ batch: [Sample], _ loop: any EventLoop) -> EventLoopFuture<ArraySlice<SampleOutcome>>

    private let loop: any EventLoop
    private let submit: Submit
    private var samples: [Sample] = []
    private var waiting: [(range: Range<Int>, done: Completion)] = []
    private var scheduled = false

    init(loop: any EventLoop, submit: @escaping Submit) {
        self.loop = loop
        self.submit = submit
    }

    /// The server's way: the writer's async submission, run as a task whose result completes a
    /// promise of the loop.
    static func submitting(_ submit: @escaping @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>) -> Submit {
        { batch, loop in
            let promise = loop.makePromise(of: ArraySlice<SampleOutcome>.self)
            promise.completeWithTask { try await submit(batch) }
            return promise.futureResult
        }
    }

    /// Queues a frame's samples; `done` runs on the loop after their commit.
    func enqueue(_ frame: [Sample], done: @escaping Completion) {
        let start = samples.count
        samples += frame
        waiting.append((start..<samples.count, done))
        guard !scheduled else { return }
        scheduled = true
        // After the reads of this turn: the task below goes out once for all of them.
        loop.assumeIsolated().execute { self.flush() }
    }

    private func flush() {
        scheduled = false
        let batch = samples
        let batchWaiting = waiting
        // Room for as many as this turn had: grown from empty by doubling, the arrays were
        // reallocated a few times every turn.
        samples = []
        samples.reserveCapacity(batch.count)
        waiting = []
        waiting.reserveCapacity(batchWaiting.count)
        guard !batch.isEmpty else { return }
        submit(batch, loop).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let outcomes):
                let base = outcomes.startIndex
                for (range, done) in batchWaiting {
                    var summary = WriteSummary()
                    for i in range { summary.add(outcomes[base + i]) }
                    done(.success(summary))
                }
            case .failure(let error):
                for (_, done) in batchWaiting { done(.failure(error)) }
            }
        }
    }
}

/// One coalescer per event loop, shared by the connections on it.
final class HJ212SubmitCoalescers: Sendable {
    private let submit: HJ212SubmitCoalescer.Submit
    private let byLoop = Locked<[ObjectIdentifier: NIOLoopBound<HJ212SubmitCoalescer>]>([:])

    /// Coalescers that submit through `submit`: the server's is
    /// ``HJ212SubmitCoalescer/submitting(_:)``; tests complete the futures themselves.
    init(submit: @escaping HJ212SubmitCoalescer.Submit) { self.submit = submit }

    /// The coalescer of `loop`; call on that loop.
    func coalescer(for loop: any EventLoop) -> HJ212SubmitCoalescer {
        let key = ObjectIdentifier(loop)
        if let bound = byLoop.withLock({ $0[key] }) { return bound.value }
        let bound = NIOLoopBound(HJ212SubmitCoalescer(loop: loop, submit: submit), eventLoop: loop)
        // Another connection on the same loop cannot race us (we are on that loop), but keep
        // whichever got in first all the same.
        let kept = byLoop.withLock { map -> NIOLoopBound<HJ212SubmitCoalescer> in
            if let existing = map[key] { return existing }
            map[key] = bound
            return bound
        }
        return kept.value
    }
}
