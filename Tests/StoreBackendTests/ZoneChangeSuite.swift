import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// A station whose zone is corrected in sensors/ has its day rollups rebuilt in the new zone's
/// days, on either store: reads cut days by the zone the series has now.
@Suite struct ZoneChangeSuite {
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .hour)
    // 2026-01-01T00:00:00Z.
    let t0: Int64 = 1_767_225_600

    func stations(zone: String) -> StationRegistry {
        TestStations.registry(TestStations.station("site", zone: zone, parameters: ["PM2.5"]))
    }

    @Test(arguments: Backend.stores)
    func changingAStationsZoneRebuildsItsDayRollups(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        // 48 hourly readings worth their hour's number, stored while the station was on UTC.
        let before = try await location.open(stations(zone: "UTC"))
        _ = try await before.store.write((0..<48).map { Sample(series: key, time: t0 + Int64($0) * 3_600, value: Double($0)) })
        await before.close()

        // Corrected to Beijing time; the next write meets the series again.
        let opened = try await location.open(stations(zone: "Asia/Shanghai"))
        let store = opened.store
        _ = try await store.write([Sample(series: key, time: t0 + 48 * 3_600, value: 48)])

        // Beijing's 2026-01-02 runs from 2026-01-01T16:00Z: hours 16…39, mean 27.5.
        let day = (t0 + 16 * 3_600)..<(t0 + 40 * 3_600)
        let mean = try await store.aggregate(AggregateQuery(series: key, range: day, step: 86_400, function: .avg))
        #expect(mean.map(\.start) == [day.lowerBound])
        #expect(mean.map(\.value) == [27.5])
        #expect(mean.map(\.count) == [24])
        // Every reading is in exactly one day: nothing counted twice, nothing lost.
        let all = try await store.aggregate(
            AggregateQuery(series: key, range: (t0 - 8 * 3_600)..<(t0 + 64 * 3_600), step: 86_400, function: .count))
        #expect(all.map(\.count) == [16, 24, 9])
        #expect(all.map(\.start) == [t0 - 8 * 3_600, t0 + 16 * 3_600, t0 + 40 * 3_600])
        await opened.close()

        // Opened again with the same zone: nothing is rebuilt, and the days read the same.
        let again = try await location.open(stations(zone: "Asia/Shanghai"))
        _ = try await again.store.write([Sample(series: key, time: t0 + 49 * 3_600, value: 49)])
        let after = try await again.store.aggregate(
            AggregateQuery(series: key, range: (t0 - 8 * 3_600)..<(t0 + 64 * 3_600), step: 86_400, function: .count))
        #expect(after.map(\.count) == [16, 24, 10])
        await again.close()
    }
}
