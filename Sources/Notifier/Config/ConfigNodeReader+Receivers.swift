import EnvmonConfig
import Foundation
import Yams

extension ConfigNodeReader {
    /// The `*_configs` keys of a receiver, in the order the README lists them.
    static let integrationKeys = [
        "webhook_configs", "alertmanager_configs", "email_configs", "wecom_configs", "dingtalk_configs", "feishu_configs",
        "exec_configs", "file_configs", "console_configs",
    ]

    /// Reads `receivers:`; a duplicate name is reported at its second definition.
    mutating func receivers(_ node: Node) -> [ReceiverConfiguration] {
        guard let list = items(node, "receivers") else { return [] }
        var out: [ReceiverConfiguration] = []
        var seen: [String: Node] = [:]
        for (i, item) in list.enumerated() {
            let what = "receivers[\(i)]"
            guard let fields = fields(item, what, known: ["name"] + Self.integrationKeys) else { continue }
            guard let nameNode = fields["name"] else {
                fail(.missingField, "\(what): a receiver needs a name", at: item)
                continue
            }
            guard let name = string(nameNode, "\(what).name") else { continue }
            if let first = seen[name] {
                let line = first.mark.map { " at line \($0.line)" } ?? ""
                fail(.duplicateID, "\(what): receiver '\(name)' is already defined\(line)", at: nameNode)
                continue
            }
            seen[name] = nameNode
            var integrations: [ReceiverIntegration] = []
            for (key, _, value) in fields.pairs where key != "name" {
                guard let configs = items(value, "receiver '\(name)' \(key)") else { continue }
                for (j, config) in configs.enumerated() {
                    if let integration = integration(key, config, "receiver '\(name)' \(key)[\(j)]") {
                        integrations.append(integration)
                    }
                }
            }
            out.append(ReceiverConfiguration(name: name, integrations: integrations))
        }
        return out
    }

    /// One item of a `*_configs` list.
    mutating func integration(_ key: String, _ node: Node, _ what: String) -> ReceiverIntegration? {
        switch key {
        case "webhook_configs": webhook(node, what).map { .webhook($0) }
        case "alertmanager_configs": alertmanager(node, what).map { .alertmanager($0) }
        case "email_configs": email(node, what).map { .email($0) }
        case "wecom_configs": robot(node, what).map { .wecom($0) }
        case "dingtalk_configs": robot(node, what).map { .dingtalk($0) }
        case "feishu_configs": robot(node, what).map { .feishu($0) }
        case "exec_configs": exec(node, what).map { .exec($0) }
        case "file_configs": fileConfig(node, what).map { .file($0) }
        case "console_configs": console(node, what).map { .console($0) }
        default: nil
        }
    }

    /// Stands in for a missing or bad url while the rest of an item is read (never returned).
    static let placeholderURL = URL(string: "http://invalid")!

    /// Reports a required key that is absent.
    mutating func require(_ fields: Fields, _ key: String, _ what: String) -> Node? {
        if let node = fields[key] { return node }
        fail(.missingField, "\(what): '\(key)' is required", at: fields.node)
        return nil
    }

    mutating func webhook(_ node: Node, _ what: String) -> WebhookConfig? {
        let known = [
            "url", "send_resolved", "bearer_token", "bearer_token_file", "hmac_secret", "hmac_secret_file", "signature_header", "timeout",
            "max_alerts",
        ]
        guard let f = fields(node, what, known: known) else { return nil }
        let before = errors.count
        // Read on without a good url, to report every problem of the item at once.
        var c = WebhookConfig(url: require(f, "url", what).flatMap { url($0, "\(what).url") } ?? Self.placeholderURL)
        if let v = f["send_resolved"] { c.sendResolved = bool(v, "\(what).send_resolved") ?? true }
        c.bearerToken = secret(f, "bearer_token", what)
        c.hmacSecret = secret(f, "hmac_secret", what)
        if let v = f["signature_header"], let s = string(v, "\(what).signature_header") { c.signatureHeader = s }
        if let v = f["timeout"], let t = timeout(v, "\(what).timeout") { c.timeout = t }
        if let v = f["max_alerts"], let n = int(v, "\(what).max_alerts", 0...1_000_000) { c.maxAlerts = n }
        return errors.count == before ? c : nil
    }

    mutating func alertmanager(_ node: Node, _ what: String) -> AlertmanagerConfig? {
        guard let f = fields(node, what, known: ["url", "resend_interval", "timeout"]) else { return nil }
        let before = errors.count
        // Read on without a good url, to report every problem of the item at once.
        var c = AlertmanagerConfig(url: require(f, "url", what).flatMap { url($0, "\(what).url") } ?? Self.placeholderURL)
        if let v = f["resend_interval"], let s = seconds(v, "\(what).resend_interval", minimum: 1) { c.resendInterval = s }
        if let v = f["timeout"], let t = timeout(v, "\(what).timeout") { c.timeout = t }
        return errors.count == before ? c : nil
    }

    mutating func email(_ node: Node, _ what: String) -> EmailConfig? {
        let known = [
            "to", "from", "smarthost", "auth_username", "auth_password", "auth_password_file", "require_tls", "send_resolved", "language",
            "timeout",
        ]
        guard let f = fields(node, what, known: known) else { return nil }
        let before = errors.count
        let to = require(f, "to", what).flatMap { recipients($0, "\(what).to") }
        let smarthost = require(f, "smarthost", what).flatMap { self.smarthost($0, "\(what).smarthost") }
        var c = EmailConfig(to: to ?? [], smarthost: smarthost ?? "")
        if let v = f["from"] { c.from = string(v, "\(what).from") }
        if let v = f["auth_username"] { c.authUsername = string(v, "\(what).auth_username") }
        c.authPassword = secret(f, "auth_password", what)
        if let v = f["require_tls"] { c.requireTLS = bool(v, "\(what).require_tls") ?? false }
        if let v = f["send_resolved"] { c.sendResolved = bool(v, "\(what).send_resolved") ?? true }
        if let v = f["language"], let l = language(v, "\(what).language") { c.language = l }
        if let v = f["timeout"], let t = timeout(v, "\(what).timeout") { c.timeout = t }
        return errors.count == before ? c : nil
    }

    /// `to`: `"a@x, b@y"` or a list of addresses.
    mutating func recipients(_ node: Node, _ what: String) -> [String]? {
        let list: [String]?
        if case .scalar = node {
            list = string(node, what).map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        } else {
            list = strings(node, what)
        }
        guard let list else { return nil }
        if let bad = list.first(where: { !$0.contains("@") }) {
            fail(.badValue, "\(what): '\(bad)' is not an email address", at: node)
            return nil
        }
        return list
    }

    /// `smarthost`: `host:port`.
    mutating func smarthost(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex, let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port)
        else {
            fail(.badValue, "\(what): '\(text)' is not host:port", at: node)
            return nil
        }
        return text
    }

    mutating func robot(_ node: Node, _ what: String) -> RobotConfig? {
        let known = ["url", "secret", "mention_mobiles", "send_resolved", "language", "timeout"]
        guard let f = fields(node, what, known: known) else { return nil }
        let before = errors.count
        // Read on without a good url, to report every problem of the item at once.
        var c = RobotConfig(url: require(f, "url", what).flatMap { url($0, "\(what).url") } ?? Self.placeholderURL)
        if let v = f["secret"] { c.secret = string(v, "\(what).secret") }
        if let v = f["mention_mobiles"], let m = strings(v, "\(what).mention_mobiles") { c.mentionMobiles = m }
        if let v = f["send_resolved"] { c.sendResolved = bool(v, "\(what).send_resolved") ?? true }
        if let v = f["language"], let l = language(v, "\(what).language") { c.language = l }
        if let v = f["timeout"], let t = timeout(v, "\(what).timeout") { c.timeout = t }
        return errors.count == before ? c : nil
    }

    mutating func exec(_ node: Node, _ what: String) -> ExecConfig? {
        guard let f = fields(node, what, known: ["command", "timeout", "send_resolved"]) else { return nil }
        let before = errors.count
        var c = ExecConfig(command: [])
        if let commandNode = require(f, "command", what), let command = strings(commandNode, "\(what).command") {
            if command.isEmpty {
                fail(.badValue, "\(what).command: expected the program and its arguments, [program, arg, …]", at: commandNode)
            }
            c.command = command
        }
        if let v = f["timeout"], let t = timeout(v, "\(what).timeout") { c.timeout = t }
        if let v = f["send_resolved"] { c.sendResolved = bool(v, "\(what).send_resolved") ?? true }
        return errors.count == before ? c : nil
    }

    mutating func fileConfig(_ node: Node, _ what: String) -> FileConfig? {
        guard let f = fields(node, what, known: ["path"]) else { return nil }
        guard let pathNode = require(f, "path", what), let path = string(pathNode, "\(what).path") else { return nil }
        return FileConfig(path: path)
    }

    mutating func console(_ node: Node, _ what: String) -> ConsoleConfig? {
        guard let f = fields(node, what, known: ["language"]) else { return nil }
        var c = ConsoleConfig()
        if let v = f["language"] {
            guard let l = language(v, "\(what).language") else { return nil }
            c.language = l
        }
        return c
    }
}
