import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

@Suite struct SQLiteStoreTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock(1_700_000_000)
    let station = TestStations.station("site", parameters: ["PM2.5", "SO2"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    func open(_ retention: RetentionPolicy = .forever) throws -> SQLiteStore {
        let clock = self.clock
        return try SQLiteStore(
            path: dir.file("store.sqlite"), stations: TestStations.registry(station), retention: retention, clock: { clock.now })
    }

    func s(_ t: Int64, _ v: Double, _ f: DataFlag = .normal) -> Sample { Sample(series: key, time: t, value: v, flag: f) }

    @Test func upsertSameValueIsNoOpAndChangedValueIsAudited() async throws {
        let store = try open()
        let first = try await store.write([s(t0, 10), s(t0 + 60, 20)])
        #expect(first.summary.inserted == 2)
        let again = try await store.write([s(t0, 10), s(t0 + 60, 25)])
        #expect(again.outcomes == [.duplicate, .changed])
        #expect(again.summary.inserted == 0)
        let stored = try await store.samples(of: key, in: t0..<(t0 + 3_600))
        #expect(stored.map(\.value) == [10, 25])
        let revisions = try await store.revisions(of: key)
        #expect(revisions.count == 1)
        #expect(revisions.first?.old.value == 20)
        #expect(revisions.first?.new.value == 25)
        // The hour rollup follows the replacement.
        let hour = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 3_600), step: 3_600, function: .avg))
        #expect(hour.first?.value == 17.5)
        #expect(try await store.sampleCount(of: key) == 2)
    }

    @Test func twoSamplesForOneInstantInOneBatchKeepTheLater() async throws {
        let store = try open()
        let r = try await store.write([s(t0, 1), s(t0, 2)])
        #expect(r.outcomes == [.duplicate, .inserted])
        #expect(try await store.samples(of: key, in: t0..<(t0 + 1)).map(\.value) == [2])
    }

    @Test func unknownSeriesIsRefusedNotCreated() async throws {
        let store = try open()
        let r = try await store.write([
            Sample(series: SeriesKey(station: "nowhere", parameter: "PM2.5", kind: .realtime), time: t0, value: 1),
            Sample(series: SeriesKey(station: "site", parameter: "COD", kind: .realtime), time: t0, value: 1),
            s(t0, 3),
        ])
        #expect(r.outcomes == [.unknownSeries, .unknownSeries, .inserted])
        #expect(try await store.allSeries() == [key])
    }

    @Test func rollupsCountFlaggedReadingsButAverageValidOnes() async throws {
        let store = try open()
        _ = try await store.write([s(t0, 10), s(t0 + 600, 30), s(t0 + 1_200, 500, .calibration), s(t0 + 1_800, 20, .maintenance)])
        let rows = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 3_600), step: 3_600, function: .avg))
        #expect(rows.count == 1)
        #expect(rows[0].value == 20)
        #expect(rows[0].validCount == 2)
        #expect(rows[0].count == 4)
        #expect(rows[0].expectedCount == 1)  // the station reports hourly
        #expect(rows[0].flags == DataFlagSet([.normal, .calibration, .maintenance]))
        let mx = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 3_600), step: 3_600, function: .max))
        #expect(mx[0].value == 30)
    }

    @Test func lateDataRecomputesClosedBuckets() async throws {
        let store = try open()
        _ = try await store.write((0..<6).map { s(t0 + Int64($0) * 3_600, 10) })
        // A reading for the first hour arrives after five later hours: that bucket is closed.
        let late = try await store.write([s(t0 + 1_800, 40)])
        #expect(late.summary.inserted == 1)
        #expect(late.summary.recomputedBuckets == 1)  // its hour; its day is still open and merges incrementally
        let hours = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 6 * 3_600), step: 3_600, function: .avg))
        #expect(hours.map(\.value) == [25, 10, 10, 10, 10, 10])
        #expect(hours[0].validCount == 2)
        let day = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 86_400), step: 86_400, function: .sum))
        #expect(day.first?.value == 100)
        #expect(day.first?.validCount == 7)
        // A changed reading in a closed bucket is recomputed too.
        _ = try await store.write([s(t0 + 1_800, 0)])
        let again = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 3_600), step: 3_600, function: .min))
        #expect(again.first?.value == 0)
    }

    @Test func dayBucketsFollowTheStationsLocalMidnight() async throws {
        let store = try open()
        // 23:30 and 00:30 local on either side of midnight, +08:00: 15:30Z and 16:30Z.
        _ = try await store.write([s(t0 - 1_800, 10), s(t0 + 1_800, 30)])
        let days = try await store.aggregate(AggregateQuery(series: key, range: (t0 - 86_400)..<(t0 + 86_400), step: 86_400, function: .avg))
        #expect(days.map(\.start) == [t0 - 86_400, t0])
        #expect(days.map(\.value) == [10, 30])
        // A step that is not whole hours comes from the raw samples, aligned to the local clock.
        let quarter = try await store.aggregate(AggregateQuery(series: key, range: (t0 - 3_600)..<(t0 + 3_600), step: 900, function: .avg))
        #expect(quarter.map(\.start) == [t0 - 1_800, t0 + 1_800])
    }

    @Test func dstDaysAre23And25HoursLong() async throws {
        let ny = TestStations.station("ny", zone: "America/New_York", interval: 3_600, parameters: ["PM2.5"])
        let store = try SQLiteStore(path: dir.file("ny.sqlite"), stations: TestStations.registry(ny), retention: .forever)
        let nyKey = SeriesKey(station: "ny", parameter: "PM2.5", kind: .hour)
        // 2024-03-10 (spring forward) local midnight is 05:00Z; 2024-11-03 (fall back) is 04:00Z.
        let spring: Int64 = 1_710_046_800
        let fall: Int64 = 1_730_606_400
        let samples = (0..<23).map { Sample(series: nyKey, time: spring + Int64($0) * 3_600, value: 1) }
            + (0..<25).map { Sample(series: nyKey, time: fall + Int64($0) * 3_600, value: 1) }
        _ = try await store.write(samples)
        let days = try await store.aggregate(AggregateQuery(series: nyKey, range: spring..<(fall + 2 * 86_400), step: 86_400, function: .count))
        #expect(days.map(\.validCount) == [23, 25])
        #expect(days.map(\.expectedCount) == [23, 25])
        let lengths: [Int64] = days.map { $0.end - $0.start }
        #expect(lengths == [82_800, 90_000])
    }

    @Test func retentionDeletesOldRawSamplesAndRefusesOlderWrites() async throws {
        let store = try open(RetentionPolicy(raw: [.realtime: 86_400], hourRollups: nil, dayRollups: nil))
        let other = SeriesKey(station: "site", parameter: "SO2", kind: .hour)
        _ = try await store.write([s(t0, 1), s(t0 + 2 * 86_400, 2), Sample(series: other, time: t0, value: 5)])
        let report = try await store.applyRetention(now: t0 + 2 * 86_400 + 60)
        #expect(report.samplesDeleted[.realtime] == 1)
        #expect(try await store.samples(of: key, in: 0..<Int64.max).map(\.value) == [2])
        // Hour series have no raw limit in this policy; day rollups of the deleted reading remain.
        #expect(try await store.sampleCount(of: other) == 1)
        let day = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 86_400), step: 86_400, function: .avg))
        #expect(day.first?.value == 1)
        let refused = try await store.write([s(t0 + 10, 9)])
        #expect(refused.outcomes == [.beyondRetention])
    }

    @Test func flowWeightedMeanPairsReadingsWithFlow() async throws {
        let outlet = TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD", "Q-water"])
        let store = try SQLiteStore(path: dir.file("w.sqlite"), stations: TestStations.registry(outlet), retention: .forever)
        let cod = SeriesKey(station: "outlet", parameter: "COD", kind: .hour)
        let q = SeriesKey(station: "outlet", parameter: "Q-water", kind: .hour)
        _ = try await store.write([
            Sample(series: cod, time: t0, value: 10), Sample(series: q, time: t0, value: 1),
            Sample(series: cod, time: t0 + 3_600, value: 40), Sample(series: q, time: t0 + 3_600, value: 3),
            Sample(series: cod, time: t0 + 7_200, value: 99), Sample(series: q, time: t0 + 7_200, value: 5, flag: .fault),
        ])
        let rows = try await store.aggregate(AggregateQuery(series: cod, range: t0..<(t0 + 86_400), step: 86_400, function: .flowWeighted, flow: q))
        let expected: Double = (10.0 * 1.0 + 40.0 * 3.0) / 4.0
        #expect(rows.first?.value == expected)
        #expect(rows.first?.validCount == 2)
        #expect(rows.first?.count == 3)
    }

    @Test func latestAndReopenKeepEverything() async throws {
        do {
            let store = try open()
            _ = try await store.write([s(t0, 1), s(t0 + 60, 2)])
            try store.close()
        }
        let store = try open()
        let latest = try await store.latest(of: [key])
        #expect(latest[key] == StoredSample(time: t0 + 60, value: 2, flag: .normal))
        // High-water marks survive: a reading older than the newest is late and recomputes.
        let r = try await store.write([s(t0 + 30, 3)])
        #expect(r.summary.recomputedBuckets == 0)  // same hour is still open (its end is after the newest reading)
        let hour = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 3_600), step: 3_600, function: .count))
        #expect(hour.first?.validCount == 3)
    }
}
