public import Logging
public import Monitoring
import NIOCore
public import Store

/// What every connection of one HJ 212 server shares.
public struct HJ212ServerContext: Sendable {
    /// The settings.
    public var configuration: HJ212ServerConfiguration
    /// The stations that may send, found by MN; replaced on reload.
    public var stations: StationBook
    /// Stores samples and returns, after their commit, what became of each (the store's
    /// ``BatchingWriter/submitOutcomes(_:)``).
    public var submit: @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>
    /// The per-event-loop coalescers of submissions.
    let coalescers: HJ212SubmitCoalescers
    /// The figures.
    public var statistics: HJ212Statistics
    /// The metrics (swift-metrics counters, made once).
    public var metrics: HJ212Metrics
    /// Where frames of unknown MNs go under the quarantine policy.
    public var quarantine: HJ212Quarantine?
    /// The log.
    public var logger: Logger
    /// The log of events that can repeat on every frame or connection (refusals, store
    /// failures): once, then a count per interval. Flushed by ``HJ212Server``.
    public let events: RepeatedEventLog
    /// Seconds since the epoch; tests inject their own.
    public var now: @Sendable () -> Int64
    /// Told of every frame whose `DataTime` no working clock gives (the rules' `clock` kind).
    public var clockFaults: (@Sendable (StationClockFault) -> Void)?

    /// Creates the shared context.
    public init(
        configuration: HJ212ServerConfiguration, stations: StationBook,
        submit: @escaping @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>,
        statistics: HJ212Statistics = HJ212Statistics(), metrics: HJ212Metrics = HJ212Metrics(),
        quarantine: HJ212Quarantine? = nil, logger: Logger, now: @escaping @Sendable () -> Int64,
        clockFaults: (@Sendable (StationClockFault) -> Void)? = nil
    ) {
        self.init(
            configuration: configuration, stations: stations, submit: submit,
            submitBatch: HJ212SubmitCoalescer.submitting(submit), statistics: statistics, metrics: metrics, quarantine: quarantine,
            logger: logger, events: RepeatedEventLog(logger: logger), now: now, clockFaults: clockFaults)
    }

    /// Creates a context whose batches go through `submitBatch` (tests on an `EmbeddedEventLoop`
    /// complete those futures themselves, on the loop) and whose repeated events are timed as
    /// the test says.
    init(
        configuration: HJ212ServerConfiguration, stations: StationBook,
        submit: @escaping @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome> = { _ in [] },
        submitBatch: @escaping HJ212SubmitCoalescer.Submit, statistics: HJ212Statistics = HJ212Statistics(),
        metrics: HJ212Metrics = HJ212Metrics(), quarantine: HJ212Quarantine? = nil, logger: Logger, events: RepeatedEventLog, now: @escaping @Sendable () -> Int64,
        clockFaults: (@Sendable (StationClockFault) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.stations = stations
        self.submit = submit
        coalescers = HJ212SubmitCoalescers(submit: submitBatch)
        self.statistics = statistics
        self.metrics = metrics
        self.quarantine = quarantine
        self.logger = logger
        self.events = events
        self.now = now
        self.clockFaults = clockFaults
    }
}

/// Sent down a connection's pipeline when the server shuts down: stop reading, finish the frames
/// in flight (their commits and replies), then close.
struct HJ212DrainEvent: Sendable {}
