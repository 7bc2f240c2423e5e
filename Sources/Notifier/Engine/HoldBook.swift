public import Store

/// What keeps notifications back right now: silences, acknowledgements, maintenance windows and
/// inhibit rules. Held notifications are not lost: the alert keeps its state and history, the
/// delivery is recorded as held with the reason, and an alert still firing when its hold ends is
/// sent then.
public struct HoldBook: Sendable {
    /// A silence with its matchers parsed.
    public struct ActiveSilence: Sendable {
        public var silence: Silence
        public var matchers: [LabelMatcher]
    }

    /// Silences not ended, with parsed matchers (a stored matcher that no longer parses matches nothing).
    public private(set) var silences: [ActiveSilence] = []
    /// Open acknowledged episodes, by alert identity and episode start.
    public private(set) var acknowledgements: [AlertAcknowledgement] = []
    private var acknowledged: [String: AlertAcknowledgement] = [:]
    /// The configured windows.
    public var windows: [MaintenanceWindow]
    /// The configured inhibit rules.
    public var inhibitor: Inhibitor

    /// Creates a book from the configuration's windows and inhibit rules.
    public init(windows: [MaintenanceWindow], inhibitRules: [InhibitRule]) {
        self.windows = windows
        self.inhibitor = Inhibitor(rules: inhibitRules)
    }

    /// Replaces the silences.
    public mutating func setSilences(_ list: [Silence]) {
        silences = list.map { s in
            ActiveSilence(silence: s, matchers: s.matchers.compactMap { try? LabelMatcher(parsing: $0) })
        }
    }

    /// Replaces the acknowledgements.
    public mutating func setAcknowledgements(_ list: [AlertAcknowledgement]) {
        acknowledgements = list
        acknowledged = Dictionary(list.map { (Self.identity($0.key, startedAt: $0.startedAt), $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Why `notification` is held at `now`, or nil when it goes out. `firing` holds the labels
    /// of the other alerts firing now, for inhibit rules.
    public func reason(for notification: AlertNotification, at now: Int64, firing: [[String: String]]) -> String? {
        let labels = notification.labels
        for s in silences where s.silence.isActive(at: now) && !s.matchers.isEmpty && s.matchers.allSatisfy({ $0.matches(labels) }) {
            return "silenced by silence \(s.silence.id) (\(s.silence.createdBy): \(s.silence.comment))"
        }
        for w in windows where w.isActive(at: now) && w.matchers.allSatisfy({ $0.matches(labels) }) {
            return "maintenance window \(w.name)"
        }
        guard notification.status == .firing else { return nil }
        if let ack = acknowledged[Self.identity(notification)] {
            return "acknowledged by \(ack.by) (episode \(ack.episode)\(ack.comment.isEmpty ? "" : ": \(ack.comment)"))"
        }
        if inhibitor.isInhibited(labels, firing: firing) { return "inhibited by a firing alert (inhibit_rules)" }
        return nil
    }

    /// The next time after `now` at which a silence or window starts or ends, when holds change.
    public func nextChange(after now: Int64) -> Int64? {
        var times: [Int64] = []
        for s in silences {
            if s.silence.startsAt > now { times.append(s.silence.startsAt) }
            if s.silence.endsAt > now { times.append(s.silence.endsAt) }
        }
        for w in windows { if let t = w.nextChange(after: now) { times.append(t) } }
        return times.min()
    }

    static func identity(_ key: AlertKey, startedAt: Int64) -> String { "\(key.rule)\u{0}\(key.station)\u{0}\(key.parameter)\u{0}\(startedAt)" }

    static func identity(_ n: AlertNotification) -> String {
        identity(
            AlertKey(rule: n.labels["alertname"] ?? "", station: n.labels["station"] ?? "", parameter: n.labels["parameter"] ?? "*"),
            startedAt: n.startsAt)
    }
}
