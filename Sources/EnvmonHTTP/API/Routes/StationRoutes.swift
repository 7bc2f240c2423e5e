import Foundation
import Hummingbird
import Monitoring
import Reports
import Store

/// Stations and series (role `read`):
///
/// - `GET /api/v1/stations` → `{"asOf", "stations": [{id, name, kind, status, lastReading,
///   activeAlerts, latest: [{parameter, value, unit, flag, time, kind}], …}]}`; CSV one row a station.
/// - `GET /api/v1/stations/{id}` → `{"asOf", "station": {…, "parameters": [{id, name, nameZH,
///   unit, limits}]}}`; 404 for a station not in sensors/.
/// - `GET /api/v1/series[?station=][&count=true]` → `{"series": [{station, parameter, kind, unit,
///   first, last, count?}]}`; CSV one row a series.
///
/// Status: ``StationStatus`` from the station's expected interval and its newest reading.
struct StationRoutes: HTTPRouteProvider {
    let data: APIData

    func addRoutes(to api: APIRouter) {
        api.get("/api/v1/stations", role: .read, summary: "Every station with its status, latest values and active alerts") { request, _ in
            let csv = try APIResponse.wantsCSV(request)
            let kind = try APIParameters(request).choice("kind", StationKind.self)
            let now = data.now()
            let stations = data.stations().stations.filter { kind == nil || $0.kind == kind }
            let overviews = try await calling { try await StationOverview.make(stations, store: data.store, now: now) }
            if csv {
                var out = "id,name,kind,status,last_reading,active_alerts\n"
                for o in overviews {
                    let last = o.lastReading.map { ZoneCalendar(o.station.timeZone).iso8601($0) } ?? ""
                    out += [o.station.id, o.station.name, o.station.kind.rawValue, o.status.rawValue, last, String(o.activeAlerts)]
                        .map(CSVField.quote).joined(separator: ",") + "\n"
                }
                return APIResponse.csv(out)
            }
            return APIResponse.json(["asOf": ZoneCalendar(data.timeZone).iso8601(now), "stations": overviews.map { json($0, detailed: false) }])
        }
        api.get("/api/v1/stations/{id}", role: .read, summary: "One station with its status, parameters, limits and latest values") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let station = data.stations()[id] else { throw APIError.notFound("no station '\(id)' in sensors/") }
            let now = data.now()
            let overview = try await calling { try await StationOverview.make([station], store: data.store, now: now) }
            return APIResponse.json(["asOf": ZoneCalendar(data.timeZone).iso8601(now), "station": json(overview[0], detailed: true)])
        }
        api.get("/api/v1/series", role: .read, summary: "The stored series with their first and last times") { request, _ in
            let parameters = APIParameters(request)
            let csv = try APIResponse.wantsCSV(request)
            let counting = try parameters.bool("count") ?? false
            let stationIDs: [String]
            if let one = parameters.string("station") {
                stationIDs = [one]
            } else {
                stationIDs = Array(Set(try await calling { try await data.store.allSeries() }.map(\.station))).sorted()
            }
            var rows: [[String: Any]] = []
            for id in stationIDs {
                let calendar = ZoneCalendar(data.stations()[id]?.timeZone ?? TimeZone(identifier: "UTC")!)
                for series in try await calling({ try await data.store.storedSeries(ofStation: id) }) {
                    var row: [String: Any] = [
                        "station": id, "parameter": series.key.parameter, "kind": series.key.kind.rawValue,
                        "unit": series.unit?.symbol ?? NSNull(),
                    ]
                    if let span = try await calling({ try await data.store.span(of: series.key) }) {
                        row["first"] = calendar.iso8601(span.lowerBound)
                        row["last"] = calendar.iso8601(span.upperBound)
                    }
                    if counting { row["count"] = try await calling { try await data.store.sampleCount(of: series.key) } }
                    rows.append(row)
                }
            }
            if csv {
                var out = "station,parameter,kind,unit,first,last" + (counting ? ",count\n" : "\n")
                for r in rows {
                    var fields = ["station", "parameter", "kind", "unit", "first", "last"].map { r[$0] as? String ?? "" }
                    if counting { fields.append(String(r["count"] as? Int ?? 0)) }
                    out += fields.map(CSVField.quote).joined(separator: ",") + "\n"
                }
                return APIResponse.csv(out)
            }
            return APIResponse.json(["series": rows])
        }
    }

    private func json(_ o: StationOverview, detailed: Bool) -> [String: Any] {
        let st = o.station
        let calendar = ZoneCalendar(st.timeZone)
        var object: [String: Any] = [
            "id": st.id, "name": st.name, "kind": st.kind.rawValue, "timeZone": st.timeZone.identifier, "expectedInterval": st.expectedInterval,
            "status": o.status.rawValue, "lastReading": o.lastReading.map(calendar.iso8601) ?? NSNull(), "activeAlerts": o.activeAlerts,
            "labels": st.labels,
            "latest": o.latest.map { l -> [String: Any] in
                [
                    "parameter": l.parameter.parameter.id, "value": l.sample.value, "unit": l.parameter.unit.symbol, "flag": l.sample.flag.rawValue,
                    "time": calendar.iso8601(l.sample.time), "kind": l.kind.rawValue,
                ]
            },
        ]
        if let mn = st.mn, detailed { object["mn"] = mn }
        if detailed {
            object["parameters"] = st.parameters.map { sp -> [String: Any] in
                [
                    "id": sp.parameter.id, "name": sp.parameter.nameEN, "nameZH": sp.parameter.nameZH, "unit": sp.unit.symbol,
                    "limits": sp.limits.map { l -> [String: Any] in
                        var limit: [String: Any] = ["basis": l.basis.rawValue]
                        if let max = l.max { limit["max"] = max }
                        if let min = l.min { limit["min"] = min }
                        if let source = l.source { limit["source"] = source }
                        return limit
                    },
                ]
            }
        }
        return object
    }
}
