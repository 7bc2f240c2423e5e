public import EnvmonConfig
import Foundation
public import Yams

/// Reads the `mqtt:` section of the daemon's config file into an ``MQTTConfiguration``.
/// Unknown keys, a URL that is not `mqtt://host[:port]`, a bad topic filter or format, and a
/// password file that cannot be read are errors located at `file:line:column`.
public struct MQTTConfigurationLoader {
    /// The keys of the section.
    public static let keys = ["url", "client_id", "username", "password_file", "keepalive", "reconnect_min", "reconnect_max", "subscriptions"]
    /// The keys of one subscription.
    public static let subscriptionKeys = ["topic", "format", "precision"]

    /// Creates a loader.
    public init() {}

    /// Reads `node`, the value of `mqtt:` in `file`, appending every problem to `errors`. The
    /// result is only meaningful when none was added.
    public func read(_ node: Node, in file: YAMLFile, errors: inout [ConfigError]) -> MQTTConfiguration {
        var c = MQTTConfiguration()
        guard let pairs = node.pairs else {
            errors.append(file.error(.wrongType, "mqtt: expected a mapping (url, client_id, subscriptions, …)", at: node))
            return c
        }
        var minimum: Int?, maximum: Int?
        for (key, value) in pairs {
            let name = key.string ?? ""
            switch name {
            case "url":
                guard let text = value.text else {
                    errors.append(file.error(.wrongType, "mqtt.url: expected text such as mqtt://127.0.0.1:1883", at: value))
                    continue
                }
                switch Self.parseURL(text) {
                case .success(let (host, port)): (c.host, c.port) = (host, port)
                case .failure(let problem): errors.append(file.error(.badValue, "mqtt.url: \(problem)", at: value))
                }
            case "client_id":
                // MQTT 3.1.1 servers must accept 1–23 characters of [0-9a-zA-Z]; mosquitto accepts more.
                guard let text = value.text, !text.isEmpty, text.utf8.count <= 65_535, !text.contains("\u{0}") else {
                    errors.append(file.error(.badValue, "mqtt.client_id: expected a non-empty name", at: value))
                    continue
                }
                c.clientID = text
            case "username":
                guard let text = value.text, !text.isEmpty else {
                    errors.append(file.error(.wrongType, "mqtt.username: expected text", at: value))
                    continue
                }
                c.username = text
            case "password_file":
                guard let path = value.text, !path.isEmpty else {
                    errors.append(file.error(.wrongType, "mqtt.password_file: expected a file name", at: value))
                    continue
                }
                let resolved = path.hasPrefix("/") ? path : ((file.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
                guard let data = FileManager.default.contents(atPath: resolved) else {
                    errors.append(file.error(.unreadable, "mqtt.password_file: cannot read \(resolved)", at: value))
                    continue
                }
                c.password = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            case "keepalive":
                guard let seconds = value.text.flatMap({ DurationText.seconds($0) }), (5...65_535).contains(seconds) else {
                    errors.append(file.error(.badValue, "mqtt.keepalive: expected a duration from 5s to 65535s, such as 60s", at: value))
                    continue
                }
                c.keepAliveSeconds = seconds
            case "reconnect_min", "reconnect_max":
                guard let ms = value.text.flatMap({ DurationText.milliseconds($0) }), (10...3_600_000).contains(ms) else {
                    errors.append(file.error(.badValue, "mqtt.\(name): expected a duration from 10ms to 1h, such as 1s", at: value))
                    continue
                }
                if name == "reconnect_min" { minimum = ms } else { maximum = ms }
            case "subscriptions":
                guard let items = value.items else {
                    errors.append(file.error(.wrongType, "mqtt.subscriptions: expected a list of {topic, format}", at: value))
                    continue
                }
                for item in items {
                    if let subscription = readSubscription(item, in: file, errors: &errors) { c.subscriptions.append(subscription) }
                }
            default:
                errors.append(file.error(.unknownField, "unknown key '\(name)' in mqtt (\(Self.keys.joined(separator: ", ")))", at: key))
            }
        }
        let lo = minimum ?? c.reconnect.minimumMilliseconds, hi = maximum ?? max(c.reconnect.maximumMilliseconds, lo)
        if hi < lo {
            errors.append(file.error(.badValue, "mqtt.reconnect_max: must not be less than reconnect_min", at: node.keyNode("reconnect_max")))
        }
        c.reconnect = MQTTBackoff(minimumMilliseconds: lo, maximumMilliseconds: hi)
        if node.keyNode("url") == nil {
            errors.append(file.error(.missingField, "mqtt: 'url' is required, such as mqtt://127.0.0.1:1883", at: node))
        }
        if node.keyNode("client_id") == nil {
            errors.append(file.error(.missingField, "mqtt: 'client_id' is required (the broker keeps the persistent session under it)", at: node))
        }
        if let list = node.value(forKey: "subscriptions") {
            if list.items?.isEmpty == true {
                errors.append(file.error(.badValue, "mqtt.subscriptions: the list is empty: nothing would be collected", at: list))
            }
        } else {
            errors.append(file.error(.missingField, "mqtt: 'subscriptions' is required: a list of {topic, format}", at: node))
        }
        return c
    }

    private func readSubscription(_ item: Node, in file: YAMLFile, errors: inout [ConfigError]) -> MQTTSubscription? {
        guard let pairs = item.pairs else {
            errors.append(file.error(.wrongType, "mqtt.subscriptions: expected {topic: \"a/#\", format: json}", at: item))
            return nil
        }
        var filter: MQTTTopicFilter?, format: MQTTPayloadFormat?, precision = LineProtocolPrecision.nanoseconds
        var ok = true
        for (key, value) in pairs {
            switch key.string ?? "" {
            case "topic":
                switch MQTTTopicFilter.parse(value.text ?? "") {
                case .success(let f): filter = f
                case .failure(let problem):
                    errors.append(file.error(.badValue, "mqtt.subscriptions.topic: \(problem)", at: value))
                    ok = false
                }
            case "format":
                guard let f = value.text.flatMap(MQTTPayloadFormat.init(rawValue:)) else {
                    let known = MQTTPayloadFormat.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(file.error(.badValue, "mqtt.subscriptions.format: expected one of: \(known)", at: value))
                    ok = false
                    continue
                }
                format = f
            case "precision":
                guard let p = value.text.flatMap(LineProtocolPrecision.init(rawValue:)) else {
                    let known = LineProtocolPrecision.allCases.map(\.rawValue).joined(separator: ", ")
                    errors.append(file.error(.badValue, "mqtt.subscriptions.precision: expected one of: \(known)", at: value))
                    ok = false
                    continue
                }
                if item.value(forKey: "format")?.text != MQTTPayloadFormat.lineProtocol.rawValue {
                    errors.append(file.error(.badValue, "mqtt.subscriptions.precision: only for format line_protocol", at: value))
                    ok = false
                }
                precision = p
            default:
                errors.append(
                    file.error(.unknownField, "unknown key '\(key.string ?? "")' in an mqtt subscription (\(Self.subscriptionKeys.joined(separator: ", ")))", at: key))
                ok = false
            }
        }
        if item.keyNode("topic") == nil {
            errors.append(file.error(.missingField, "mqtt.subscriptions: 'topic' is required", at: item))
            ok = false
        }
        if item.keyNode("format") == nil {
            errors.append(file.error(.missingField, "mqtt.subscriptions: 'format' is required (json or line_protocol)", at: item))
            ok = false
        }
        guard ok, let filter, let format else { return nil }
        return MQTTSubscription(filter: filter, format: format, precision: precision)
    }

    /// `mqtt://host[:port]` → host and port (1883 by default). `mqtts://` is not supported yet.
    public static func parseURL(_ text: String) -> Result<(String, Int), MQTTFilterProblem> {
        guard let schemeEnd = text.range(of: "://") else {
            return .failure(MQTTFilterProblem("expected mqtt://host[:port], got '\(text)'"))
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "mqtt" || scheme == "tcp" else {
            if scheme == "mqtts" || scheme == "ssl" {
                return .failure(MQTTFilterProblem("'\(scheme)://' (TLS) is not supported yet; use mqtt:// on loopback or a trusted network"))
            }
            return .failure(MQTTFilterProblem("unknown scheme '\(scheme)': expected mqtt://host[:port]"))
        }
        var rest = text[schemeEnd.upperBound...]
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains("/") || rest.contains("@") || rest.contains("?") {
            return .failure(MQTTFilterProblem("expected only mqtt://host[:port] (no path, user or query: use username and password_file)"))
        }
        var host = Substring(""), portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return .failure(MQTTFilterProblem("an IPv6 address needs a closing ']'")) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(MQTTFilterProblem("expected ':port' after ']'")) }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { return .failure(MQTTFilterProblem("the URL has no host")) }
        var port = 1883
        if let portText {
            guard let p = Int(portText), (1...65_535).contains(p) else {
                return .failure(MQTTFilterProblem("the port '\(portText)' is not a number in 1…65535"))
            }
            port = p
        }
        return .success((String(host), port))
    }
}
