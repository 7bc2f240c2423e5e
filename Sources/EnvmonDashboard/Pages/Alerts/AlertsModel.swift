import EnvmonHTTP
import Foundation
import Monitoring
import Notifier
import Reports
import Store

/// The alerts page's template model.
enum AlertsModel {
    static func make(_ page: PageContext, done: String?) async throws -> [String: Any] {
        let data = page.data
        let now = data.now()
        let stations = data.stations()
        let listing = try await AlertListing.make(
            store: data.store, stations: stations, now: now, filter: AlertListing.Filter(), since: now - 86_400, limit: 100,
            episodes: (now - 7 * 86_400)..<(now + 1), rules: data.rules())
        let l = page.language
        let zone = data.timeZone
        func name(_ station: String) -> String { stations[station].map { PageText.name($0.name, l) } ?? station }
        func stateText(_ s: AlertState) -> String { page.t("overview_alert_" + s.rawValue.replacingOccurrences(of: "-", with: "_")) }

        let active = listing.active.sorted { $0.since < $1.since }.map { i -> [String: Any] in
            var m: [String: Any] = [
                "rule": i.key.rule, "station": i.key.station, "stationName": name(i.key.station), "parameter": i.key.parameter == "*" ? "" : i.key.parameter,
                "state": i.state.rawValue, "stateText": stateText(i.state), "age": PageText.age(now - i.since, l),
                "since": PageText.dateTime(i.since, zone: stations[i.key.station]?.timeZone ?? zone),
                "matchers": [#"alertname="\#(i.key.rule)""#, #"station="\#(i.key.station)""#],
            ]
            if let v = i.value { m["value"] = PageText.value(v) }
            if let v = i.peak { m["peak"] = PageText.value(v) }
            if let e = i.episode {
                m["episode"] = e
                if let a = listing.acknowledged[e] { m["ackBy"] = a.by; m["ackComment"] = a.comment } else { m["canAck"] = page.canOperate && page.alerts != nil }
            }
            return m
        }
        let episodes = listing.episodes.sorted { $0.startedAt > $1.startedAt }.prefix(100).map { e -> [String: Any] in
            let tz = stations[e.key.station]?.timeZone ?? zone
            var m: [String: Any] = [
                "id": e.id, "rule": e.key.rule, "station": e.key.station, "stationName": name(e.key.station),
                "parameter": e.key.parameter == "*" ? "" : e.key.parameter, "state": e.state.rawValue, "stateText": stateText(e.state),
                "started": PageText.dateTime(e.startedAt, zone: tz), "duration": PageText.age((e.endedAt ?? now) - e.startedAt, l),
            ]
            if let end = e.endedAt { m["ended"] = PageText.dateTime(end, zone: tz) } else { m["open"] = true }
            if let p = e.peak { m["peak"] = PageText.value(p) }
            if let c = listing.coverage[e.id] { m["coverage"] = c.summary(l == .zhCN ? .zhCN : .en) }
            if let a = listing.acknowledged[e.id] { m["ackBy"] = a.by }
            return m
        }
        let recent = listing.recent.map { h -> [String: Any] in
            var m: [String: Any] = [
                "rule": h.key.rule, "station": h.key.station, "stationName": name(h.key.station), "parameter": h.key.parameter == "*" ? "" : h.key.parameter,
                "from": stateText(h.from), "to": stateText(h.to), "toState": h.to.rawValue,
                "at": PageText.dateTime(h.at, zone: stations[h.key.station]?.timeZone ?? zone), "reason": h.reason,
            ]
            if let v = h.value { m["value"] = PageText.value(v) }
            return m
        }
        var model: [String: Any] = [
            "active": active, "hasActive": !active.isEmpty, "episodes": Array(episodes), "hasEpisodes": !episodes.isEmpty,
            "recent": recent, "hasRecent": !recent.isEmpty, "notifier": page.alerts != nil,
            "durations": AlertsPage.durations.map { ["seconds": $0, "label": PageText.age($0, l), "default": $0 == 4 * 3_600] },
            "canAct": page.canOperate && page.alerts != nil,
        ]
        if let done { model["notice"] = page.t("alerts_done_" + (["ack", "silence", "expire"].contains(done) ? done : "ack")) }
        if let handling = page.alerts {
            let silences = try await handling.silences(includingEnded: false).map { s -> [String: Any] in
                var m: [String: Any] = [
                    "id": s.id, "matchers": s.matchers.joined(separator: ", "), "starts": PageText.dateTime(s.startsAt, zone: zone),
                    "ends": PageText.dateTime(s.endsAt, zone: zone), "left": PageText.age(s.endsAt - now, l), "by": s.createdBy,
                    "canExpire": page.canOperate,
                ]
                if !s.comment.isEmpty { m["comment"] = s.comment }
                if s.startsAt > now { m["future"] = true }
                return m
            }
            model["silences"] = silences
            model["hasSilences"] = !silences.isEmpty
        }
        model.merge(try await delivery(data.store, now: now, zone: zone, language: l)) { a, _ in a }
        return model
    }

    /// What the notifier holds per receiver, and its latest deliveries, held and dead letters.
    static func delivery(_ store: any MonitoringStore, now: Int64, zone: TimeZone, language l: UILanguage) async throws -> [String: Any] {
        let counts = try await store.deliveryCounts().sorted { $0.key < $1.key }.map { receiver, d -> [String: Any] in
            ["receiver": receiver, "waiting": d.waiting, "dead": d.deadLettered, "held": d.held]
        }
        func rows(_ outcome: DeliveryOutcome) async throws -> [[String: Any]] {
            try await store.undelivered(outcome, since: now - 7 * 86_400, limit: 10).map { d -> [String: Any] in
                let n = d.entry.notification
                var m: [String: Any] = [
                    "receiver": d.target, "at": PageText.dateTime(d.at, zone: zone), "attempts": d.attempts, "status": n.status.rawValue,
                    "alert": [n.labels["alertname"], n.labels["station"], n.labels["parameter"]].compactMap { $0 }.joined(separator: " · "),
                ]
                if let r = d.reason { m["reason"] = r }
                return m
            }
        }
        let delivered = try await rows(.delivered)
        let held = try await rows(.held)
        let dead = try await rows(.dead)
        return [
            "receivers": counts, "hasReceivers": !counts.isEmpty, "delivered": delivered, "hasDelivered": !delivered.isEmpty,
            "held": held, "hasHeld": !held.isEmpty, "dead": dead, "hasDead": !dead.isEmpty,
            "undelivered": try await store.pendingNotificationCount(),
        ]
    }
}
