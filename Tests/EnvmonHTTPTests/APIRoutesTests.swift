import EnvmonHTTP
import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// The read and operate routes over a real store, asked as a user would.
@Suite(.serialized) struct APIRoutesTests {
    let read = APIFixture.tokens[.read]!
    let operate = APIFixture.tokens[.operate]!

    func station(_ reply: HTTPGet, _ id: String) -> [String: Any]? {
        (reply.json["stations"] as? [[String: Any]])?.first { $0["id"] as? String == id }
    }

    @Test func aStationTurnsLateThenOfflineAsTheClockMovesOn() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, _ in
            // Now is 03:00 local; outlet-1's last reading was at 02:59, it reports each minute.
            let first = try await HTTPGet.get(port: port, "/api/v1/stations", token: read)
            #expect(first.status == 200)
            // When the answer holds, in the bureau's zone (Beijing time by default), as the stations' times are.
            #expect(first.json["asOf"] as? String == "2026-03-01T03:00:00+08:00")
            let outlet = try #require(station(first, "outlet-1"))
            #expect(outlet["status"] as? String == "online")
            #expect(outlet["lastReading"] as? String == "2026-03-01T02:59:00+08:00")
            let latest = try #require(outlet["latest"] as? [[String: Any]])
            let cod = try #require(latest.first { $0["parameter"] as? String == "COD" })
            #expect(cod["value"] as? Double == 59)
            #expect(cod["unit"] as? String == "mg/L")
            #expect(cod["flag"] as? String == "N")
            // air-1 reports hourly and last did 4 hours ago: late.
            #expect(station(first, "air-1")?["status"] as? String == "late")
            fixture.clock.advance(by: 5 * 60)  // 6 minutes without a reading: late
            #expect(station(try await HTTPGet.get(port: port, "/api/v1/stations", token: read), "outlet-1")?["status"] as? String == "late")
            fixture.clock.advance(by: 60)  // 7 minutes: offline
            #expect(station(try await HTTPGet.get(port: port, "/api/v1/stations", token: read), "outlet-1")?["status"] as? String == "offline")

            let one = try await HTTPGet.get(port: port, "/api/v1/stations/outlet-1", token: read)
            let detail = try #require(one.json["station"] as? [String: Any])
            #expect((detail["parameters"] as? [[String: Any]])?.map { $0["id"] as? String } == ["COD", "Q-water"])
            #expect(try await HTTPGet.get(port: port, "/api/v1/stations/nowhere", token: read).status == 404)

            let csv = try await HTTPGet.request(port: port, "GET", "/api/v1/stations", token: read, headers: ["Accept": "text/csv"])
            #expect(csv.contentType == "text/csv; charset=utf-8")
            #expect(csv.body.hasPrefix("id,name,kind,status,last_reading,active_alerts\n"))
            #expect(csv.body.contains("outlet-1,outlet-1,discharge-outlet,offline,2026-03-01T02:59:00+08:00,0\n"), "\(csv.body)")
        }
    }

    @Test func aQueryAnswersWhatEnvmonQueryPrints() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, _ in
            // The library `envmon query` calls, on the same store.
            let result = try await SeriesQuery(station: "outlet-1", parameter: "COD", step: "1h").run(
                stations: fixture.stations, store: fixture.store, now: fixture.clock.now)
            let csv = try await HTTPGet.get(port: port, "/api/v1/query?station=outlet-1&parameter=COD&step=1h&format=csv", token: read)
            #expect(csv.status == 200)
            #expect(csv.body == SeriesQueryOutput.render(result, format: .csv))
            #expect(
                csv.body == """
                    time,value,count,partial
                    2026-03-01T00:00:00+08:00,29.5,60,false
                    2026-03-01T01:00:00+08:00,29.5,60,false
                    2026-03-01T02:00:00+08:00,29.5,60,false

                    """)
            let json = try await HTTPGet.get(port: port, "/api/v1/query?station=outlet-1&parameter=COD&step=1h", token: read)
            #expect(json.contentType == "application/json")
            #expect(json.body == SeriesQueryOutput.render(result, format: .json))
            let rows = try #require(json.json["rows"] as? [[String: Any]])
            #expect(rows.map { $0["count"] as? Int } == [60, 60, 60])
            #expect(json.json["unit"] as? String == "mg/L")

            // Relative: the last 90 minutes cut the 01:00 bucket in half.
            let recent = try await HTTPGet.request(
                port: port, "GET", "/api/v1/query?station=outlet-1&parameter=COD&step=1h&from=now-90m&to=now", token: read,
                headers: ["Accept": "text/csv"])
            #expect(recent.body == "time,value,count,partial\n2026-03-01T01:00:00+08:00,44.5,30,true\n2026-03-01T02:00:00+08:00,29.5,60,false\n")
            // Raw readings without a step.
            let raw = try await HTTPGet.get(
                port: port, "/api/v1/query?station=outlet-1&parameter=COD&from=2026-03-01T00:00&to=2026-03-01T00:02&format=csv", token: read)
            #expect(raw.body == "time,value,flag\n2026-03-01T00:00:00+08:00,0,N\n2026-03-01T00:01:00+08:00,1,N\n")
        }
    }

    @Test func aBadParameterIs400NamingIt() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, _ in
            func error(_ path: String) async throws -> (Int, String, String) {
                let reply = try await HTTPGet.get(port: port, path, token: read)
                let e = reply.json["error"] as? [String: Any]
                return (reply.status, e?["code"] as? String ?? "", e?["message"] as? String ?? "")
            }
            let q = "/api/v1/query?station=outlet-1&parameter=COD"
            for (path, name) in [
                ("\(q)&step=hourly", "step"), ("\(q)&from=yesterday", "from"), ("\(q)&to=now-3x", "to"), ("\(q)&agg=median", "agg"),
                ("\(q)&kind=second", "kind"), ("\(q)&format=xml", "format"), ("/api/v1/query?parameter=COD", "station"),
                ("\(q)&from=2026-03-02&to=2026-03-01", "from"), ("/api/v1/alerts?state=sleeping", "state"),
                ("/api/v1/alerts/history?limit=0", "limit"), ("/api/v1/reports/air?year=twenty", "year"), ("/api/v1/cases?status=lost", "status"),
                ("/api/v1/reports/exceedance-days?station=air-1&parameter=PM2.5&grade=3", "grade"),
            ] {
                let (status, code, message) = try await error(path)
                #expect(status == 400, "\(path): \(status) \(message)")
                #expect(code == "badParameter", "\(path)")
                #expect(message.hasPrefix(name), "\(path): \(message)")
            }
            let (status, code, _) = try await error("/api/v1/query?station=nowhere&parameter=COD")
            #expect(status == 404 && code == "notFound")
        }
    }

    @Test func seriesAlertsAndReports() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, _ in
            let series = try await HTTPGet.get(port: port, "/api/v1/series?station=outlet-1&count=true", token: read)
            let cod = try #require((series.json["series"] as? [[String: Any]])?.first { $0["parameter"] as? String == "COD" })
            #expect(cod["kind"] as? String == "minute")
            #expect(cod["first"] as? String == "2026-03-01T00:00:00+08:00")
            #expect(cod["last"] as? String == "2026-03-01T02:59:00+08:00")
            #expect(cod["count"] as? Int == 180)

            let alerts = try await HTTPGet.get(port: port, "/api/v1/alerts?state=all", token: read)
            #expect(alerts.status == 200)
            #expect((alerts.json["active"] as? [Any])?.isEmpty == true)
            #expect(alerts.json["recent"] != nil)
            #expect(try await HTTPGet.get(port: port, "/api/v1/alerts/episodes?from=now-7d", token: read).status == 200)

            // 2026-02-27 at 80 µg/m³, above the 24-hour limit of 75; 2026-02-28 at 20.
            let days = try await HTTPGet.get(port: port, "/api/v1/reports/exceedance-days?station=air-1&parameter=PM2.5", token: read)
            #expect(days.status == 200, "\(days.body)")
            let verdicts = (days.json["days"] as? [[String: Any]])?.map { $0["verdict"] as? String }
            #expect(verdicts == ["exceeds", "meets"], "\(days.body)")
            let csv = try await HTTPGet.get(port: port, "/api/v1/reports/exceedance-days?station=air-1&parameter=PM2.5&format=csv", token: read)
            #expect(csv.body.hasPrefix("date,valid_hours,mean,limit,edition,verdict\n2026-02-27,24,80"), "\(csv.body)")
            let air = try await HTTPGet.get(port: port, "/api/v1/reports/air?from=2026-02-27&to=2026-02-28&lang=en", token: read)
            #expect(air.status == 200, "\(air.body)")
            #expect(air.json["sites"] != nil, "\(air.body)")
        }
    }

    /// A bureau off Beijing time (reports.time_zone: Asia/Urumqi, UTC+6): a silence's times
    /// without an offset are its local times, and the answers give them in its zone.
    @Test func silenceTimesWithoutAnOffsetAreTheBureausLocalTimes() async throws {
        var fixture = try await APIFixture()
        fixture.bureauZone = TimeZone(identifier: "Asia/Urumqi")!
        try await fixture.withListener { port, _ in
            let made = try await HTTPGet.request(
                port: port, "POST", "/api/v1/silences", token: operate,
                body: Data(#"{"matchers": ["station=\"outlet-1\""], "startsAt": "2026-03-01T09:00", "endsAt": "2026-03-01T12:00+08:00"}"#.utf8))
            #expect(made.status == 201, "\(made.body)")
            let silence = made.json["silence"] as? [String: Any]
            // 09:00 in Urumqi is 03:00Z; 12:00 Beijing time is 04:00Z, 10:00 in Urumqi.
            #expect(silence?["startsAt"] as? String == "2026-03-01T09:00:00+06:00", "\(made.body)")
            #expect(silence?["endsAt"] as? String == "2026-03-01T10:00:00+06:00", "\(made.body)")
        }
    }

    @Test func casesAreReadAndWorkedOnThroughTheDaemon() async throws {
        let fixture = try await APIFixture()
        try await fixture.withListener { port, _ in
            let list = try await HTTPGet.get(port: port, "/api/v1/cases", token: read)
            let cases = try #require((try? JSONSerialization.jsonObject(with: Data(list.body.utf8))) as? [[String: Any]])
            #expect(cases.map { $0["id"] as? String } == ["ZY-2026-01"])
            #expect(cases.first?["status"] as? String == "open")

            let note = try await HTTPGet.request(
                port: port, "POST", "/api/v1/cases/ZY-2026-01/notes", token: operate,
                body: Data(#"{"text": "整改方案已报送", "status": "in-progress", "evidence": ["方案.pdf"]}"#.utf8))
            #expect(note.status == 201, "\(note.body)")
            let shown = try await HTTPGet.get(port: port, "/api/v1/cases/ZY-2026-01", token: read)
            #expect(shown.body.contains(#""status":"in-progress""#), "\(shown.body)")
            // Written by the token that asked.
            #expect(shown.body.contains("operate-token"), "\(shown.body)")

            // Closing a case not yet done conflicts with its state.
            let close = try await HTTPGet.request(
                port: port, "POST", "/api/v1/cases/ZY-2026-01/close", token: operate, body: Data(#"{"note": "同意销号"}"#.utf8))
            #expect(close.status == 409, "\(close.body)")
            let missing = try await HTTPGet.request(
                port: port, "POST", "/api/v1/cases/NOPE/notes", token: operate, body: Data(#"{"text": "x"}"#.utf8))
            #expect(missing.status == 404)
            let noText = try await HTTPGet.request(port: port, "POST", "/api/v1/cases/ZY-2026-01/notes", token: operate, body: Data("{}".utf8))
            #expect(noText.status == 400)
            #expect((noText.json["error"] as? [String: Any])?["message"] as? String == "text: required")
        }
    }
}
