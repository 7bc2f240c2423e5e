import EnvmonHTTP
import Foundation
import Monitoring
import Reports
import Store

/// The overview's template model: plain dictionaries of texts, built once per request.
struct OverviewModel {
    let overview: CityOverview
    let page: PageContext
    let stations: StationRegistry

    init(_ overview: CityOverview, _ page: PageContext) {
        self.overview = overview
        self.page = page
        stations = page.data.stations()
    }

    var language: UILanguage { page.language }

    var model: [String: Any] {
        let o = overview
        // Sites without a valid hour today (a historical network, a site that is down) are counted, not listed.
        let reporting = o.day.sites.filter { $0.aqi.validHours > 0 }
        // Problems first: alerts or values beyond the limit, close to it, offline, late; then the rest.
        // Each station ranked once; the indices sorted, not the stations (large values to move).
        let ranks = o.stations.map(rank)
        let ranked = o.stations.indices.sorted { (ranks[$0], $0) < (ranks[$1], $1) }.map { o.stations[$0] }
        let alerts = o.alerts
        var model: [String: Any] = [
            "online": o.count(.online), "late": o.count(.late), "offline": o.count(.offline), "total": o.stations.count,
            "alertCount": alerts.count + o.otherAlerts, "alerting": alerts.count + o.otherAlerts > 0,
            "stationRows": StationRows(self).html(ranked), "alerts": alerts.prefix(50).map(alert), "hasAlerts": !alerts.isEmpty,
            "siteRows": DayRows(model: self).sites(reporting), "sectionRows": DayRows(model: self).sections(o.day.sections),
            "hasSites": !reporting.isEmpty, "hasSections": !o.day.sections.isEmpty,
            "hasDay": !o.day.sites.isEmpty || !o.day.sections.isEmpty,
            "asOf": PageText.dateTime(o.now, zone: page.data.timeZone),
        ]
        if reporting.count < o.day.sites.count { model["quietSites"] = o.day.sites.count - reporting.count }
        // One map per city (the `city` label): stations of two cities on one map would be two dots.
        let placed = o.stations.filter { $0.station.location != nil }
        var cities: [String] = []
        var byCity: [String: [OverviewStation]] = [:]
        for s in placed {
            let city = s.station.labels["city"] ?? ""
            if byCity[city] == nil { cities.append(city) }
            byCity[city, default: []].append(s)
        }
        model["maps"] = cities.map { city -> [String: Any] in
            let label = city.isEmpty ? page.t("overview_map") : "\(page.t("overview_map")) · \(city)"
            var m: [String: Any] = ["svg": OverviewMap(byCity[city]!.map(marker)).svg(label: label, kilometre: page.t("overview_km"))]
            if !city.isEmpty { m["city"] = city }
            return m
        }
        if placed.count < o.stations.count { model["unplaced"] = o.stations.count - placed.count }
        if o.undelivered > 0 { model["undelivered"] = o.undelivered }
        if alerts.count > 50 { model["moreAlerts"] = alerts.count - 50 }
        return model
    }

    private func rank(_ s: OverviewStation) -> Int {
        if !s.alerts.isEmpty || s.worst == .over { return 0 }
        if s.worst == .warn { return 1 }
        return s.status == .offline ? 2 : s.status == .late ? 3 : 4
    }

    func statusText(_ s: StationStatus) -> String { page.t("overview_status_" + s.rawValue) }

    func alert(_ a: OverviewAlert) -> [String: Any] {
        let st = stations[a.instance.key.station]
        var m: [String: Any] = [
            "rule": a.instance.key.rule, "station": a.instance.key.station, "stationName": st.map { PageText.name($0.name, language) } ?? a.instance.key.station,
            "parameter": a.instance.key.parameter == "*" ? "" : a.instance.key.parameter, "state": a.instance.state.rawValue,
            "stateText": page.t("overview_alert_" + a.instance.state.rawValue.replacingOccurrences(of: "-", with: "_")),
            "age": PageText.age(a.age, language),
        ]
        if let v = a.instance.value { m["value"] = PageText.value(v) }
        if let by = a.acknowledgedBy { m["ackBy"] = by }
        return m
    }

    func marker(_ s: OverviewStation) -> OverviewMap.Marker {
        var classes = s.mapClass
        if s.status == .late { classes += " late" }
        if !s.alerts.isEmpty { classes += " alerting" }
        let name = PageText.name(s.station.name, language)
        var title = "\(name) — \(statusText(s.status))"
        if let worst = s.values.filter({ $0.sample != nil }).max(by: { $0.valueClass < $1.valueClass }), let sample = worst.sample {
            title += "; \(worst.parameter.parameter.id) \(PageText.value(sample.value)) \(worst.parameter.unit.symbol)"
        }
        if !s.alerts.isEmpty { title += "; \(page.t("overview_alerts")) \(s.alerts.count)" }
        return OverviewMap.Marker(id: s.station.id, location: s.station.location!, classes: classes, title: title, label: name)
    }
}
