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
        let ranked = o.stations.enumerated().sorted { a, b in
            (rank(a.element), a.offset) < (rank(b.element), b.offset)
        }.map(\.element)
        var model: [String: Any] = [
            "online": o.count(.online), "late": o.count(.late), "offline": o.count(.offline), "total": o.stations.count,
            "alertCount": o.alerts.count + o.otherAlerts, "alerting": o.alerts.count + o.otherAlerts > 0,
            "stationRows": StationRows(self).html(ranked), "alerts": o.alerts.prefix(50).map(alert), "hasAlerts": !o.alerts.isEmpty,
            "sites": reporting.map(site), "sections": o.day.sections.map(section),
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
        if o.alerts.count > 50 { model["moreAlerts"] = o.alerts.count - 50 }
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

    func site(_ s: CityDay.Site) -> [String: Any] {
        var m: [String: Any] = [
            "id": s.station.id, "name": PageText.name(s.station.name, language), "hours": s.aqi.validHours, "elapsed": s.aqi.hoursElapsed,
            "date": s.aqi.date.isoDate, "standard": s.aqi.standard.documentName,
        ]
        if let r = s.aqi.result, let aqi = r.aqi, let category = r.category {
            m["aqi"] = aqi
            m["level"] = category.level
            m["category"] = language == .zhCN ? category.name(in: r.standard) : category.englishName(in: r.standard)
            m["primary"] = r.primaryPollutants.map(\.rawValue).joined(separator: ", ")
        }
        return m
    }

    func section(_ s: CityDay.Section) -> [String: Any] {
        var m: [String: Any] = ["id": s.station.id, "name": PageText.name(s.station.name, language), "date": s.date.isoDate]
        if let c = s.day.sectionClass {
            m["class"] = c.name
            m["classLevel"] = c.rawValue
        }
        if let t = s.target { m["target"] = t.name }
        if let meets = s.day.assessment?.meetsTarget { m[meets ? "meets" : "fails"] = true }
        m["items"] = s.day.items.map { "\($0.parameter) \(PageText.value($0.mean))" }.joined(separator: " · ")
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
