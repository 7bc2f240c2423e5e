import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// The batched reads of ``MonitoringStore`` that the overviews, trends and reports make, run
/// against each backend: the same answers as the single reads they stand for.
@Suite struct SeamReadsSuite {
    // A ten-minute station in Asia/Shanghai: six readings are expected an hour.
    let station = TestStations.station("site", interval: 600, parameters: ["PM2.5", "SO2"])
    let other = TestStations.station("other", parameters: ["PM2.5"])
    let pm = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    let so2 = SeriesKey(station: "site", parameter: "SO2", kind: .realtime)
    let pmMinute = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    let otherPM = SeriesKey(station: "other", parameter: "PM2.5", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    @Test(arguments: Backend.allCases)
    func latestOfEverySeriesIsTheNewestSampleOfEachAcrossKindsAndMonths(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station, other))
        let store = opened.store
        #expect(try await store.latestOfEverySeries().isEmpty)
        _ = try await store.write([
            Sample(series: pm, time: t0, value: 1), Sample(series: pm, time: t0 + 600, value: 2, flag: .maintenance),
            Sample(series: so2, time: t0 - 40 * 86_400, value: 7),  // a month before: another partition
            Sample(series: pmMinute, time: t0 + 60, value: 3),
            Sample(series: otherPM, time: t0 + 3_600, value: 4),
        ])
        // A re-sent, changed reading is the newest as changed; an older one does not displace it.
        _ = try await store.write([Sample(series: otherPM, time: t0 + 3_600, value: 5), Sample(series: otherPM, time: t0, value: 9)])
        let all = try await store.latestOfEverySeries()
        #expect(
            all == [
                pm: StoredSample(time: t0 + 600, value: 2, flag: .maintenance), so2: StoredSample(time: t0 - 40 * 86_400, value: 7, flag: .normal),
                pmMinute: StoredSample(time: t0 + 60, value: 3, flag: .normal), otherPM: StoredSample(time: t0 + 3_600, value: 5, flag: .normal),
            ])
        #expect(all == (try await store.latest(of: try await store.allSeries())))
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func batchedAggregatesAnswerEachQueryInOrderAsTheSingleCallDoes(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station, other))
        let store = opened.store
        var samples: [Sample] = []
        for i in 0..<36 {
            samples.append(Sample(series: pm, time: t0 + Int64(i) * 600, value: Double(i)))
            samples.append(Sample(series: so2, time: t0 + Int64(i) * 600, value: Double(100 - i), flag: i == 3 ? .calibration : .normal))
        }
        _ = try await store.write(samples)
        let queries = [
            AggregateQuery(series: so2, range: t0..<(t0 + 6 * 3_600), step: 3_600, function: .avg),
            AggregateQuery(series: pm, range: (t0 + 900)..<(t0 + 5 * 3_600), step: 1_800, function: .max),
            AggregateQuery(series: pm, range: t0..<(t0 + 86_400), step: 86_400, function: .sum),
            AggregateQuery(series: otherPM, range: t0..<(t0 + 86_400), step: 3_600, function: .avg),  // no readings
            AggregateQuery(series: pm, range: t0..<t0, step: 3_600, function: .avg),  // empty range
        ]
        let batched = try await store.aggregate(queries)
        var single: [[AggregateRow]] = []
        for q in queries { single.append(try await store.aggregate(q)) }
        #expect(batched == single)
        #expect(batched.map(\.count)[0] == 6 && batched.map(\.count)[2...] == [1, 0, 0])
        #expect(!batched[1].isEmpty)
        #expect(batched[2].first?.value == Double((0..<36).reduce(0, +)))
        #expect(batched[0].first?.validCount == 5)  // the calibration reading does not count
        #expect(try await store.aggregate([AggregateQuery]()).isEmpty)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func batchedAggregatesRefuseABadQueryBeforeReadingAny(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let good = AggregateQuery(series: pm, range: t0..<(t0 + 3_600), step: 3_600, function: .avg)
        let error = await #expect(throws: StoreError.self) {
            try await opened.store.aggregate([good, AggregateQuery(series: pm, range: t0..<(t0 + 3_600), step: 0, function: .avg)])
        }
        #expect(error?.code == .badQuery)
        let flowless = await #expect(throws: StoreError.self) {
            try await opened.store.aggregate([good, AggregateQuery(series: pm, range: t0..<(t0 + 3_600), step: 3_600, function: .flowWeighted)])
        }
        #expect(flowless?.code == .badQuery)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func rollupRowsKeepCountsExtremesFlagsAndExpectedReadingsAndFollowLateData(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let store = opened.store
        // The first hour: four readings of six, one under maintenance; the second hour: one.
        _ = try await store.write([
            Sample(series: pm, time: t0, value: 10), Sample(series: pm, time: t0 + 600, value: 40),
            Sample(series: pm, time: t0 + 1_200, value: 999, flag: .maintenance), Sample(series: pm, time: t0 + 1_800, value: 25),
            Sample(series: pm, time: t0 + 3_600, value: 8),
        ])
        var hours = try await store.rollupRows(of: pm, resolution: 3_600, in: t0..<(t0 + 86_400))
        #expect(hours.map(\.start) == [t0, t0 + 3_600])
        #expect(hours.map(\.count) == [4, 1])
        #expect(hours.map(\.validCount) == [3, 1])
        #expect(hours.map(\.sum) == [75, 8])
        #expect(hours.map(\.min) == [10, 8])
        #expect(hours.map(\.max) == [40, 8])
        #expect(hours.map(\.expectedCount) == [6, 6])
        #expect(hours[0].flags.contains(.maintenance) && !hours[1].flags.contains(.maintenance))
        #expect(hours[0].mean == 25)
        // The range picks buckets by their start.
        #expect(try await store.rollupRows(of: pm, resolution: 3_600, in: (t0 + 1)..<(t0 + 3_601)).map(\.start) == [t0 + 3_600])
        // A late reading and a changed one: the hour is recomputed.
        _ = try await store.write([Sample(series: pm, time: t0 + 2_400, value: 1), Sample(series: pm, time: t0 + 600, value: 50)])
        hours = try await store.rollupRows(of: pm, resolution: 3_600, in: t0..<(t0 + 86_400))
        #expect(hours.first.map { [$0.count, $0.validCount] } == [5, 4])
        #expect(hours.first?.sum == 86)
        #expect(hours.first?.min == 1)
        #expect(hours.first?.max == 50)
        // The local day (midnight in Shanghai) holds both hours; 144 readings are expected in it.
        let days = try await store.rollupRows(of: pm, resolution: 86_400, in: (t0 - 86_400)..<(t0 + 86_400))
        #expect(days.map(\.start) == [t0])
        #expect(days.first?.count == 6)
        #expect(days.first?.validCount == 5)
        #expect(days.first?.expectedCount == 144)
        #expect(try await store.rollupRows(of: otherPM, resolution: 3_600, in: t0..<(t0 + 86_400)).isEmpty)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func storedSeriesTellTheZoneIntervalAndUnitTheyWereWrittenWith(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station, other))
        _ = try await opened.store.write([Sample(series: so2, time: t0, value: 1), Sample(series: pm, time: t0, value: 2), Sample(series: otherPM, time: t0, value: 3)])
        let stored = try await opened.store.storedSeries(ofStation: "site")
        #expect(stored.map(\.key) == [pm, so2])
        #expect(stored.map(\.interval) == [600, 600])
        #expect(stored.map(\.timeZone.identifier) == ["Asia/Shanghai", "Asia/Shanghai"])
        #expect(stored.map(\.unit) == [station.parameter("PM2.5")?.unit, station.parameter("SO2")?.unit])
        #expect(try await opened.store.storedSeries(ofStation: "nowhere").isEmpty)
        await opened.close()
    }
}
