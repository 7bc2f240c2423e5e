import Foundation
import Monitoring
import Reports

/// The rows of the overview's day-so-far tables (the AQI of each ambient site, the class of each
/// section), written straight to HTML like ``StationRows``: a city of a thousand stations has
/// hundreds of each, and the template engine spent about a tenth of the page's time on them.
/// The markup, the whitespace and the escaping are what the template wrote (`{{name}}` escapes
/// `& < > " '`).
struct DayRows {
    let model: OverviewModel

    /// The `<tr>` of each site that has a valid hour today, in order.
    func sites(_ sites: [CityDay.Site]) -> String {
        var out = ""
        out.reserveCapacity(sites.count * 400)
        for s in sites {
            let id = Self.escape(s.station.id)
            out += "<tr data-test=\"site-aqi\" data-station=\"\(id)\"><td><a href=\"/stations/\(id)\">"
            out += Self.escape(PageText.name(s.station.name, model.language)) + "</a></td>\n      <td class=\"num\">"
            var category = ""
            var primary = ""
            if let r = s.aqi.result, let aqi = r.aqi, let c = r.category {
                out += "<span class=\"badge aqi\(c.level)\" data-test=\"aqi-value\">\(aqi)</span>"
                category = model.language == .zhCN ? c.name(in: r.standard) : c.englishName(in: r.standard)
                primary = r.primaryPollutants.map(\.rawValue).joined(separator: ", ")
            } else {
                out += "<span class=\"nodata\">—</span>"
            }
            out += "</td>\n      <td>\(Self.escape(category))</td><td>\(Self.escape(primary))</td>"
            out += "<td class=\"num\">\(s.aqi.validHours)/\(s.aqi.hoursElapsed)</td></tr>\n"
        }
        return out
    }

    /// The `<tr>` of each section, in order.
    func sections(_ sections: [CityDay.Section]) -> String {
        let missed = Self.escape(model.page.t("overview_target_missed"))
        let met = Self.escape(model.page.t("overview_target_met"))
        var out = ""
        out.reserveCapacity(sections.count * 500)
        for s in sections {
            let id = Self.escape(s.station.id)
            let meets = s.day.assessment?.meetsTarget
            out += "<tr data-test=\"section-class\" data-station=\"\(id)\"><td><a href=\"/stations/\(id)\">"
            out += Self.escape(PageText.name(s.station.name, model.language)) + "</a></td>\n      <td>"
            if let c = s.day.sectionClass {
                out += "<strong class=\"\(meets == false ? "over" : meets == true ? "ok" : "")\">\(Self.escape(c.name))</strong>"
            } else {
                out += "<span class=\"nodata\">—</span>"
            }
            out += "</td>\n      <td>\(Self.escape(s.target?.name ?? ""))"
            if meets == false { out += " <span class=\"badge over\">\(missed)</span>" }
            if meets == true { out += " <span class=\"badge ok\">\(met)</span>" }
            let items = s.day.items.map { "\($0.parameter) \(PageText.value($0.mean))" }.joined(separator: " · ")
            out += "</td>\n      <td class=\"small\">\(Self.escape(items))</td></tr>\n"
        }
        return out
    }

    /// `text` escaped as the template engine escapes a `{{variable}}`: `&`, `<`, `>`, `"` and `'`,
    /// character by character.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for c in text {
            switch c {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
