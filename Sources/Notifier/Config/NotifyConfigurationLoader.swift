public import EnvmonConfig
import Foundation
public import Yams

/// Reads the `notify:` section of `envmon.yaml` into a ``NotifyConfiguration``, in
/// Alertmanager's shape (`route`, `receivers`, `inhibit_rules`) plus envmon's
/// `maintenance_windows`, `retry`, `retention`, `lease`, `templates` and `external_url`.
///
/// ```swift
/// let file = try YAMLFile(path: "envmon.yaml")
/// if let notify = file.root?.value(forKey: "notify") {
///     let configuration = try NotifyConfigurationLoader().load(notify, in: file)
/// }
/// ```
///
/// Every problem is reported, not just the first, each as a ``ConfigError`` located at the
/// offending node (`envmon.yaml:12:7: route.routes[0].receiver: …`): unknown keys, wrong
/// types, bad addresses, durations, matchers, zones, weekdays and times, receivers that are
/// missing or defined twice, `*_file` secrets that cannot be read. `*_file` paths are relative
/// to the config file's folder; other paths (`file_configs`, `templates`) are kept as written.
/// The root route gets Alertmanager's defaults for what it leaves unset (`group_by: []`,
/// `group_wait: 30s`, `group_interval: 5m`, `repeat_interval: 4h`); child routes keep nil for
/// what they inherit (``RouteTree`` fills it in).
public struct NotifyConfigurationLoader: Sendable {
    /// The keys of the `notify:` section.
    public static let sectionKeys = [
        "route", "receivers", "inhibit_rules", "maintenance_windows", "retry", "retention", "lease", "templates", "external_url",
    ]

    /// Creates a loader.
    public init() {}

    /// Reads `node`, the value of `notify:` in `file`.
    /// - Throws: ``ConfigErrors`` listing every problem, in file order.
    public func load(_ node: Node, in file: YAMLFile) throws(ConfigErrors) -> NotifyConfiguration {
        var errors: [ConfigError] = []
        let configuration = read(node, in: file, errors: &errors)
        if !errors.isEmpty { throw ConfigErrors(errors) }
        return configuration
    }

    /// Reads `node`, the value of `notify:` in `file`, appending every problem to `errors` in
    /// file order (for a caller that gathers the problems of several sections). The result is
    /// only meaningful when none was added.
    public func read(_ node: Node, in file: YAMLFile, errors: inout [ConfigError]) -> NotifyConfiguration {
        var reader = ConfigNodeReader(file: file)
        var configuration = NotifyConfiguration()
        if let fields = reader.fields(node, "notify", known: Self.sectionKeys) {
            read(fields, into: &configuration, &reader)
        }
        errors += reader.errors.enumerated().sorted { a, b in
            let l = (a.element.line ?? 0, a.element.column ?? 0)
            let r = (b.element.line ?? 0, b.element.column ?? 0)
            return l != r ? l < r : a.offset < b.offset
        }.map(\.element)
        return configuration
    }

    private func read(_ fields: ConfigNodeReader.Fields, into c: inout NotifyConfiguration, _ r: inout ConfigNodeReader) {
        var references: [(name: String, node: Node)] = []
        if let v = fields["route"] {
            c.route = r.route(v, "route", rootKey: fields.key("route"), references: &references)
            // The root's unset settings are Alertmanager's defaults; children keep nil and inherit.
            c.route.groupBy = c.route.groupBy ?? .labels([])
            c.route.groupWait = c.route.groupWait ?? RouteTree.defaultGroupWait
            c.route.groupInterval = c.route.groupInterval ?? RouteTree.defaultGroupInterval
            c.route.repeatInterval = c.route.repeatInterval ?? RouteTree.defaultRepeatInterval
        } else {
            r.fail(.missingField, "notify: 'route' is required (at least `route: {receiver: name}`)", at: fields.node)
        }
        if let v = fields["receivers"] { c.receivers = r.receivers(v) }
        // A receiver that failed to read still counts as defined: its own errors say what is wrong.
        let defined = Set(fields["receivers"]?.items?.compactMap { $0.value(forKey: "name")?.text } ?? [])
        for (name, node) in references where !defined.contains(name) {
            let known = defined.isEmpty ? "none is defined" : "defined: " + defined.sorted().joined(separator: ", ")
            r.fail(.badValue, "route: receiver '\(name)' does not exist (\(known))", at: node)
        }
        if let v = fields["inhibit_rules"] { c.inhibitRules = r.inhibitRules(v) }
        if let v = fields["maintenance_windows"] { c.maintenanceWindows = r.maintenanceWindows(v) }
        if let v = fields["retry"] { c.retry = retry(v, &r) }
        if let v = fields["retention"], let s = r.seconds(v, "retention", minimum: 1) { c.retention = s }
        if let v = fields["lease"], let s = r.seconds(v, "lease", minimum: 1) { c.lease = s }
        if let v = fields["templates"] { c.templatesPath = r.string(v, "templates") }
        if let v = fields["external_url"] { c.externalURL = r.url(v, "external_url")?.absoluteString }
    }

    /// `retry: {first: 1s, max: 5m, max_age: 24h}`.
    private func retry(_ node: Node, _ r: inout ConfigNodeReader) -> RetryPolicy {
        var policy = RetryPolicy()
        guard let f = r.fields(node, "retry", known: ["first", "max", "max_age"]) else { return policy }
        if let v = f["first"], let ms = r.milliseconds(v, "retry.first") { policy.firstDelay = .milliseconds(ms) }
        if let v = f["max"], let ms = r.milliseconds(v, "retry.max") { policy.maxDelay = .milliseconds(ms) }
        if let v = f["max_age"], let s = r.seconds(v, "retry.max_age", minimum: 1) { policy.maxAge = s }
        if policy.maxDelay < policy.firstDelay {
            r.fail(.badValue, "retry.max: must be at least retry.first", at: f["max"] ?? f["first"])
        }
        return policy
    }
}
