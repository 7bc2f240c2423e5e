import Collectors
import Logging
import Monitoring
import Rules
import ServiceLifecycle
import Store

extension ServeCommand {
    /// The MQTT collector, when the config has an `mqtt:` section: its readings are checked
    /// against the stations of the moment with HJ 212's time window and committed through the
    /// daemon's one writer before their messages are acknowledged; clock faults go to the rules.
    /// Listed after the writer, so that it stops (and commits what it holds) first.
    static func mqttService(
        _ settings: ServeSettings, book: StationBook, writer: BatchingWriter<ContinuousClock>, rules: any RuleSink,
        logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let configuration = settings.mqtt else { return [] }
        let readings = ReadingWriter(
            stations: book, maxPast: settings.hj212.maxPast, maxFuture: settings.hj212.maxFuture,
            submit: { try await writer.submitOutcomes($0, commitAtOnce: true) }, now: WallClock.seconds,
            clockFaults: { rules.clockFault($0) }, metrics: ReadingMetrics(source: "mqtt"))
        let metrics = MQTTMetrics()
        let sink = MQTTReadingsSink(
            readings: readings, zone: { book.registry[$0]?.timeZone }, now: WallClock.seconds, metrics: metrics, logger: logger)
        return [.init(service: MQTTCollector(configuration: configuration, sink: sink, metrics: metrics, logger: logger), serviceName: "mqtt")]
    }
}
