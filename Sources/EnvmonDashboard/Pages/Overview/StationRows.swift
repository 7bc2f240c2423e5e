import EnvmonCharts
import Foundation
import Monitoring
import Reports
import Store

/// The rows of the overview's stations table, written straight to HTML: a thousand stations with
/// five values each took the template engine about 350 ms (and their models 100 ms more); written
/// here they take a few milliseconds. Every text is escaped; the markup is what the template had.
struct StationRows {
    let model: OverviewModel
    /// Texts looked up once, not once a row.
    private let statusText: [StationStatus: String]
    private let classText: [ValueClass: String]
    private let kindText: [StationKind: String]
    private let alertText: [AlertState: String]
    private let noValue: String

    init(_ model: OverviewModel) {
        self.model = model
        let page = model.page
        statusText = Dictionary(uniqueKeysWithValues: StationStatus.allCases.map { ($0, page.t("overview_status_" + $0.rawValue)) })
        classText = Dictionary(uniqueKeysWithValues: ValueClass.allCases.map { ($0, page.t("overview_class_" + $0.rawValue)) })
        kindText = Dictionary(uniqueKeysWithValues: StationKind.allCases.map { ($0, page.t("overview_kind_" + $0.rawValue.replacingOccurrences(of: "-", with: "_"))) })
        alertText = Dictionary(uniqueKeysWithValues: [AlertState.pending, .firing, .noData, .suppressed, .resolved, .inactive].map {
            ($0, page.t("overview_alert_" + $0.rawValue.replacingOccurrences(of: "-", with: "_")))
        })
        noValue = page.t("overview_no_value")
    }

    /// The `<tr>` of each station, in order.
    func html(_ stations: [OverviewStation]) -> String {
        var out = ""
        out.reserveCapacity(stations.count * 900)
        // One calendar a zone: a calendar caches the zone's offsets, a fresh one asks Foundation each time.
        var calendars: [String: (ZoneCalendar, CivilTime)] = [:]
        for s in stations {
            let zone = s.station.timeZone
            if calendars[zone.identifier] == nil {
                let calendar = ZoneCalendar(zone)
                calendars[zone.identifier] = (calendar, calendar.civil(at: model.overview.now))
            }
            row(s, calendars[zone.identifier]!, into: &out)
        }
        return out
    }

    private func row(_ s: OverviewStation, _ calendar: (ZoneCalendar, CivilTime), into out: inout String) {
        let id = SVGText.escape(s.station.id)
        let status = s.status.rawValue
        out += "<tr data-test=\"station-row\" data-station=\"\(id)\" data-status=\"\(status)\">"
        out += "<td><a href=\"/stations/\(id)\">\(SVGText.escape(PageText.name(s.station.name, model.language)))</a><br><span class=\"muted small\">\(SVGText.escape(kindText[s.station.kind] ?? ""))</span></td>"
        out += "<td><span class=\"badge \(status)\">\(SVGText.escape(statusText[s.status] ?? status))</span>"
        if let last = s.lastReading {
            let age = PageText.age(model.overview.now - last, model.language)
            out += "<br><span class=\"muted small\" title=\"\(SVGText.escape(age))\">\(PageText.time(last, calendar: calendar.0, today: calendar.1))</span>"
        }
        out += "</td><td class=\"values\">"
        var missing: [String] = []
        for v in s.values {
            let parameter = v.parameter.parameter.id
            guard let sample = v.sample else {
                missing.append(parameter)
                continue
            }
            let p = SVGText.escape(parameter)
            let c = v.valueClass.rawValue
            var title = classText[v.valueClass] ?? c
            if let limit = v.limit { title += " · " + limit.summary(of: parameter) + (limit.source.map { " (\($0))" } ?? "") }
            if !sample.flag.isValid { title += " · " + sample.flag.rawValue }
            out += "<span class=\"v \(c)\" data-test=\"value\" data-parameter=\"\(p)\" data-class=\"\(c)\" title=\"\(SVGText.escape(title))\">"
            out += "\(p) <b>\(PageText.value(sample.value))</b> \(SVGText.escape(v.parameter.unit.symbol))</span> "
        }
        if !missing.isEmpty { out += "<span class=\"nodata small\">\(SVGText.escape(noValue)) \(SVGText.escape(missing.joined(separator: ", ")))</span>" }
        out += "</td><td>"
        for a in s.alerts {
            let state = a.instance.state
            out += "<span class=\"badge \(state.rawValue)\" title=\"\(SVGText.escape(a.instance.key.rule))\">\(SVGText.escape(alertText[state] ?? state.rawValue)) \(PageText.age(a.age, model.language))</span> "
        }
        out += "</td></tr>\n"
    }
}
