import Foundation
import Logging
import Store

/// The notifier's state, one actor: the routing tree and targets, the groups, what holds
/// notifications back, the alerts firing now, and when each target is next due. Sending happens
/// outside it, so a slow receiver never blocks the state of another.
actor NotifierCore {
    private(set) var configuration: NotifyConfiguration
    private(set) var tree: RouteTree
    private(set) var targets: [String: DeliveryTarget] = [:]
    private var byReceiver: [String: [DeliveryTarget]] = [:]
    private var groups = GroupBook()
    private(set) var holds: HoldBook
    /// Alerts firing now, by fingerprint: the sources of inhibit rules.
    private var firing: [String: [String: String]] = [:]
    /// When each target is next due, as far as the notifier knows (the outbox is the truth).
    private var nextDue: [String: Int64] = [:]
    private var lastDeadLetter: [String: (at: Int64, reason: String)] = [:]
    private var openInternalAlert: [String: AlertNotification] = [:]
    private(set) var figures = NotifierFigures()

    init(configuration: NotifyConfiguration, targets list: [DeliveryTarget]) {
        self.configuration = configuration
        self.tree = RouteTree(configuration)
        self.holds = HoldBook(windows: configuration.maintenanceWindows, inhibitRules: configuration.inhibitRules)
        targets = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        byReceiver = Dictionary(grouping: list, by: \.receiver)
    }

    /// A new configuration (SIGHUP): groups of targets that still exist keep their memory.
    func reload(configuration: NotifyConfiguration, targets: [DeliveryTarget]) {
        self.configuration = configuration
        tree = RouteTree(configuration)
        holds.windows = configuration.maintenanceWindows
        holds.inhibitor = Inhibitor(rules: configuration.inhibitRules)
        install(targets)
    }

    private func install(_ list: [DeliveryTarget]) {
        targets = Dictionary(list.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        byReceiver = Dictionary(grouping: list, by: \.receiver)
        // What is kept of targets no longer configured goes; their dead-letter alerts end with
        // them (a restart would not know them either).
        nextDue = nextDue.filter { targets[$0.key] != nil }
        groups.keep(targets: Set(targets.keys))
        lastDeadLetter = lastDeadLetter.filter { targets[$0.key] != nil }
        for (target, n) in openInternalAlert where targets[target] == nil {
            firing[MessageAlert(outboxID: 0, notification: n).fingerprint] = nil
            openInternalAlert[target] = nil
        }
    }

    /// Tickets of reads of the holds, in the order they began, and the newest one applied.
    private var holdsTickets = (issued: 0, applied: 0)

    /// Before reading the silences and acknowledgements for ``setHolds(silences:acknowledgements:ticket:)``.
    func holdsTicket() -> Int {
        holdsTickets.issued += 1
        return holdsTickets.issued
    }

    /// Takes the silences and open acknowledgements as the store had them when the read of
    /// `ticket` began, unless a read that began later has been taken already; true when they
    /// differ from those held until now.
    func setHolds(silences: [Silence], acknowledgements: [AlertAcknowledgement], ticket: Int) -> Bool {
        guard ticket > holdsTickets.applied else { return false }
        holdsTickets.applied = ticket
        let changed = holds.silences.map(\.silence) != silences || holds.acknowledgements != acknowledgements
        holds.setSilences(silences)
        holds.setAcknowledgements(acknowledgements)
        return changed
    }
    /// Changes of a target's due time since the notifier started, so a worker's read of the
    /// outbox does not overwrite what the router set while the read was on its way.
    private var dueVersion: [String: Int] = [:]

    /// After a failure of the store: `target` is next looked at `t`, whatever was due (or the
    /// worker would spin on the failing store).
    func backOff(_ target: String, until t: Int64) {
        nextDue[target] = t
        dueVersion[target, default: 0] += 1
    }

    /// Brings the due time forward to `t` (never later).
    func setNextDue(_ target: String, _ t: Int64?) {
        guard let t else { return }
        nextDue[target] = min(nextDue[target] ?? .max, t)
        dueVersion[target, default: 0] += 1
    }

    /// Deliveries were committed to the outbox: their targets are due by then. Called after the
    /// commit, so that a worker that reads the outbox after this sees them.
    func committed(_ deliveries: [OutboxRouting.Delivery]) {
        for d in deliveries { setNextDue(d.target, d.dueAt) }
    }

    /// Before reading the outbox's next due time of `target`.
    func dueReadToken(_ target: String) -> Int { dueVersion[target] ?? 0 }

    /// The outbox said `t`: taken as is unless the due time moved since the read began.
    func setNextDue(_ target: String, fromOutbox t: Int64?, token: Int) {
        if dueVersion[target] ?? 0 == token {
            nextDue[target] = t
        } else if let t {
            nextDue[target] = min(nextDue[target] ?? .max, t)
        }
    }
    func dueTime(of target: String) -> Int64? { nextDue[target] }

    // MARK: routing

    /// Where each notification goes and when: the routes it matches, their receivers' targets
    /// (resolved ones only to targets that send resolved), due when its group is next sent.
    /// Also says whether any was resolved (an inhibition may have ended: every worker should look).
    func route(_ entries: [OutboxEntry], now: Int64) -> ([OutboxRouting], resolvedSome: Bool) {
        var resolvedSome = false
        let routings = entries.map { entry in
            let n = entry.notification
            let fp = MessageAlert(outboxID: entry.id, notification: n).fingerprint
            if n.status == .firing {
                firing[fp] = n.labels
            } else {
                firing[fp] = nil
                // No group of any target goes on repeating it, or holding it for a release.
                groups.clear(fingerprint: fp)
                resolvedSome = true
            }
            return OutboxRouting(id: entry.id, deliveries: deliveries(for: n, now: now, excluding: nil))
        }
        return (routings, resolvedSome && !holds.inhibitor.rules.isEmpty)
    }

    private func deliveries(for n: AlertNotification, now: Int64, excluding excluded: String?) -> [OutboxRouting.Delivery] {
        var out: [OutboxRouting.Delivery] = []
        var seen = Set<String>()
        for match in tree.match(n.labels) {
            for target in byReceiver[match.receiver] ?? [] where target.name != excluded && seen.insert(target.name).inserted {
                if n.status == .resolved && !target.integration.sendResolved { continue }
                let due = groups.due(target: target.name, key: match.groupKey(of: n.labels), route: match, labels: n.labels, now: now)
                out.append(.init(target: target.name, dueAt: due))
            }
        }
        figures.routed += 1
        return out
    }

    /// After a restart: the alerts firing now, as their last notifications say, are taken as
    /// told to every target they route to (so they repeat, inhibit, and resolve as sent).
    func resume(_ notifications: [AlertNotification], now: Int64) {
        for n in notifications where n.status == .firing {
            firing[MessageAlert(outboxID: 0, notification: n).fingerprint] = n.labels
            for match in tree.match(n.labels) {
                for target in byReceiver[match.receiver] ?? [] {
                    groups.sent(target: target.name, key: match.groupKey(of: n.labels), route: match, labels: n.labels, firing: [n], resolved: [], held: [], now: now)
                }
            }
        }
    }

    // MARK: planning a target's claimed deliveries

    /// What to do with claimed deliveries: some held (with why), the rest in messages, one
    /// per (group, status), a retried delivery in the message of its first attempt.
    func plan(_ claimed: [OutboxDelivery], target name: String, now: Int64) -> DeliveryPlan {
        var plan = DeliveryPlan()
        guard let target = targets[name] else {
            plan.held = claimed.map { ($0, "target \(name) is no longer configured") }
            return plan
        }
        let others = inhibitSources()
        var messages: [String: PlannedMessage] = [:]
        var order: [String] = []
        for d in claimed {
            let n = d.entry.notification
            let matches = tree.match(n.labels)
            let match = matches.first { $0.receiver == target.receiver } ?? matches[0]
            let key = match.groupKey(of: n.labels)
            var reason = holds.reason(for: n, at: now, firing: others)
            if reason == nil, n.status == .resolved, groups.wasHeld(target: name, key: key, n), !groups.wasNotified(target: name, key: key, n) {
                reason = "its firing notification was held"
            }
            if let reason {
                plan.held.append((d, reason))
                groups.sent(target: name, key: key, route: match, labels: n.labels, firing: [], resolved: [], held: [n], now: now)
                continue
            }
            let messageKey = d.message ?? "new|\(key)|\(n.status.rawValue)"
            if messages[messageKey] == nil {
                order.append(messageKey)
                messages[messageKey] = PlannedMessage(route: match, groupKey: key, status: n.status, deliveries: [], existingKey: d.message)
            }
            messages[messageKey]!.deliveries.append(d)
        }
        plan.messages = order.map { k in
            var m = messages[k]!
            m.message = NotificationMessage(
                receiver: target.receiver, groupKey: m.groupKey, groupLabels: m.route.groupLabels(of: m.deliveries[0].entry.notification.labels),
                status: m.status, alerts: m.deliveries.map { MessageAlert(outboxID: $0.entry.id, notification: $0.entry.notification) },
                externalURL: configuration.externalURL,
                idempotencyKey: m.existingKey ?? MessageKey.make(target: name, groupKey: m.groupKey, status: m.status, alerts: m.deliveries))
            return m
        }
        return plan
    }

    /// The label sets of the alerts firing now, for inhibit rules; none without inhibit rules.
    /// Passed whole: ``Inhibitor`` never counts an alert as its own source, so the judged alert
    /// need not be taken out (filtering a copy per notification made planning a claim of n
    /// deliveries O(n × alerts firing): 10,000 firing alerts took ~1 s per 500 claimed).
    private func inhibitSources() -> [[String: String]] {
        holds.inhibitor.rules.isEmpty ? [] : Array(firing.values)
    }

    /// A message reached its target.
    func delivered(_ m: PlannedMessage, target: String, now: Int64) -> AlertNotification? {
        let notes = m.deliveries.map(\.entry.notification)
        // A firing message that went out after its alert resolved (a retry) is not remembered
        // as firing: it would repeat for ever.
        let stillFiring = notes.filter { firing[MessageAlert(outboxID: 0, notification: $0).fingerprint] != nil }
        groups.sent(
            target: target, key: m.groupKey, route: m.route, labels: notes[0].labels, firing: m.status == .firing ? stillFiring : [],
            resolved: m.status == .resolved ? notes : [], held: [], now: now)
        figures.count(target, \.delivered, notes.count)
        figures.count(target, \.messages, 1)
        // The target works again: its dead-letter alert resolves.
        guard var open = openInternalAlert.removeValue(forKey: target) else { return nil }
        open.status = .resolved
        open.endsAt = now
        open.idempotencyKey += "/resolved"
        return open
    }

    func retried(target: String, count: Int) { figures.count(target, \.retried, count) }
    func held(target: String, count: Int) { figures.count(target, \.held, count) }

    /// Deliveries were given up: the internal alert to raise, at most one open per target.
    func deadLettered(target: String, count: Int, reason: String, now: Int64) -> AlertNotification? {
        figures.count(target, \.deadLettered, count)
        lastDeadLetter[target] = (now, reason)
        guard openInternalAlert[target] == nil, let t = targets[target] else { return nil }
        let n = AlertNotification(
            idempotencyKey: "envmon-notifier/dead-letter/\(target)/\(now)", status: .firing, severity: .critical,
            labels: [
                "alertname": "NotificationsDeadLettered", "receiver": t.receiver, "target": target, "severity": AlertSeverity.critical.rawValue,
                // One alert a target (the fingerprint is alertname, station, parameter).
                "station": "envmon:\(target)",
            ],
            annotations: [
                "summary": "Notifications to \(target) were given up", "description": "\(count) notification(s) to \(target) dead-lettered: \(reason)",
                "state": "firing",
            ],
            startsAt: now)
        openInternalAlert[target] = n
        return n
    }

    /// Deliveries for an internal alert: routed like any other, except to the target it is about.
    func internalDeliveries(_ n: AlertNotification, about target: String, now: Int64) -> [OutboxRouting.Delivery] {
        let fp = MessageAlert(outboxID: 0, notification: n).fingerprint
        if n.status == .firing { firing[fp] = n.labels } else { firing[fp] = nil }
        return deliveries(for: n, now: now, excluding: target)
    }

    // MARK: repeats and releases

    /// Copies of firing alerts to send again now to `target`: groups due for a repeat, and held
    /// alerts whose hold has ended.
    func takeResends(target name: String, now: Int64) -> [AlertNotification] {
        guard let target = targets[name] else { return [] }
        var out: [AlertNotification] = []
        for list in groups.takeRepeats(target: target, now: now, isFiring: { firing[MessageAlert(outboxID: 0, notification: $0).fingerprint] != nil }) {
            for var n in list {
                // The target in the key: another target's repeat in the same second is its own row.
                n.idempotencyKey = Self.baseKey(n.idempotencyKey) + "/repeat/\(name)/\(now)"
                out.append(n)
            }
        }
        let others = inhibitSources()
        let released = groups.takeReleased(target: name) { n in
            // A held alert that has resolved since is not released (its resolved one was held too).
            firing[MessageAlert(outboxID: 0, notification: n).fingerprint] == nil
                || holds.reason(for: n, at: now, firing: others) != nil
        }
        for var n in released where firing[MessageAlert(outboxID: 0, notification: n).fingerprint] != nil {
            n.idempotencyKey = Self.baseKey(n.idempotencyKey) + "/released/\(name)/\(now)"
            out.append(n)
        }
        return out
    }

    /// A release taken by ``takeResends(target:now:)`` could not be queued: it is held again,
    /// to be released at the worker's next turn (a repeat that could not be queued waits for the next one).
    func restore(_ n: AlertNotification, target name: String, now: Int64) {
        guard n.idempotencyKey.contains("/released/"), let target = targets[name] else { return }
        let matches = tree.match(n.labels)
        let match = matches.first { $0.receiver == target.receiver } ?? matches[0]
        var original = n
        original.idempotencyKey = Self.baseKey(n.idempotencyKey)
        groups.restoreHeld(target: name, key: match.groupKey(of: n.labels), route: match, original, now: now)
    }

    /// When `target` next needs its worker, besides deliveries due: a repeat, or a hold changing.
    func nextWake(target name: String, now: Int64) -> Int64? {
        guard let target = targets[name] else { return nil }
        return [nextDue[name], groups.nextRepeat(target: target), holds.nextChange(after: now)].compactMap { $0 }.min()
    }

    private static func baseKey(_ key: String) -> String {
        for marker in ["/repeat/", "/released/"] {
            if let r = key.range(of: marker) { return String(key[..<r.lowerBound]) }
        }
        return key
    }

    // MARK: health

    /// Targets that dead-lettered within `window` seconds before `now`, with the last reason.
    func recentDeadLetters(now: Int64, window: Int64) -> [(target: String, reason: String)] {
        lastDeadLetter.filter { now - $0.value.at < window }.map { ($0.key, $0.value.reason) }.sorted { $0.target < $1.target }
    }
}

/// What a worker does with what it claimed.
struct DeliveryPlan {
    var held: [(OutboxDelivery, String)] = []
    var messages: [PlannedMessage] = []
}

/// One message to send: a group's deliveries with one status.
struct PlannedMessage {
    var route: MatchedRoute
    var groupKey: String
    var status: AlertNotification.Status
    var deliveries: [OutboxDelivery]
    /// The key of the first attempt, for a retry.
    var existingKey: String?
    var message: NotificationMessage?
}

/// The idempotency key of a new message: stable for the same target, group, status and notifications.
enum MessageKey {
    static func make(target: String, groupKey: String, status: AlertNotification.Status, alerts: [OutboxDelivery]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) {
            for b in s.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x100_0000_01b3
        }
        mix(target)
        mix(groupKey)
        mix(status.rawValue)
        for key in alerts.map(\.entry.notification.idempotencyKey).sorted() { mix(key) }
        let hex = String(hash, radix: 16)
        return "\(alerts.map(\.entry.id).min() ?? 0)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
