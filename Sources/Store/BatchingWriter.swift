public import Monitoring

/// The store's one writer: gathers samples from many senders into batches, by size and by time,
/// and tells each sender what became of its samples once the batch holding them is committed.
///
/// ```swift
/// let writer = BatchingWriter(store: store, clock: ContinuousClock())
/// let summary = try await writer.submit(samples)   // returns after the commit
/// await writer.close()                             // flushes what is pending
/// ```
///
/// A batch is committed when it reaches ``maxBatch`` samples, or ``maxDelay`` after its first
/// sample arrived, whichever comes first. While one batch commits the next one fills; when the
/// commit ends, the next batch goes at once if its oldest sample is already due, so a busy writer
/// commits back to back and no sample waits much longer than `maxDelay` plus one commit. Acknowledge a sender only after ``submit(_:)`` returned.
/// After a commit, once its senders are answered, the store's housekeeping
/// (``TimeSeriesStore/maintain()``) runs, unless the next batch is past half its delay.
public actor BatchingWriter<C: Clock> where C.Duration == Duration {
    /// The store batches are committed to.
    public let store: any TimeSeriesStore
    /// Commit when this many samples are waiting.
    public let maxBatch: Int
    /// Commit at the latest this long after the first waiting sample arrived.
    public let maxDelay: Duration
    private let clock: C
    /// Told of every committed batch (the rule engine).
    public let observer: (any CommitObserver)?
    /// How long the writer waits after each commit before the next: a bulk writer beside the
    /// daemon (an import) leaves the store's write lock free for the daemon's commits.
    public let pause: Duration
    /// Counts batches, their sizes and how long their commits took.
    private let metrics: WriterMetrics

    private struct Waiter {
        let range: Range<Int>
        let continuation: CheckedContinuation<ArraySlice<SampleOutcome>, any Error>
    }
    private var pending: [Sample] = []
    private var waiters: [Waiter] = []
    /// When the oldest waiting sample arrived: the batch is due `maxDelay` after it.
    private var oldest: C.Instant?
    private var flushing = false
    /// A sender asked for the waiting samples to go without waiting for more
    /// (``submit(_:commitAtOnce:)``): the next batch starts as soon as the writer is free.
    private var dueNow = false
    private var timer: Task<Void, Never>?
    private var closed = false
    /// Batches committed since start.
    public private(set) var batches = 0
    /// Calls of the store's ``TimeSeriesStore/maintain()`` that failed (what they had to do is
    /// then done by the next write).
    public private(set) var maintenanceFailures = 0
    /// Samples waiting for a batch (not counting a batch being committed).
    public var pendingCount: Int { pending.count }

    /// Creates a writer.
    /// - Parameters:
    ///   - store: where batches go.
    ///   - maxBatch: samples that trigger a commit at once.
    ///   - maxDelay: the longest a sample waits for its batch to be committed.
    ///   - clock: the clock that times ``maxDelay``; tests pass a manual one.
    ///   - observer: told of every batch once it is committed.
    ///   - pause: how long to wait after each commit before the next (zero: none).
    ///   - metrics: the writer's metrics (made from the bootstrapped backend by default).
    public init(
        store: any TimeSeriesStore, maxBatch: Int = 100_000, maxDelay: Duration = .seconds(1), clock: C,
        observer: (any CommitObserver)? = nil, pause: Duration = .zero, metrics: WriterMetrics = WriterMetrics()
    ) {
        self.pause = pause
        self.metrics = metrics
        self.store = store
        self.observer = observer
        self.maxBatch = maxBatch
        self.maxDelay = maxDelay
        self.clock = clock
    }

    /// Queues samples and returns once the batch holding them is committed.
    /// - Parameters:
    ///   - samples: the samples.
    ///   - commitAtOnce: commit the batch holding them as soon as the writer is free, without
    ///     waiting for ``maxBatch`` samples or ``maxDelay``: for a sender that knows nothing
    ///     follows (the end of an import), which would otherwise wait `maxDelay` for nothing.
    /// - Returns: what became of these samples.
    /// - Throws: ``StoreError`` when their batch could not be committed (none of it was stored),
    ///   or with code `closed` after ``close()``.
    public func submit(_ samples: [Sample], commitAtOnce: Bool = false) async throws -> WriteSummary {
        var summary = WriteSummary()
        for outcome in try await submitOutcomes(samples, commitAtOnce: commitAtOnce) { summary.add(outcome) }
        return summary
    }

    /// Queues samples and returns, once the batch holding them is committed, what became of each
    /// (in the order given): for a sender that submits for several parties at once.
    /// `commitAtOnce` is as for ``submit(_:commitAtOnce:)``.
    public func submitOutcomes(_ samples: [Sample], commitAtOnce: Bool = false) async throws -> ArraySlice<SampleOutcome> {
        guard !closed else { throw StoreError(.closed, "the writer is closed") }
        if samples.isEmpty { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            let start = pending.count
            if pending.isEmpty {
                oldest = clock.now
                pending = samples  // shares the sender's buffer instead of copying it
            } else {
                pending += samples
            }
            waiters.append(Waiter(range: start..<pending.count, continuation: continuation))
            if commitAtOnce { dueNow = true }
            if pending.count >= maxBatch || dueNow {
                startFlush()
            } else if timer == nil && !flushing {
                armTimer()
            }
        }
    }

    /// Commits whatever is waiting and refuses further samples.
    public func close() async {
        closed = true
        await flushAll()
    }

    /// Commits whatever is waiting now, without waiting for the timer.
    public func flushAll() async {
        while !pending.isEmpty || flushing {
            if !flushing { startFlush() }
            await Task.yield()
            if flushing { try? await Task.sleep(for: .milliseconds(1)) }
        }
    }

    /// Wakes up when the oldest waiting sample is due.
    private func armTimer() {
        guard let oldest else { return }
        let due = oldest.advanced(by: maxDelay)
        let clock = self.clock
        timer = Task { [weak self] in
            try? await clock.sleep(until: due, tolerance: nil)
            await self?.timerFired()
        }
    }

    private func timerFired() {
        timer = nil
        if !pending.isEmpty { startFlush() }
    }

    private func startFlush() {
        guard !flushing, !pending.isEmpty else { return }
        flushing = true
        dueNow = false
        timer?.cancel()
        timer = nil
        let batch = pending
        let batchWaiters = waiters
        pending = []
        waiters = []
        oldest = nil
        Task { await self.commit(batch, batchWaiters) }
    }

    private func commit(_ batch: [Sample], _ batchWaiters: [Waiter]) async {
        let started = ContinuousClock.now
        do {
            let result = try await store.write(batch)
            metrics.commit(samples: batch.count, duration: ContinuousClock.now - started, succeeded: true)
            batches += 1
            observer?.didCommit(batch, outcomes: result.outcomes)
            for w in batchWaiters { w.continuation.resume(returning: result.outcomes[w.range]) }
        } catch {
            metrics.commit(samples: batch.count, duration: ContinuousClock.now - started, succeeded: false)
            for w in batchWaiters { w.continuation.resume(throwing: error) }
        }
        // The senders are answered; the store's housekeeping goes now, unless the next batch is
        // nearly due or was asked to go at once (then the commit that follows does it, if it must).
        if !closed, !dueNow, oldest.map({ clock.now < $0.advanced(by: maxDelay / 2) }) ?? true {
            do {
                try await store.maintain()
            } catch {
                maintenanceFailures += 1
            }
        }
        if pause > .zero { try? await clock.sleep(for: pause) }
        flushing = false
        // What arrived during the commit goes next: at once if it is a full batch or already due
        // (under steady load commits then follow each other), else when its oldest sample is due.
        guard !pending.isEmpty, let oldest else { return }
        if pending.count >= maxBatch || closed || dueNow || oldest.advanced(by: maxDelay) <= clock.now {
            startFlush()
        } else if timer == nil {
            armTimer()
        }
    }
}
