import EnvmonTesting
import Foundation
import Testing

extension EndToEnd {
    /// `envmon serve` with an `mqtt:` section against a real mosquitto broker: readings published
    /// with `mosquitto_pub -q 1` are stored; bad ones are refused and counted while their good
    /// neighbours are stored; every reading published survives a SIGKILL of the daemon; a
    /// restarted broker is reconnected to.
    @Suite struct MQTTEndToEndTests {
        let dir = TemporaryDirectory()

        static let station = """
            id: mqtt-outlet
            name: MQTT test outlet
            kind: discharge-outlet
            time_zone: Asia/Shanghai
            interval: 1m
            parameters:
              COD: {unit: mg/L}
              NH3-N: {unit: mg/L}

            """

        func config(_ broker: MosquittoBroker, clientID: String) -> String {
            dir.write(
                "envmon.yaml",
                """
                store:
                  path: \(dir.file("store.sqlite"))
                sensors: [\(dir.file("sensors"))]
                rules:
                  path: \(dir.file("no-rules"))
                hj212:
                  # The readings are dated 2026-01-01: older than the default 400 days from 2027-02-05.
                  max_past: 36500d
                mqtt:
                  url: mqtt://127.0.0.1:\(broker.port)
                  client_id: \(clientID)
                  reconnect_min: 50ms
                  reconnect_max: 500ms
                  subscriptions:
                    - {topic: "envmon/readings/#", format: json}
                    - {topic: "telegraf/+/lp", format: line_protocol, precision: s}

                """)
        }

        /// The stored real-time values of one series, by UTC second.
        func stored(_ parameter: String) async throws -> [Int64: Double] {
            let r = try await Envmon.run([
                "query", "--db", dir.file("store.sqlite"), "--sensors", dir.file("sensors"), "--station", "mqtt-outlet", "--parameter", parameter,
                "--kind", "realtime", "--from", "2020-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--format", "json",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let object = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any]
            var result: [Int64: Double] = [:]
            let parser = ISO8601DateFormatter()
            for row in object?["rows"] as? [[String: Any]] ?? [] {
                guard let time = (row["time"] as? String).flatMap({ parser.date(from: $0) }), let value = (row["value"] as? NSNumber)?.doubleValue
                else { continue }
                result[Int64(time.timeIntervalSince1970)] = value
            }
            return result
        }

        func waitUntil(_ seconds: Double = 120, _ condition: () async throws -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if try await condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return try await condition()
        }

        func subscribed(_ broker: MosquittoBroker, _ clientID: String, times: Int = 1) async throws -> Bool {
            try await waitUntil { broker.log.components(separatedBy: "Sending SUBACK to \(clientID)").count > times }
        }

        /// The daemon's `/metrics` (with its local token).
        func metrics(_ daemon: Daemon) async throws -> HTTPGet {
            try await HTTPGet.get(port: daemon.httpPort, "/metrics", token: Daemon.localToken(store: dir.file("store.sqlite")))
        }

        /// 2026-01-01T00:00:00Z plus `i` minutes.
        static func time(_ i: Int) -> Int64 { 1_767_225_600 + Int64(i) * 60 }

        @Test func publishedReadingsAreStoredAndBadOnesCounted() async throws {
            let broker = try MosquittoBroker()
            dir.write("sensors/mqtt-outlet.yaml", Self.station)
            let config = config(broker, clientID: "envmon-e2e-store")
            let daemon = try await Daemon.start(["--config", config], logPath: dir.file("serve.log"))
            #expect(try await subscribed(broker, "envmon-e2e-store"), "\(daemon.log)")

            // One message, three readings: one of an unknown station, two good ones.
            try broker.publish(
                topic: "envmon/readings/plant-1",
                """
                [{"station": "mqtt-outlet", "parameter": "COD", "time": "2026-01-01T08:00:00+08:00", "value": 23.5},
                 {"station": "nowhere", "parameter": "COD", "time": "2026-01-01T08:00:00+08:00", "value": 1},
                 {"station": "mqtt-outlet", "parameter": "NH3-N", "time": 1767225600, "value": 1.25, "flag": "N"}]
                """)
            try broker.publish(topic: "envmon/readings/plant-1", "{not json")
            try broker.publish(
                topic: "envmon/readings/plant-2",
                #"{"readings": [{"station": "mqtt-outlet", "parameter": "COD", "time": "2026-01-01T00:01:00Z", "value": 24}]}"#)
            #expect(try await waitUntil { try await stored("COD").count == 2 }, "\(daemon.log)")
            let cod = try await stored("COD")
            #expect(cod == [Self.time(0): 23.5, Self.time(1): 24])
            let nh3N = try await stored("NH3-N")
            #expect(nh3N == [Self.time(0): 1.25])

            let figures = try await metrics(daemon)
            #expect(figures.sample("envmon_mqtt_messages_total") == 3, "\(figures.body)")
            #expect(figures.sample("envmon_mqtt_messages_rejected_total") == 1)
            #expect(figures.sample(#"envmon_readings_rejected_total{reason="unknown_station",source="mqtt"}"#) == 1)
            #expect(figures.sample(#"envmon_readings_rejected_total{reason="malformed",source="mqtt"}"#) == 1)
            #expect(figures.sample(#"envmon_readings_ingested_total{source="mqtt"}"#) == 3)
            #expect(figures.sample("envmon_mqtt_connected") == 1)
            #expect(daemon.log.contains("mqtt: envmon/readings/plant-1: 1 reading refused, 2 stored: reading 2: unknown station 'nowhere' (unknown_station)"), "\(daemon.log)")
            #expect(daemon.log.contains("mqtt: envmon/readings/plant-1: message refused: the body is not {\"readings\": [...]} or a list of readings:"), "\(daemon.log)")

            // Line protocol, timestamps in seconds: a line that does not parse is refused, the others stored.
            try broker.publish(
                topic: "telegraf/plant-3/lp",
                """
                reading,station=mqtt-outlet,parameter=COD value=30 \(Self.time(10))
                reading,station=mqtt-outlet COD=31,NH3-N=2 \(Self.time(11))
                reading,station=mqtt-outlet value=
                """)
            #expect(try await waitUntil { try await stored("COD").count == 4 }, "\(daemon.log)")
            let nh3NAfterLP = try await stored("NH3-N")
            #expect(nh3NAfterLP == [Self.time(0): 1.25, Self.time(11): 2])
            let lp = try await metrics(daemon)
            #expect(lp.sample(#"envmon_readings_rejected_total{reason="malformed",source="mqtt"}"#) == 2)
            #expect(lp.sample(#"envmon_readings_ingested_total{source="mqtt"}"#) == 6)

            // The broker restarts: the daemon connects again and goes on.
            broker.stop()
            #expect(try await waitUntil { (try await metrics(daemon)).sample("envmon_mqtt_connected") == 0 })
            try broker.start()
            #expect(try await subscribed(broker, "envmon-e2e-store", times: 2), "\(daemon.log)")
            try broker.publish(
                topic: "envmon/readings/plant-1", #"{"station": "mqtt-outlet", "parameter": "COD", "time": "2026-01-01T00:02:00Z", "value": 25}"#)
            #expect(try await waitUntil { try await stored("COD").count == 5 }, "\(daemon.log)")
            let after = try await metrics(daemon)
            #expect(after.sample("envmon_mqtt_connected") == 1)
            #expect(after.sample("envmon_mqtt_reconnects_total") == 1, "\(after.body)")
            #expect(daemon.log.components(separatedBy: "mqtt: connection to mqtt://127.0.0.1:\(broker.port) lost").count == 2, "\(daemon.log)")
            #expect(await daemon.stop() == 0)
        }

        @Test func everyReadingPublishedSurvivesASigkillOfTheDaemon() async throws {
            let broker = try MosquittoBroker()
            dir.write("sensors/mqtt-outlet.yaml", Self.station)
            let config = config(broker, clientID: "envmon-e2e-kill")
            var daemon = try await Daemon.start(["--config", config], logPath: dir.file("serve-1.log"))
            #expect(try await subscribed(broker, "envmon-e2e-kill"), "\(daemon.log)")

            // 20,000 messages of one reading each, published with QoS 1 by one mosquitto_pub,
            // while the daemon is killed once 2,000 are stored: the rest goes on being published
            // while it is dead, and the broker keeps it in the session.
            let count = 20_000
            let lines = (0..<count).map { #"{"station": "mqtt-outlet", "parameter": "COD", "time": \#(Self.time($0)), "value": \#(Double($0) / 10)}"# }
            // mosquitto_pub runs for the whole test: waited for on a thread of its own (``OffPool``).
            let publisher = Task.detached { try await OffPool.run { try broker.publishLines(topic: "envmon/readings/stream", lines) } }
            let first = daemon
            #expect(try await waitUntil(60) { ((try? await metrics(first))?.sample(#"envmon_readings_ingested_total{source="mqtt"}"#) ?? 0) >= 2_000 })
            #expect(await daemon.stop(SIGKILL) == SIGKILL)
            let atKill = try await stored("COD").count
            try await publisher.value  // every message was acknowledged by the broker (QoS 1)

            daemon = try await Daemon.start(["--config", config], logPath: dir.file("serve-2.log"))
            // Committed: what was stored before the kill and what the new daemon stored since.
            let second = daemon
            func committed() async -> Int {
                Int((try? await metrics(second))?.sample(#"envmon_readings_ingested_total{source="mqtt"}"#) ?? 0)
            }
            let caughtUp = try await waitUntil(120) { await committed() + atKill >= count }
            let late = await committed()
            #expect(caughtUp, "\(late) + \(atKill) of \(count); \(daemon.log)")
            let figures = try await metrics(daemon)
            let fresh = figures.sample(#"envmon_readings_ingested_total{source="mqtt"}"#) ?? 0
            let duplicates = figures.sample(#"envmon_readings_duplicate_total{source="mqtt"}"#) ?? 0
            // Sent before the kill, never acknowledged, sent again with the DUP flag after it.
            let resent = broker.log.components(separatedBy: "Sending PUBLISH to envmon-e2e-kill (d1").count - 1
            print(
                "mqtt kill test: \(atKill) of \(count) stored when killed; the broker re-sent \(resent) unacknowledged message(s) after the restart; \(Int(fresh)) readings stored after the restart, \(Int(duplicates)) were already stored (committed, not yet acknowledged)"
            )
            // A reader beside the daemon sees them all: `envmon query` asks the daemon, which sees
            // what it staged and has not folded yet (a read-only look at the file missed those).
            let beside = try await stored("COD")
            let missing = (0..<count).filter { beside[Self.time($0)] == nil }
            #expect(missing.isEmpty, "\(beside.count) of \(count) seen beside the daemon; missing \(missing.count): \(missing.prefix(3)) … \(missing.suffix(3))")
            #expect(await daemon.stop() == 0)
            // Every reading published with QoS 1 is stored, once, with its value.
            let values = try await stored("COD")
            #expect(values.count == count, "\(values.count) of \(count) stored")
            #expect((0..<count).allSatisfy { values[Self.time($0)] == Double($0) / 10 })
        }

        @Test func aBadMQTTSectionStopsStartUpWithItsPlace() async throws {
            let path = dir.write(
                "bad.yaml",
                """
                mqtt:
                  url: mqtt://127.0.0.1:1883
                  client_id: x
                  subscriptions:
                    - {topic: "a/#", format: xml}

                """)
            let r = try await Envmon.run(["serve", "--config", path, "--db", dir.file("s.sqlite")])
            #expect(r.status != 0)
            #expect(r.stderr.contains("\(path):5:30: mqtt.subscriptions.format: expected one of: json, line_protocol"), "\(r.stderr)")
        }
    }
}
