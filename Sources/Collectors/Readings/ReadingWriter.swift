public import Monitoring
public import Store

/// Checks readings (``ReadingIngest``) against the daemon's current stations and submits the
/// good ones to the store's one writer, returning once they are committed: the path of every
/// transport other than HJ 212 (HTTP line protocol and JSON, MQTT), so their readings are
/// validated, committed and shown to the rule engine exactly as HJ 212's are.
///
/// ```swift
/// let readings = ReadingWriter(stations: book, submit: { try await writer.submitOutcomes($0, commitAtOnce: true) },
///                              now: WallClock.seconds, metrics: ReadingMetrics(source: "http"))
/// let result = try await readings.write(batch.readings)   // after the commit
/// ```
public struct ReadingWriter: Sendable {
    /// What became of a batch of readings.
    public struct Result: Sendable {
        /// Readings in the store after the commit (new, changed or re-sent unchanged).
        public var stored = 0
        /// Of ``stored``, those re-sent with the value already stored.
        public var duplicates = 0
        /// The readings refused, by index, in order.
        public var refusals: [ReadingIngest.Refusal] = []
    }

    private let stations: StationBook
    private let submit: @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>
    private let now: @Sendable () -> Int64
    private let clockFaults: @Sendable (StationClockFault) -> Void
    private let maxPast: Int64
    private let maxFuture: Int64
    /// The transport's metrics.
    public let metrics: ReadingMetrics
    /// The ingest of the stations' last generation, with the targets it has met so far: making
    /// a station's targets anew for every request cost a fifth of the daemon's CPU on /write.
    private let cache = Locked<(generation: Int, ingest: ReadingIngest)?>(nil)

    /// Creates the writer of one transport.
    /// - Parameters:
    ///   - stations: the daemon's stations, as they are when each batch comes.
    ///   - maxPast: seconds a reading may lie behind the clock (HJ 212's `max_past`).
    ///   - maxFuture: seconds it may lie ahead (HJ 212's `max_future`).
    ///   - submit: hands samples to the store's writer and returns once they are committed.
    ///   - now: the clock, seconds since the epoch.
    ///   - clockFaults: told of each fault of a sender's clock (the rule engine's clock rules).
    ///   - metrics: the transport's metrics.
    public init(
        stations: StationBook, maxPast: Int64 = 400 * 86_400, maxFuture: Int64 = 3_600,
        submit: @escaping @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>, now: @escaping @Sendable () -> Int64,
        clockFaults: @escaping @Sendable (StationClockFault) -> Void = { _ in }, metrics: ReadingMetrics
    ) {
        self.stations = stations
        self.maxPast = maxPast
        self.maxFuture = maxFuture
        self.submit = submit
        self.now = now
        self.clockFaults = clockFaults
        self.metrics = metrics
    }

    /// Checks and stores readings; returns after the commit.
    /// - Parameters:
    ///   - readings: the readings.
    ///   - backfill: history (an import): no time is too far in the past (the store's retention
    ///     still applies); times ahead of the clock are refused as always.
    /// - Throws: the writer's error when the batch could not be committed: none of it is stored.
    public func write(_ readings: [Reading], backfill: Bool = false) async throws -> Result {
        var generation = stations.generation
        var ingest: ReadingIngest
        if let cached = cache.withLock({ $0 }), cached.generation == generation {
            ingest = cached.ingest
        } else {
            let (registry, current) = stations.current
            generation = current
            ingest = ReadingIngest(stations: registry, maxFuture: maxFuture, maxPast: maxPast)
        }
        let checked = ingest.samples(from: readings, now: now(), maxPast: backfill ? Int64.max / 4 : nil)
        // Keep what it learned (copies on write: requests in parallel each work on their own).
        cache.withLock { [ingest, generation] in $0 = (generation, ingest) }
        for fault in checked.clockFaults { clockFaults(fault) }
        var result = Result()
        result.refusals = checked.refusals
        let outcomes = try await submit(checked.samples)
        var late: [ReadingIngest.Refusal] = []
        for (k, outcome) in zip(outcomes.indices, outcomes) {
            switch outcome {
            case .inserted, .changed: result.stored += 1
            case .duplicate:
                result.stored += 1
                result.duplicates += 1
            case .unknownSeries, .beyondRetention:
                let sample = checked.samples[k - outcomes.startIndex]
                let why = outcome == .unknownSeries ? "is no longer configured" : "is older than the retention of its kind"
                late.append(
                    ReadingIngest.Refusal(
                        index: checked.origins[k - outcomes.startIndex], reason: .storeRefused, message: "\(sample.series) \(why)"))
            }
        }
        if !late.isEmpty {
            result.refusals = (result.refusals + late).sorted { $0.index < $1.index }
        }
        metrics.stored(result.stored - result.duplicates, duplicates: result.duplicates)
        var byReason: [HJ212Refusal: Int] = [:]
        for r in result.refusals { byReason[r.reason, default: 0] += 1 }
        for (reason, count) in byReason { metrics.rejected(reason, count: count) }
        return result
    }
}
