public import Foundation
import Monitoring

/// The `notify:` section of `envmon.yaml`, in Alertmanager's shape: a routing tree, receivers
/// with their integrations, inhibit rules, plus envmon's maintenance windows and delivery
/// settings. Read by ``NotifyConfigurationLoader``; every duration is in seconds.
public struct NotifyConfiguration: Sendable {
    /// The root route: its receiver is the default one.
    public var route: RouteNode
    /// Every receiver, by name, in file order.
    public var receivers: [ReceiverConfiguration]
    /// Alertmanager's inhibit rules.
    public var inhibitRules: [InhibitRule]
    /// Recurring windows during which matching notifications are held.
    public var maintenanceWindows: [MaintenanceWindow]
    /// Backoff and max age of deliveries (`retry: {first: 1s, max: 5m, max_age: 24h}`).
    public var retry: RetryPolicy
    /// How long delivered (or dead-lettered) notifications are kept (`retention: 7d`).
    public var retention: Int64
    /// How long a claim of deliveries lasts before another worker (of this daemon or, on a shared
    /// PostgreSQL, of another) may take them again (`lease: 2m`): it must outlast the sends of
    /// one claim; a daemon that dies mid-send leaves them to the others when it ends.
    public var lease: Int64 = 120
    /// A folder of template files overriding the shipped ones (`templates: path`).
    public var templatesPath: String?
    /// The dashboard's base address, for links in messages (`external_url`).
    public var externalURL: String?

    /// Creates a configuration; the defaults are a root route to a receiver named `default`
    /// with no integrations (nothing is sent, deliveries finish at once).
    public init(
        route: RouteNode = RouteNode(receiver: "default"), receivers: [ReceiverConfiguration] = [],
        inhibitRules: [InhibitRule] = [], maintenanceWindows: [MaintenanceWindow] = [], retry: RetryPolicy = RetryPolicy(),
        retention: Int64 = 7 * 86_400, templatesPath: String? = nil, externalURL: String? = nil
    ) {
        self.route = route
        self.receivers = receivers
        self.inhibitRules = inhibitRules
        self.maintenanceWindows = maintenanceWindows
        self.retry = retry
        self.retention = retention
        self.templatesPath = templatesPath
        self.externalURL = externalURL
    }

    /// The receiver called `name`.
    public func receiver(named name: String) -> ReceiverConfiguration? { receivers.first { $0.name == name } }
}

/// One node of the routing tree. Unset fields (nil) inherit from the parent, as in Alertmanager.
public struct RouteNode: Sendable {
    /// Where matching notifications go; nil inherits.
    public var receiver: String?
    /// The labels that make a group; nil inherits; ``GroupBy/all`` is Alertmanager's `['...']`.
    public var groupBy: GroupBy?
    /// How long a new group waits for more before its first message (`0` sends at once); default 30 s.
    public var groupWait: Int64?
    /// How long a group waits between messages about new or resolved alerts; default 5 min.
    public var groupInterval: Int64?
    /// How often a group still firing is sent again; default 4 h.
    public var repeatInterval: Int64?
    /// All must match for the route to apply (the root matches everything).
    public var matchers: [LabelMatcher]
    /// Go on to the next sibling after matching.
    public var `continue`: Bool
    /// Child routes, tried in order.
    public var routes: [RouteNode]

    /// Creates a route.
    public init(
        receiver: String? = nil, groupBy: GroupBy? = nil, groupWait: Int64? = nil, groupInterval: Int64? = nil,
        repeatInterval: Int64? = nil, matchers: [LabelMatcher] = [], continue: Bool = false, routes: [RouteNode] = []
    ) {
        self.receiver = receiver
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.matchers = matchers
        self.continue = `continue`
        self.routes = routes
    }

    /// Which labels make a group.
    public enum GroupBy: Sendable, Hashable {
        /// These labels (an empty list: one group for everything the route takes).
        case labels([String])
        /// Every label: each alert is its own group (`group_by: ['...']`).
        case all
    }
}

/// A route resolved for one notification: the receiver and the group settings with every
/// inherited value filled in (``RouteTree/match(_:)``).
public struct MatchedRoute: Sendable, Hashable {
    /// The route's position in the tree (`0.2.1`), to tell groups of different routes apart.
    public var path: String
    /// The receiver.
    public var receiver: String
    /// Which labels make a group.
    public var groupBy: RouteNode.GroupBy
    /// Seconds.
    public var groupWait: Int64
    /// Seconds.
    public var groupInterval: Int64
    /// Seconds.
    public var repeatInterval: Int64

    /// Creates a match.
    public init(path: String, receiver: String, groupBy: RouteNode.GroupBy, groupWait: Int64, groupInterval: Int64, repeatInterval: Int64) {
        self.path = path
        self.receiver = receiver
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
    }

    /// The group's labels for `labels`: the `group_by` ones (all of them for ``RouteNode/GroupBy/all``).
    public func groupLabels(of labels: [String: String]) -> [String: String] {
        switch groupBy {
        case .all: return labels
        case .labels(let names):
            var out: [String: String] = [:]
            for n in names { out[n] = labels[n] ?? "" }
            return out
        }
    }

    /// Alertmanager's group key: `{}/{matchers of the path}:{alertname="…",station="…"}`, here
    /// `path:{k="v",…}` with the labels sorted, which is stable and readable.
    public func groupKey(of labels: [String: String]) -> String {
        let group = groupLabels(of: labels).sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",")
        return "\(path):{\(group)}"
    }
}

/// Alertmanager's inhibit rule: while an alert matching `source` fires, alerts matching `target`
/// with the same values of `equal` are held.
public struct InhibitRule: Sendable, Hashable {
    /// Matchers of the inhibiting alert.
    public var sourceMatchers: [LabelMatcher]
    /// Matchers of the inhibited alert.
    public var targetMatchers: [LabelMatcher]
    /// Labels that must be equal in both.
    public var equal: [String]

    /// Creates a rule.
    public init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }
}

/// A recurring maintenance window: on these weekdays, between these local times of `zone`,
/// notifications matching `matchers` are held (calibration at 02:00 every Tuesday, say).
///
/// ```yaml
/// maintenance_windows:
///   - name: qinghe-calibration
///     matchers: ['station=~"qinghe-.*"']
///     weekdays: ['tuesday', 'saturday:sunday']
///     times: [{start_time: "02:00", end_time: "04:00"}]
///     location: Asia/Shanghai
/// ```
public struct MaintenanceWindow: Sendable, Hashable {
    /// Its name, shown with what it holds.
    public var name: String
    /// Which notifications it holds (none: all).
    public var matchers: [LabelMatcher]
    /// Days of the week, 1 = Monday … 7 = Sunday; empty: every day.
    public var weekdays: Set<Int>
    /// Local minute-of-day ranges, start inclusive, end exclusive (`00:00`–`24:00` is 0..<1440); empty: all day.
    public var times: [Range<Int>]
    /// The zone the weekdays and times are read in.
    public var location: TimeZone

    /// Creates a window.
    public init(name: String, matchers: [LabelMatcher], weekdays: Set<Int>, times: [Range<Int>], location: TimeZone) {
        self.name = name
        self.matchers = matchers
        self.weekdays = weekdays
        self.times = times
        self.location = location
    }
}

/// A receiver: a name and the integrations a message to it goes out on. Each integration is
/// delivered, retried and counted on its own (its ``ReceiverIntegration/target``).
public struct ReceiverConfiguration: Sendable {
    /// The name routes refer to.
    public var name: String
    /// Where messages go.
    public var integrations: [ReceiverIntegration]

    /// Creates a receiver.
    public init(name: String, integrations: [ReceiverIntegration]) {
        self.name = name
        self.integrations = integrations
    }

    /// The delivery targets, one per integration: `duty/webhook/0`, `duty/email/0`, …
    public var targets: [String] { integrations.indices.map { integrations[$0].target(receiver: name, index: $0) } }
}

/// Human language of a message.
public enum MessageLanguage: String, Sendable, Hashable, CaseIterable {
    case zhCN = "zh-CN"
    case en
}

/// One integration of a receiver, as configured.
public enum ReceiverIntegration: Sendable {
    case webhook(WebhookConfig)
    case alertmanager(AlertmanagerConfig)
    case email(EmailConfig)
    case wecom(RobotConfig)
    case dingtalk(RobotConfig)
    case feishu(RobotConfig)
    case exec(ExecConfig)
    case file(FileConfig)
    case console(ConsoleConfig)

    /// The kind as the config spells it without `_configs`: `webhook`, `email`, …
    public var kind: String {
        switch self {
        case .webhook: "webhook"
        case .alertmanager: "alertmanager"
        case .email: "email"
        case .wecom: "wecom"
        case .dingtalk: "dingtalk"
        case .feishu: "feishu"
        case .exec: "exec"
        case .file: "file"
        case .console: "console"
        }
    }

    /// The delivery target's name: `receiver/kind/index`.
    public func target(receiver: String, index: Int) -> String { "\(receiver)/\(kind)/\(index)" }

    /// Whether resolved notifications go out on it (`send_resolved`, default true).
    public var sendResolved: Bool {
        switch self {
        case .webhook(let c): c.sendResolved
        case .alertmanager: true
        case .email(let c): c.sendResolved
        case .wecom(let c), .dingtalk(let c), .feishu(let c): c.sendResolved
        case .exec(let c): c.sendResolved
        case .file, .console: true
        }
    }
}

/// `webhook_configs`: Alertmanager's webhook JSON (version 4) by POST.
public struct WebhookConfig: Sendable, Hashable {
    public var url: URL
    public var sendResolved = true
    /// `Authorization: Bearer …` (`bearer_token` or `bearer_token_file`).
    public var bearerToken: String?
    /// The HMAC-SHA256 key (`hmac_secret` or `hmac_secret_file`); the hex digest of the body goes in ``signatureHeader``.
    public var hmacSecret: String?
    /// Default `X-Envmon-Signature`, as `sha256=<hex>`.
    public var signatureHeader = "X-Envmon-Signature"
    /// Seconds for the whole request; default 10.
    public var timeout: Double = 10
    /// At most this many alerts in one message, the rest counted in `truncatedAlerts`; 0: all.
    public var maxAlerts = 0
    public init(url: URL) { self.url = url }
}

/// `alertmanager_configs`: a real Alertmanager's `POST /api/v2/alerts`.
public struct AlertmanagerConfig: Sendable, Hashable {
    /// The Alertmanager's base address (`http://127.0.0.1:9093`).
    public var url: URL
    /// How often firing alerts are posted again (Alertmanager forgets them after their `endsAt`); default 60 s.
    public var resendInterval: Int64 = 60
    public var timeout: Double = 10
    public init(url: URL) { self.url = url }
}

/// `email_configs`: SMTP through libcurl.
public struct EmailConfig: Sendable, Hashable {
    /// Recipients (`to: "a@x, b@y"` or a list).
    public var to: [String]
    /// Default `envmon@<hostname>`.
    public var from: String?
    /// `host:port`.
    public var smarthost: String
    public var authUsername: String?
    /// `auth_password` or `auth_password_file`.
    public var authPassword: String?
    /// STARTTLS is used when the server offers it; with `require_tls: true` a server that does not is an error.
    public var requireTLS = false
    public var sendResolved = true
    public var language: MessageLanguage = .zhCN
    public var timeout: Double = 30
    public init(to: [String], smarthost: String) {
        self.to = to
        self.smarthost = smarthost
    }
}

/// `wecom_configs`, `dingtalk_configs`, `feishu_configs`: a group robot's webhook.
public struct RobotConfig: Sendable, Hashable {
    /// The robot's webhook address, key or access token included.
    public var url: URL
    /// The signing secret (DingTalk `SEC…`, Feishu), if the robot has signing on.
    public var secret: String?
    /// Mobile numbers to @-mention (WeCom, DingTalk).
    public var mentionMobiles: [String] = []
    public var sendResolved = true
    public var language: MessageLanguage = .zhCN
    public var timeout: Double = 10
    public init(url: URL) { self.url = url }
}

/// `exec_configs`: a command that receives the message as JSON on stdin.
public struct ExecConfig: Sendable, Hashable {
    /// The program and its arguments (not through a shell).
    public var command: [String]
    /// Seconds before it is killed (and the delivery retried); default 10.
    public var timeout: Double = 10
    public var sendResolved = true
    public init(command: [String]) { self.command = command }
}

/// `file_configs`: one JSON line per notification, appended.
public struct FileConfig: Sendable, Hashable {
    public var path: String
    public init(path: String) { self.path = path }
}

/// `console_configs`: readable lines on standard output (the demo's receiver).
public struct ConsoleConfig: Sendable, Hashable {
    public var language: MessageLanguage = .zhCN
    public init() {}
}
