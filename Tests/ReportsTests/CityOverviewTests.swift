import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

/// The overview against a real store: each station's status, its newest values coloured against
/// their limits, its active alerts with their age, and the city's day so far.
@Suite struct CityOverviewTests {
    let dir = TemporaryDirectory()
    // 2026-06-15T00:00:00+08:00, a local midnight (HJ 633-2026 in force).
    let t0: Int64 = 1_781_452_800
    var now: Int64 { t0 + 10 * 3_600 + 20 * 60 }  // 10:20 local

    func station(_ id: String, _ kind: StationKind, interval: Int, _ parameters: [(String, [Limit])]) -> Station {
        var st = TestStations.station(id, kind: kind, interval: interval, parameters: parameters.map(\.0))
        for (i, p) in parameters.enumerated() { st.parameters[i].limits = p.1 }
        st.location = GeoLocation(latitude: 36.68, longitude: 117.02)
        return st
    }

    var stations: [Station] {
        var river = station(
            "river", .surfaceWater, interval: 3_600, [("NH3-N", [Limit(basis: .day, max: 1)]), ("DO", [Limit(basis: .day, min: 5)]), ("COD", [])])
        river.labels = ["target_class": "III"]
        var retired = station("old", .stack, interval: 60, [("SO2", [])])
        retired.retired = true
        return [
            station(
                "outlet", .dischargeOutlet, interval: 3_600,
                [
                    ("COD", [Limit(basis: .day, max: 50), Limit(basis: .hour, max: 60)]), ("pH", [Limit(basis: .day, max: 9, min: 6)]),
                    ("NH3-N", [Limit(basis: .day, max: 5)]), ("TP", [Limit(basis: .day, max: 0.5)]),
                ]),
            station("stack", .stack, interval: 60, [("SO2", [Limit(basis: .hour, max: 35)])]),
            station("late", .stack, interval: 3_600, [("SO2", [Limit(basis: .hour, max: 35)])]),
            station("site", .ambientAir, interval: 3_600, [("PM2.5", []), ("NO2", []), ("O3", [])]),
            river, retired,
        ]
    }

    func filledStore() async throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.file("overview.sqlite"), stations: StationRegistry(stations), retention: .forever)
        func key(_ st: String, _ p: String) -> SeriesKey { SeriesKey(station: st, parameter: p, kind: .hour) }
        var samples: [Sample] = []
        let lastHour = t0 + 9 * 3_600  // the hour 09:00–10:00, the last that has ended
        samples += [
            Sample(series: key("outlet", "COD"), time: lastHour, value: 45),
            Sample(series: key("outlet", "pH"), time: lastHour, value: 7.5),
            Sample(series: key("outlet", "NH3-N"), time: lastHour, value: 6),
        ]
        samples.append(Sample(series: SeriesKey(station: "stack", parameter: "SO2", kind: .minute), time: now - 600, value: 30))
        samples.append(Sample(series: key("late", "SO2"), time: now - 3 * 3_600, value: 30))
        for h in 0..<10 {
            let t = t0 + Int64(h) * 3_600
            // Hour 3 is a calibration: 500 µg/m³ that must not count.
            samples.append(Sample(series: key("site", "PM2.5"), time: t, value: h == 3 ? 500 : 80, flag: h == 3 ? .calibration : .normal))
            samples.append(Sample(series: key("site", "O3"), time: t, value: 100))
            samples.append(Sample(series: key("site", "NO2"), time: t, value: h == 9 ? 170 : 20))
            samples.append(Sample(series: key("river", "NH3-N"), time: t, value: 1.2))
            samples.append(Sample(series: key("river", "DO"), time: t, value: 7))
            samples.append(Sample(series: key("river", "COD"), time: t, value: 15))
        }
        // Yesterday's bad hours are not today's.
        samples.append(Sample(series: key("site", "PM2.5"), time: t0 - 3_600, value: 900))
        _ = try await store.write(samples)
        let alert = AlertKey(rule: "nh3n-day", station: "outlet", parameter: "NH3-N")
        let n = AlertNotification(
            idempotencyKey: "k1", status: .firing, severity: .critical, labels: ["alertname": "nh3n-day", "station": "outlet"], annotations: [:],
            startsAt: now - 7_200)
        try await store.record(
            [AlertTransition(instance: AlertInstance(key: alert, state: .firing, since: now - 7_200, sequence: 1), from: .pending, at: now - 7_200, reason: "r", notification: n)],
            updates: [], recordedAt: now - 7_200)
        return store
    }

    @Test func stationsHaveTheirStatusValuesAndAlerts() async throws {
        let store = try await filledStore()
        defer { try? store.close() }
        let overview = try await CityOverview.make(stations: StationRegistry(stations), store: store, now: now)
        #expect(overview.stations.map(\.station.id) == ["late", "outlet", "river", "site", "stack"], "the retired station is left out")
        let byID = Dictionary(uniqueKeysWithValues: overview.stations.map { ($0.station.id, $0) })
        #expect(byID["outlet"]?.status == .online)
        #expect(byID["stack"]?.status == .offline, "10 minutes without a reading from a station that reports every minute")
        #expect(byID["late"]?.status == .late, "3 hours without a reading from an hourly station")
        #expect((overview.count(.online), overview.count(.late), overview.count(.offline)) == (3, 1, 1))

        let outlet = try #require(byID["outlet"])
        let classes = Dictionary(uniqueKeysWithValues: outlet.values.map { ($0.parameter.parameter.id, $0.valueClass) })
        // COD is shown against its hourly limit 60 (the shortest basis): 45 is below 48.
        #expect(outlet.values[0].limit?.max == 60 && classes["COD"] == .ok)
        #expect(classes["pH"] == .ok && classes["NH3-N"] == .over && classes["TP"] == .nodata)
        #expect(outlet.worst == .over && outlet.mapClass == "over")
        #expect(outlet.values.first { $0.parameter.parameter.id == "NH3-N" }?.sample?.value == 6)
        #expect(byID["stack"]?.mapClass == "offline")

        // Ambient sites without limits of their own are shown against GB 3095 grade 2 (2026
        // transitional: PM2.5 24-h 60 µg/m³; it has no 1-h limit).
        let site = try #require(byID["site"])
        let pm = try #require(site.values.first { $0.parameter.parameter.id == "PM2.5" })
        #expect(pm.limit?.max == 60 && pm.limit?.basis == .day && pm.valueClass == .over)
        #expect(pm.limit?.source == "GB 3095-2026 grade 2")
        let no2 = try #require(site.values.first { $0.parameter.parameter.id == "NO2" })
        #expect(no2.limit?.max == 200 && no2.limit?.basis == .hour && no2.valueClass == .warn, "170 is 85 % of 200")

        #expect(outlet.alerts.count == 1 && overview.alerts.count == 1)
        #expect(outlet.alerts.first?.age == 7_200 && outlet.alerts.first?.instance.state == .firing)
        #expect(byID["river"]?.alerts.isEmpty == true)
    }

    @Test func theCityDaySoFar() async throws {
        let store = try await filledStore()
        defer { try? store.close() }
        let day = try await CityOverview.make(stations: StationRegistry(stations), store: store, now: now).day
        let site = try #require(day.sites.first)
        #expect(day.sites.count == 1 && site.station.id == "site")
        #expect(site.aqi.date == CivilTime(year: 2026, month: 6, day: 15) && site.aqi.standard == .hj633_2026)
        #expect(site.aqi.hoursElapsed == 10 && site.aqi.validHours == 10)
        // PM2.5 averages its 9 valid hours (80; the calibration hour and yesterday left out):
        // IAQI ⌈100 + (80 − 60) × 50 / 55⌉ = 119 (HJ 633-2026); O3's 8-h windows ending 08:00–10:00
        // give 100, IAQI 50; NO2's mean so far (9 × 20 + 170) / 10 = 35 on the 24-h table, IAQI 44.
        let result = try #require(site.aqi.result)
        #expect(result.iaqi(.pm25, .day)?.concentration == 80)
        #expect(result.iaqi(.o3, .eightHours)?.value == 50)
        #expect(result.iaqi(.no2, .day)?.value == 44)
        #expect(result.aqi == 119 && result.primaryPollutants == [.pm25] && result.category == .level3)

        let section = try #require(day.sections.first)
        #expect(day.sections.count == 1 && section.station.id == "river")
        // NH3-N 1.2 mg/L is class IV (III ≤ 1.0 < 1.2 ≤ 1.5): worse than the target III.
        #expect(section.day.sectionClass == .classIV && section.target == .classIII)
        #expect(section.day.assessment?.meetsTarget == false)
    }

    @Test func beforeTheFirstHourEndsThereIsNoAQIYet() async throws {
        let store = try await filledStore()
        defer { try? store.close() }
        let early = t0 + 24 * 3_600 + 30 * 60  // 00:30 the next day
        let day = try await CityOverview.make(stations: StationRegistry(stations), store: store, now: early).day
        #expect(day.sites.first?.aqi.hoursElapsed == 0 && day.sites.first?.aqi.result == nil)
        #expect(day.sections.first?.day.sectionClass == nil)
    }

    @Test func valueClassesAgainstUpperLowerAndRangeLimits() {
        let upper = Limit(basis: .day, max: 50)
        #expect(ValueClass(value: 39.9, limit: upper) == .ok)
        #expect(ValueClass(value: 40, limit: upper) == .warn)
        #expect(ValueClass(value: 50, limit: upper) == .warn)
        #expect(ValueClass(value: 50.1, limit: upper) == .over)
        let lower = Limit(basis: .day, min: 5)  // dissolved oxygen
        #expect(ValueClass(value: 7, limit: lower) == .ok)
        #expect(ValueClass(value: 6.25, limit: lower) == .warn)
        #expect(ValueClass(value: 4.9, limit: lower) == .over)
        let range = Limit(basis: .day, max: 9, min: 6)  // pH
        #expect(ValueClass(value: 7.5, limit: range) == .ok)
        #expect(ValueClass(value: 6.5, limit: range) == .warn && ValueClass(value: 8.5, limit: range) == .warn)
        #expect(ValueClass(value: 5.9, limit: range) == .over && ValueClass(value: 9.1, limit: range) == .over)
        #expect(ValueClass(value: 1e6, limit: nil) == .ok)
        #expect(ValueClass(StoredSample(time: 0, value: 999, flag: .calibration), limit: upper) == .nodata, "a flagged reading is not judged")
        #expect(ValueClass(nil, limit: upper) == .nodata)
        #expect([ValueClass.ok, .over, .nodata, .warn].max() == .over)
    }
}
