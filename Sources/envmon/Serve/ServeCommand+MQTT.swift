import Collectors
import Logging
import ServiceLifecycle
import Store

extension ServeCommand {
    /// The MQTT collector, when the config has an `mqtt:` section: its messages are decoded
    /// against the current stations and committed through the writer before they are
    /// acknowledged. Listed after the writer, so that it stops (and commits what it holds) first.
    static func mqttService(
        _ configuration: MQTTConfiguration?, book: StationBook, writer: BatchingWriter<ContinuousClock>, logger: Logger
    ) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let configuration else { return [] }
        let metrics = MQTTMetrics()
        let sink = MQTTReadingsSink(
            decoder: MQTTMinimalJSONDecoder(stations: { book.registry }), submit: { try await writer.submitOutcomes($0) },
            metrics: metrics, logger: logger)
        return [.init(service: MQTTCollector(configuration: configuration, sink: sink, metrics: metrics, logger: logger), serviceName: "mqtt")]
    }
}
