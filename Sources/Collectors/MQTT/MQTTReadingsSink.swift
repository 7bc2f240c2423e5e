public import Foundation
public import Logging
import Monitoring

/// The daemon's ``MQTTMessageSink``: reads each message (``MQTTPayloadReader``), checks and
/// stores the readings of the whole batch through one ``ReadingWriter`` call (the validation,
/// writer, commit and rule engine of every other way in), and returns once they are committed.
/// A bad reading or a bad message is counted and logged and the rest of the batch is stored; a
/// failed commit throws, so that nothing of the batch is acknowledged.
public struct MQTTReadingsSink: MQTTMessageSink {
    private let readings: ReadingWriter
    private let zone: @Sendable (String) -> TimeZone?
    private let now: @Sendable () -> Int64
    private let metrics: MQTTMetrics
    private let events: RepeatedEventLog

    /// Creates the sink.
    /// - Parameters:
    ///   - readings: checks and commits readings (its metrics have `source="mqtt"`).
    ///   - zone: a station's time zone, for JSON times without an offset.
    ///   - now: the clock, seconds since the epoch (line protocol points without a timestamp).
    ///   - metrics: the collector's metrics (messages refused whole).
    ///   - logger: where refused readings are told, at most once per topic every 10 s with a count.
    public init(
        readings: ReadingWriter, zone: @escaping @Sendable (String) -> TimeZone?,
        now: @escaping @Sendable () -> Int64, metrics: MQTTMetrics, logger: Logger
    ) {
        self.readings = readings
        self.zone = zone
        self.now = now
        self.metrics = metrics
        events = RepeatedEventLog(logger: logger)
    }

    public func deliver(_ messages: [MQTTMessage]) async throws {
        events.flush()
        let time = now()
        var all: [Reading] = []
        var owner: [Int] = []  // the message of each reading
        var read = [Int](repeating: 0, count: messages.count)
        var first = [Int](repeating: 0, count: messages.count)  // the index in `all` of each message's first reading
        var problems = [[String]](repeating: [], count: messages.count)
        var unreadable = [Bool](repeating: false, count: messages.count)
        for (i, message) in messages.enumerated() {
            let payload = MQTTPayloadReader.read(message, precision: message.precision, zone: zone, now: time)
            if let why = payload.unreadable {
                unreadable[i] = true
                problems[i].append(why)
                readings.metrics.rejected(.malformed)
            }
            if !payload.errors.isEmpty {
                readings.metrics.rejected(.malformed, count: payload.errors.count)
                problems[i] += payload.errors
            }
            first[i] = all.count
            all += payload.readings
            owner += repeatElement(i, count: payload.readings.count)
            read[i] = payload.readings.count
        }
        var stored = [Int](repeating: 0, count: messages.count)
        if !all.isEmpty {
            let result: ReadingWriter.Result
            do {
                result = try await readings.write(all)
            } catch {
                throw MQTTError(.notCommitted, "the store did not commit \(all.count) reading(s): \(error)")
            }
            var refusedBy = [Int](repeating: 0, count: messages.count)
            for refusal in result.refusals {
                refusedBy[owner[refusal.index]] += 1
                let i = owner[refusal.index]
                problems[i].append("reading \(refusal.index - first[i] + 1): \(refusal.message) (\(refusal.reason.code))")
            }
            for i in messages.indices { stored[i] = read[i] - refusedBy[i] }
        }
        for (i, message) in messages.enumerated() where !problems[i].isEmpty {
            if stored[i] == 0 { metrics.messageRejected() }
            let shown = problems[i].prefix(3).joined(separator: "; ") + (problems[i].count > 3 ? "; …" : "")
            let what =
                unreadable[i]
                ? "message refused" : "\(problems[i].count) reading\(problems[i].count == 1 ? "" : "s") refused, \(stored[i]) stored"
            events.warning("mqtt \(unreadable[i] ? "unreadable" : "refused") \(message.topic)", "mqtt: \(message.topic): \(what): \(shown)")
        }
    }
}
