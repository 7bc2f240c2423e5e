import Foundation
import Store

/// What the templates see: a message turned into maps of strings, booleans and lists, in one
/// language. Empty values are left out, so `{{#limit}}…{{/limit}}` shows only what is known.
///
/// Top level: `firing`, `noData`, `resolved` (exactly one is true: a firing message whose first
/// alert is a no-data alert counts as `noData`), `count`, `more` (count − 1, when above 0),
/// `first` (the first alert), `alerts`, `receiver`, `severityText` (the highest), `externalURL`,
/// `link` (the first alert's station page), `subject` (in the body templates).
///
/// Each alert: `station`, `stationName` (label `station_name`, else the id), `parameter`,
/// `value`, `unit`, `valueWithUnit`, `limit`, `limitWithUnit`, `source`, `peak`,
/// `peakWithUnit`, `since` (its start in the station's local time with the offset:
/// `2024-05-01 16:00 UTC+8`), `endedAt` (resolved ones), `summary`, `description`,
/// `severity`, `severityText` (严重/警告/提示, Critical/Warning/Info), `isFiring`, `isNoData`,
/// `isResolved`, `link`, `labels` (all of them, by name); for a case-register alert, `isCase`
/// and `caseText` (days overdue, deadline, unit, leader) instead of value and limit, the case's
/// id as `stationName` and its title as `parameter` (top level: `overdue`).
struct TemplateContext {
    var language: MessageLanguage
    var zone: (String) -> TimeZone

    func make(_ message: NotificationMessage) -> [String: Any] {
        let alerts = message.alerts.map { alert($0, externalURL: message.externalURL) }
        let firstNoData = message.alerts.first?.notification.annotations["state"] == "no-data"
        var top: [String: Any] = [
            "firing": message.status == .firing && !firstNoData,
            "noData": message.status == .firing && firstNoData,
            "resolved": message.status == .resolved,
            "count": alerts.count,
            "alerts": alerts,
            "receiver": message.receiver,
        ]
        if alerts.count > 1 { top["more"] = alerts.count - 1 }
        if let first = alerts.first {
            top["first"] = first
            top["link"] = first["link"]
            // A rectification task past its deadline is overdue (逾期), not above a limit.
            if first["isCase"] as? Bool == true { top["overdue"] = true }
        }
        if let highest = message.alerts.map(\.notification.severity).max() { top["severityText"] = Self.severityText(highest, language) }
        if let url = message.externalURL, !url.isEmpty { top["externalURL"] = url }
        return top
    }

    func alert(_ alert: MessageAlert, externalURL: String?) -> [String: Any] {
        let n = alert.notification
        let a = n.annotations
        let station = n.labels["station"] ?? ""
        let tz = zone(station)
        var out: [String: Any] = [
            "station": station,
            "stationName": nonEmpty(n.labels["station_name"]) ?? station,
            "severity": n.severity.rawValue,
            "severityText": Self.severityText(n.severity, language),
            "isFiring": n.status == .firing && a["state"] != "no-data",
            "isNoData": n.status == .firing && a["state"] == "no-data",
            "isResolved": n.status == .resolved,
            "since": "\(Timestamp.local(n.startsAt, in: tz)) \(Timestamp.offsetName(n.startsAt, in: tz))",
            "labels": n.labels,
            "fingerprint": alert.fingerprint,
        ]
        if n.status == .resolved, let end = n.endsAt {
            out["endedAt"] = "\(Timestamp.local(end, in: tz)) \(Timestamp.offsetName(end, in: tz))"
        }
        let unit = nonEmpty(a["unit"])
        func withUnit(_ v: String?) -> String? { v.map { value in unit.map { "\(value) \($0)" } ?? value } }
        let fields: [(String, String?)] = [
            ("parameter", nonEmpty(n.labels["parameter_name"]) ?? nonEmpty(n.labels["parameter"])),
            ("value", nonEmpty(a["value"])), ("unit", unit), ("valueWithUnit", withUnit(nonEmpty(a["value"]))),
            ("limit", nonEmpty(a["limit"])), ("limitWithUnit", withUnit(nonEmpty(a["limit"]))), ("source", nonEmpty(a["source"])),
            ("peak", nonEmpty(a["peak"])), ("peakWithUnit", withUnit(nonEmpty(a["peak"]))),
            ("summary", nonEmpty(a["summary"])), ("description", nonEmpty(a["description"])),
            ("link", nonEmpty(WebhookAlert.stationURL(externalURL, station: station))),
        ]
        for case (let key, let value?) in fields { out[key] = value }
        if let id = nonEmpty(n.labels["case"]) { caseFields(id, n, into: &out) }
        return out
    }

    /// A case-register alert (rule kind `case_overdue`): the task, its days past the deadline,
    /// its unit and leader, in the message's language, instead of a station's value and limit.
    private func caseFields(_ id: String, _ n: AlertNotification, into out: inout [String: Any]) {
        let a = n.annotations
        let zh = language == .zhCN
        out["isCase"] = true
        out["stationName"] = zh ? "整改任务 \(id)" : "Case \(id)"
        if let title = nonEmpty(a["title"]) { out["parameter"] = title } else { out["parameter"] = nil }
        for key in ["value", "unit", "valueWithUnit", "limit", "limitWithUnit", "source", "peak", "peakWithUnit"] { out[key] = nil }
        let days = nonEmpty(a["value"]).flatMap { Double($0) }.map { String(Int($0)) }
        let deadline = nonEmpty(a["deadline"]) ?? "—"
        let unit = nonEmpty(n.labels["unit"]) ?? "—"
        let leader = nonEmpty(n.labels["leader"]) ?? "—"
        if n.status == .firing {
            out["caseText"] =
                zh
                ? "已逾期\(days.map { "\($0)天" } ?? "")（期限 \(deadline)）；责任单位：\(unit)；包案领导：\(leader)"
                : "\(days.map { "\($0) day(s) " } ?? "")past its deadline \(deadline); unit: \(unit); leader: \(leader)"
        } else {
            out["caseText"] = zh ? "已完成或销号，或期限已调整（责任单位：\(unit)）" : "done or closed, or its deadline moved (unit: \(unit))"
        }
        if zh {
            // The rule's summary and the engine's detail are English; the line above says it all.
            out["summary"] = "整改任务逾期未完成"
            out["description"] = nil
        }
    }

    static func severityText(_ severity: AlertSeverity, _ language: MessageLanguage) -> String {
        switch (severity, language) {
        case (.critical, .zhCN): "严重"
        case (.warning, .zhCN): "警告"
        case (.info, .zhCN): "提示"
        case (.critical, .en): "Critical"
        case (.warning, .en): "Warning"
        case (.info, .en): "Info"
        }
    }

    private func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return s
    }
}
