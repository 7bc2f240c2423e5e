public import Logging
public import Monitoring
public import Store

/// The daemon's ``MQTTMessageSink``: decodes each message (``MQTTPayloadDecoder``), submits the
/// batch's samples through the store's writer in one call, and returns once they are committed.
/// A bad reading or a bad message is counted and logged and the rest of the batch is stored; a
/// failed commit throws, so that nothing of the batch is acknowledged.
public struct MQTTReadingsSink: MQTTMessageSink {
    /// Submits samples and returns, after their commit, what became of each
    /// (`BatchingWriter.submitOutcomes`).
    public typealias Submit = @Sendable ([Sample]) async throws -> ArraySlice<SampleOutcome>

    private let decoder: any MQTTPayloadDecoder
    private let submit: Submit
    private let metrics: MQTTMetrics
    private let logger: Logger

    /// Creates the sink.
    public init(decoder: any MQTTPayloadDecoder, submit: @escaping Submit, metrics: MQTTMetrics, logger: Logger) {
        self.decoder = decoder
        self.submit = submit
        self.metrics = metrics
        self.logger = logger
    }

    public func deliver(_ messages: [MQTTMessage]) async throws {
        var samples: [Sample] = []
        for message in messages {
            let decoded = decoder.decode(message)
            if decoded.unreadable || (decoded.samples.isEmpty && !decoded.rejected.isEmpty) { metrics.messageRejected() }
            for (reason, count) in decoded.rejected { metrics.rejected(reason, count: count) }
            if !decoded.problems.isEmpty {
                let refused = decoded.rejected.values.reduce(0, +)
                logger.warning(
                    "mqtt: \(message.topic): \(decoded.unreadable ? "message refused" : "\(refused) reading\(refused == 1 ? "" : "s") refused, \(decoded.samples.count) kept"): \(decoded.problems.joined(separator: "; "))"
                )
            }
            samples += decoded.samples
        }
        guard !samples.isEmpty else { return }
        let outcomes: ArraySlice<SampleOutcome>
        do {
            outcomes = try await submit(samples)
        } catch {
            throw MQTTError(.notCommitted, "the store did not commit \(samples.count) reading(s): \(error)")
        }
        var summary = WriteSummary()
        for outcome in outcomes { summary.add(outcome) }
        metrics.stored(summary.inserted + summary.changed, duplicates: summary.duplicates)
        metrics.rejected("unknown_series", count: summary.unknownSeries)
        metrics.rejected("beyond_retention", count: summary.beyondRetention)
    }
}
