@testable import Collectors
import EnvmonConfig
import EnvmonTesting
import Foundation
import Testing

/// The `mqtt:` section: what a good one gives, and that each mistake stops start-up with its
/// place in the file.
@Suite struct MQTTConfigurationTests {
    private func load(_ yaml: String, folder: TemporaryDirectory = TemporaryDirectory()) throws -> (MQTTConfiguration, [String]) {
        let path = folder.write("envmon.yaml", yaml)
        let file = try YAMLFile(path: path, text: yaml)
        var errors: [ConfigError] = []
        let c = MQTTConfigurationLoader().read(file.root!.value(forKey: "mqtt")!, in: file, errors: &errors)
        return (c, errors.map { $0.description.replacingOccurrences(of: path, with: "envmon.yaml") })
    }

    @Test func aFullSectionIsRead() throws {
        let folder = TemporaryDirectory()
        folder.write("mqtt.password", "s3cret\n")
        let (c, errors) = try load(
            """
            mqtt:
              url: mqtt://broker.example:1884
              client_id: envmon-office-1
              username: envmon
              password_file: mqtt.password
              keepalive: 30s
              reconnect_min: 500ms
              reconnect_max: 2m
              subscriptions:
                - {topic: "envmon/readings/#", format: json}
                - {topic: "telegraf/+/lp", format: line_protocol, precision: s}
            """, folder: folder)
        #expect(errors.isEmpty)
        #expect(c.host == "broker.example" && c.port == 1884)
        #expect(c.clientID == "envmon-office-1")
        #expect(c.username == "envmon" && c.password == "s3cret")
        #expect(c.keepAliveSeconds == 30)
        #expect(c.reconnect == MQTTBackoff(minimumMilliseconds: 500, maximumMilliseconds: 120_000))
        #expect(c.subscriptions.map(\.filter.text) == ["envmon/readings/#", "telegraf/+/lp"])
        #expect(c.subscriptions.map(\.format) == [.json, .lineProtocol])
        #expect(c.subscriptions.map(\.precision) == [.nanoseconds, .seconds])
        #expect(c.subscription(for: "telegraf/plant-3/lp")?.format == .lineProtocol)
        #expect(c.subscription(for: "envmon/readings")?.format == .json)
        #expect(c.subscription(for: "telegraf/plant-3/json") == nil)
    }

    @Test func thePortDefaultsTo1883() throws {
        let (c, errors) = try load("mqtt:\n  url: mqtt://127.0.0.1\n  client_id: a\n  subscriptions: [{topic: x, format: json}]\n")
        #expect(errors.isEmpty)
        #expect(c.port == 1883)
    }

    @Test func mistakesAreLocated() throws {
        let (_, errors) = try load(
            """
            mqtt:
              url: http://127.0.0.1:1883
              client_id: envmon-1
              qos: 2
              subscriptions:
                - {topic: "a/#/b", format: json}
                - {topic: "c/d", format: csv}
                - {topic: "e", format: json, retain: true}
                - {format: json}
                - {topic: "f", format: json, precision: s}
            """)
        #expect(
            errors == [
                "envmon.yaml:2:8: mqtt.url: unknown scheme 'http': expected mqtt://host[:port]",
                "envmon.yaml:4:3: unknown key 'qos' in mqtt (url, client_id, username, password_file, keepalive, reconnect_min, reconnect_max, subscriptions)",
                "envmon.yaml:6:15: mqtt.subscriptions.topic: '#' must be a whole level and the last one (as in a/b/#)",
                "envmon.yaml:7:30: mqtt.subscriptions.format: expected one of: json, line_protocol",
                "envmon.yaml:8:34: unknown key 'retain' in an mqtt subscription (topic, format, precision)",
                "envmon.yaml:9:7: mqtt.subscriptions: 'topic' is required",
                "envmon.yaml:10:45: mqtt.subscriptions.precision: only for format line_protocol",
            ], "\(errors)")
    }

    @Test func requiredKeysAndBadValues() throws {
        let (_, missing) = try load("mqtt:\n  keepalive: 1s\n")
        #expect(
            missing == [
                "envmon.yaml:2:14: mqtt.keepalive: expected a duration from 5s to 65535s, such as 60s",
                "envmon.yaml:2:3: mqtt: 'url' is required, such as mqtt://127.0.0.1:1883",
                "envmon.yaml:2:3: mqtt: 'client_id' is required (the broker keeps the persistent session under it)",
                "envmon.yaml:2:3: mqtt: 'subscriptions' is required: a list of {topic, format}",
            ], "\(missing)")
        let (_, tls) = try load("mqtt:\n  url: mqtts://h:8883\n  client_id: a\n  subscriptions: [{topic: x, format: json}]\n")
        #expect(tls.count == 1 && tls[0].contains("envmon.yaml:2:8: mqtt.url: 'mqtts://' (TLS) is not supported yet"), "\(tls)")
        let (_, port) = try load("mqtt:\n  url: mqtt://h:99999\n  client_id: a\n  subscriptions: [{topic: x, format: json}]\n")
        #expect(port == ["envmon.yaml:2:8: mqtt.url: the port '99999' is not a number in 1…65535"])
        let (_, password) = try load("mqtt:\n  url: mqtt://h\n  client_id: a\n  password_file: nowhere\n  subscriptions: [{topic: x, format: json}]\n")
        #expect(password.count == 1 && password[0].hasPrefix("envmon.yaml:4:18: mqtt.password_file: cannot read "), "\(password)")
        let (_, empty) = try load("mqtt:\n  url: mqtt://h\n  client_id: a\n  subscriptions: []\n")
        #expect(empty == ["envmon.yaml:4:18: mqtt.subscriptions: the list is empty: nothing would be collected"])
    }

    @Test func urls() {
        func parse(_ s: String) -> String {
            switch MQTTConfigurationLoader.parseURL(s) {
            case .success(let (h, p)): "\(h) \(p)"
            case .failure(let e): "error: \(e)"
            }
        }
        #expect(parse("mqtt://10.0.0.5:1883") == "10.0.0.5 1883")
        #expect(parse("tcp://broker") == "broker 1883")
        #expect(parse("mqtt://[::1]:1990/") == "::1 1990")
        #expect(parse("mqtt://user:pw@broker") .hasPrefix("error: expected only mqtt://host[:port]"))
        #expect(parse("broker:1883").hasPrefix("error: expected mqtt://host[:port]"))
        #expect(parse("mqtt://:1883") == "error: the URL has no host")
    }

    @Test func topicFilters() throws {
        func matches(_ filter: String, _ topic: String) throws -> Bool { try MQTTTopicFilter.parse(filter).get().matches(topic) }
        #expect(try matches("a/+/c", "a/b/c"))
        #expect(try !matches("a/+/c", "a/b/c/d"))
        #expect(try !matches("a/+/c", "a/c"))
        #expect(try matches("a/#", "a"))  // '#' covers the parent level too (MQTT 3.1.1 §4.7.1.2)
        #expect(try matches("a/#", "a/b/c"))
        #expect(try matches("#", "x/y"))
        #expect(try !matches("#", "$SYS/broker/uptime"))
        #expect(try matches("a/b", "a/b"))
        #expect(try !matches("a/b", "a/b/"))
        #expect(try matches("+/+", "/x"))
        for bad in ["", "a/#/b", "a/b#", "a+/b"] {
            #expect(throws: MQTTFilterProblem.self) { try MQTTTopicFilter.parse(bad).get() }
        }
    }

    @Test func backoffDoublesToItsCapWithJitterInTheUpperHalf() {
        let b = MQTTBackoff(minimumMilliseconds: 1_000, maximumMilliseconds: 60_000)
        #expect((1...8).map { b.step(attempt: $0) } == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000])
        #expect(b.step(attempt: 10_000) == 60_000)
        #expect(b.delay(attempt: 3, unit: 0) == 2_000)
        #expect(b.delay(attempt: 3, unit: 0.5) == 3_000)
        #expect(b.delay(attempt: 3, unit: 0.999_999) == 3_999)
        #expect(b.delay(attempt: 1, unit: 0) == 500)
    }
}
