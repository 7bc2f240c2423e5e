import Store

/// The notifier's memory of each group, per target: when it was first seen and last sent, and
/// which alerts it has told the target are firing (for repeats, for resolved notifications
/// of alerts whose firing was held, and for releases when a hold ends).
struct GroupBook {
    struct Group {
        var route: MatchedRoute
        var labels: [String: String]
        var firstSeen: Int64
        var lastSent: Int64?
        /// Alerts the target was told are firing, by fingerprint.
        var notified: [String: AlertNotification] = [:]
        /// Alerts firing whose notification was held, by fingerprint, with why.
        var held: [String: AlertNotification] = [:]
        /// When the group's firing alerts were last sent (first or repeat).
        var lastFiringSent: Int64?

        var isEmpty: Bool { notified.isEmpty && held.isEmpty }
    }

    /// A group's address: its target and key.
    private struct Place: Hashable {
        var target: String
        var key: String
    }

    /// target → group key → group.
    private(set) var groups: [String: [String: Group]] = [:]
    /// fingerprint → the groups that may remember it as notified or held. A superset (a group
    /// may have let it go since), so that ``clear(fingerprint:)`` looks at those groups only:
    /// scanning every group for each resolved alert made routing O(alerts × groups), ~8 % of the
    /// daemon's time at 2,000 transitions/s over 1,000 groups.
    private var places: [String: Set<Place>] = [:]

    /// When a notification entering `key` of `target` is due: at once plus group_wait for a new
    /// group, at the group's first send while it waits, then group_interval after the last send.
    mutating func due(target: String, key: String, route: MatchedRoute, labels: [String: String], now: Int64) -> Int64 {
        if let g = groups[target]?[key] {
            guard let last = g.lastSent else { return max(now, g.firstSeen + g.route.groupWait) }
            return max(now, last + g.route.groupInterval)
        }
        groups[target, default: [:]][key] = Group(route: route, labels: route.groupLabels(of: labels), firstSeen: now)
        return now + route.groupWait
    }

    func group(target: String, key: String) -> Group? { groups[target]?[key] }

    /// Records what went out (or was held) for a group at `now`.
    mutating func sent(target: String, key: String, route: MatchedRoute, labels: [String: String], firing: [AlertNotification], resolved: [AlertNotification], held: [AlertNotification], now: Int64) {
        var g = groups[target]?[key] ?? Group(route: route, labels: route.groupLabels(of: labels), firstSeen: now)
        if !firing.isEmpty || !resolved.isEmpty { g.lastSent = now }
        if !firing.isEmpty { g.lastFiringSent = now }
        for n in firing {
            let fp = MessageAlert(outboxID: 0, notification: n).fingerprint
            g.notified[fp] = n
            g.held[fp] = nil
            places[fp, default: []].insert(Place(target: target, key: key))
        }
        for n in held where n.status == .firing {
            let fp = MessageAlert(outboxID: 0, notification: n).fingerprint
            g.held[fp] = n
            places[fp, default: []].insert(Place(target: target, key: key))
        }
        for n in resolved + held.filter({ $0.status == .resolved }) {
            let fp = MessageAlert(outboxID: 0, notification: n).fingerprint
            g.notified[fp] = nil
            g.held[fp] = nil
        }
        // An empty group is forgotten: the next alert in it waits group_wait again, as in
        // Alertmanager (also one whose deliveries were all held or given up).
        if g.isEmpty {
            groups[target]?[key] = nil
        } else {
            groups[target, default: [:]][key] = g
        }
    }

    /// Whether the target was told that the alert of `notification` fires.
    func wasNotified(target: String, key: String, _ notification: AlertNotification) -> Bool {
        groups[target]?[key]?.notified[MessageAlert(outboxID: 0, notification: notification).fingerprint] != nil
    }

    /// Whether the alert's firing was held for the target.
    func wasHeld(target: String, key: String, _ notification: AlertNotification) -> Bool {
        groups[target]?[key]?.held[MessageAlert(outboxID: 0, notification: notification).fingerprint] != nil
    }

    /// Groups of `target` due for a repeat at `now`, with the alerts to send again (only those
    /// `isFiring` still says fire).
    mutating func takeRepeats(target: DeliveryTarget, now: Int64, isFiring: (AlertNotification) -> Bool) -> [[AlertNotification]] {
        var out: [[AlertNotification]] = []
        for (key, g) in groups[target.name] ?? [:] where !g.notified.isEmpty {
            let interval = target.repeatInterval(route: g.route.repeatInterval)
            guard let last = g.lastFiringSent, now >= last + interval else { continue }
            let live = g.notified.values.filter(isFiring).sorted { $0.idempotencyKey < $1.idempotencyKey }
            if !live.isEmpty { out.append(live) }
            groups[target.name]?[key]?.lastFiringSent = now
        }
        return out
    }

    /// The alert `fingerprint` resolved: no group of any target remembers it as firing or held
    /// any more (a target that does not take resolved notifications, a route that changed, a
    /// firing message retried after its resolved one must not keep it alive). Emptied groups go.
    mutating func clear(fingerprint: String) {
        guard let at = places.removeValue(forKey: fingerprint) else { return }
        for place in at {
            guard var g = groups[place.target]?[place.key], g.notified[fingerprint] != nil || g.held[fingerprint] != nil else { continue }
            g.notified[fingerprint] = nil
            g.held[fingerprint] = nil
            groups[place.target]?[place.key] = g.isEmpty && g.lastSent != nil ? nil : g
        }
    }

    /// Puts a released alert back among the held ones (its release could not be queued).
    mutating func restoreHeld(target: String, key: String, route: MatchedRoute, _ n: AlertNotification, now: Int64) {
        var g = groups[target]?[key] ?? Group(route: route, labels: route.groupLabels(of: n.labels), firstSeen: now)
        let fp = MessageAlert(outboxID: 0, notification: n).fingerprint
        g.held[fp] = n
        places[fp, default: []].insert(Place(target: target, key: key))
        groups[target, default: [:]][key] = g
    }

    /// Forgets the groups of targets no longer configured.
    mutating func keep(targets: Set<String>) {
        groups = groups.filter { targets.contains($0.key) }
    }

    /// The earliest repeat due for `target`.
    func nextRepeat(target: DeliveryTarget) -> Int64? {
        (groups[target.name] ?? [:]).values.compactMap { g -> Int64? in
            guard !g.notified.isEmpty, let last = g.lastFiringSent else { return nil }
            return last + target.repeatInterval(route: g.route.repeatInterval)
        }.min()
    }

    /// Held firing alerts of `target` that `stillHeld` no longer holds: taken out of held, to be sent.
    mutating func takeReleased(target: String, stillHeld: (AlertNotification) -> Bool) -> [AlertNotification] {
        var out: [AlertNotification] = []
        for (key, g) in groups[target] ?? [:] {
            for (fp, n) in g.held where !stillHeld(n) {
                out.append(n)
                groups[target]?[key]?.held[fp] = nil
            }
        }
        return out
    }

}
