import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// What every ``TimeSeriesStore`` promises, run against each backend: SQLite, and a private
/// PostgreSQL server (one for the whole run, a fresh database per test) with each way of
/// sending new samples.
@Suite struct StoreSuite {
    let station = TestStations.station("site", parameters: ["PM2.5", "SO2"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    func s(_ t: Int64, _ v: Double, _ f: DataFlag = .normal) -> Sample { Sample(series: key, time: t, value: v, flag: f) }

    func hour(_ store: any TimeSeriesStore, _ function: Aggregation, from start: Int64? = nil) async throws -> [AggregateRow] {
        let start = start ?? t0
        return try await store.aggregate(AggregateQuery(series: key, range: start..<(start + 3_600), step: 3_600, function: function))
    }

    @Test(arguments: Backend.allCases)
    func upsertSameValueIsNoOpAndChangedValueIsAudited(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station), clock: { 1_700_000_123 })
        let store = opened.store
        let first = try await store.write([s(t0, 10), s(t0 + 60, 20)])
        #expect(first.outcomes == [.inserted, .inserted])
        let again = try await store.write([s(t0, 10), s(t0 + 60, 25), s(t0 + 120, 30, .maintenance)])
        #expect(again.outcomes == [.duplicate, .changed, .inserted])
        #expect(again.summary.duplicates == 1 && again.summary.changed == 1 && again.summary.inserted == 1)
        // A flag change alone is a change too.
        let flagged = try await store.write([s(t0 + 120, 30, .normal)])
        #expect(flagged.outcomes == [.changed])
        #expect(try await store.samples(of: key, in: t0..<(t0 + 3_600)).map(\.value) == [10, 25, 30])
        let revisions = try await store.revisions(of: key)
        #expect(revisions.map { $0.time } == [t0 + 60, t0 + 120])
        #expect(revisions.map { $0.old } == [StoredSample(time: t0 + 60, value: 20, flag: .normal), StoredSample(time: t0 + 120, value: 30, flag: .maintenance)])
        #expect(revisions.map { $0.new } == [StoredSample(time: t0 + 60, value: 25, flag: .normal), StoredSample(time: t0 + 120, value: 30, flag: .normal)])
        // The hour rollup follows the replacements.
        let avg = try await hour(store, .avg)
        #expect(avg.first?.value == 65.0 / 3)
        #expect(avg.first?.validCount == 3)
        #expect(try await store.sampleCount(of: key) == 3)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func twoSamplesForOneInstantInOneBatchKeepTheLater(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let r = try await opened.store.write([s(t0, 1), s(t0, 2)])
        #expect(r.outcomes == [.duplicate, .inserted])
        #expect(try await opened.store.samples(of: key, in: t0..<(t0 + 1)).map(\.value) == [2])
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func unknownSeriesIsRefusedNotCreated(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let r = try await opened.store.write([
            Sample(series: SeriesKey(station: "nowhere", parameter: "PM2.5", kind: .realtime), time: t0, value: 1),
            Sample(series: SeriesKey(station: "site", parameter: "COD", kind: .realtime), time: t0, value: 1),
            s(t0, 3),
        ])
        #expect(r.outcomes == [.unknownSeries, .unknownSeries, .inserted])
        #expect(r.summary.unknownSeries == 2)
        #expect(try await opened.store.allSeries() == [key])
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func rollupsCountFlaggedReadingsButAverageValidOnes(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let store = opened.store
        _ = try await store.write([s(t0, 10), s(t0 + 600, 30), s(t0 + 1_200, 500, .calibration), s(t0 + 1_800, 20, .maintenance)])
        let rows = try await hour(store, .avg)
        #expect(rows.count == 1)
        #expect(rows.first?.value == 20)
        #expect(rows.first?.validCount == 2)
        #expect(rows.first?.count == 4)
        #expect(rows.first?.expectedCount == 1)  // the station reports hourly
        #expect(rows.first?.flags == DataFlagSet([.normal, .calibration, .maintenance]))
        #expect(try await hour(store, .max).first?.value == 30)
        #expect(try await hour(store, .min).first?.value == 10)
        // A bucket with readings but none valid has no value, and still counts them.
        _ = try await store.write([s(t0 + 3_600, 7, .fault)])
        let flaggedOnly = try await hour(store, .avg, from: t0 + 3_600)
        #expect(flaggedOnly.first?.value == nil)
        #expect(flaggedOnly.first?.count == 1)
        #expect(flaggedOnly.first?.validCount == 0)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func lateDataRecomputesClosedBuckets(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let store = opened.store
        _ = try await store.write((0..<6).map { s(t0 + Int64($0) * 3_600, 10) })
        // A reading for the first hour arrives after five later hours: that bucket is closed.
        let late = try await store.write([s(t0 + 1_800, 40)])
        #expect(late.summary.inserted == 1)
        #expect(late.summary.recomputedBuckets == 1)  // its hour; its day is still open and merges
        let hours = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 6 * 3_600), step: 3_600, function: .avg))
        #expect(hours.map(\.value) == [25, 10, 10, 10, 10, 10])
        #expect(hours.first?.validCount == 2)
        let day = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 86_400), step: 86_400, function: .sum))
        #expect(day.first?.value == 100)
        #expect(day.first?.validCount == 7)
        // A changed reading in a closed bucket is recomputed too.
        let changed = try await store.write([s(t0 + 1_800, 0)])
        #expect(changed.summary.recomputedBuckets == 2)  // a change marks its hour and its day
        #expect(try await hour(store, .min).first?.value == 0)
        #expect(try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 86_400), step: 86_400, function: .sum)).first?.value == 60)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func dayBucketsFollowTheStationsLocalMidnight(_ backend: Backend) async throws {
        let opened = try await backend.makeLocation().open(TestStations.registry(station))
        let store = opened.store
        // 23:30 and 00:30 local on either side of midnight, +08:00: 15:30Z and 16:30Z.
        _ = try await store.write([s(t0 - 1_800, 10), s(t0 + 1_800, 30)])
        let days = try await store.aggregate(AggregateQuery(series: key, range: (t0 - 86_400)..<(t0 + 86_400), step: 86_400, function: .avg))
        #expect(days.map(\.start) == [t0 - 86_400, t0])
        #expect(days.map(\.value) == [10, 30])
        // A step that is not whole hours comes from the raw samples, aligned to the local clock.
        let quarter = try await store.aggregate(AggregateQuery(series: key, range: (t0 - 3_600)..<(t0 + 3_600), step: 900, function: .avg))
        #expect(quarter.map(\.start) == [t0 - 1_800, t0 + 1_800])
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func dstDaysAre23And25HoursLong(_ backend: Backend) async throws {
        let ny = TestStations.station("ny", zone: "America/New_York", interval: 3_600, parameters: ["PM2.5"])
        let opened = try await backend.makeLocation().open(TestStations.registry(ny))
        let nyKey = SeriesKey(station: "ny", parameter: "PM2.5", kind: .hour)
        // 2024-03-10 (spring forward) local midnight is 05:00Z; 2024-11-03 (fall back) is 04:00Z.
        let spring: Int64 = 1_710_046_800
        let fall: Int64 = 1_730_606_400
        let samples = (0..<23).map { Sample(series: nyKey, time: spring + Int64($0) * 3_600, value: 1) }
            + (0..<25).map { Sample(series: nyKey, time: fall + Int64($0) * 3_600, value: 1) }
        _ = try await opened.store.write(samples)
        let days = try await opened.store.aggregate(
            AggregateQuery(series: nyKey, range: spring..<(fall + 2 * 86_400), step: 86_400, function: .count))
        #expect(days.map(\.validCount) == [23, 25])
        #expect(days.map(\.expectedCount) == [23, 25])
        #expect(days.map { $0.end - $0.start } == [82_800, 90_000])
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func flowWeightedMeanPairsReadingsWithFlow(_ backend: Backend) async throws {
        let outlet = TestStations.station("outlet", kind: .dischargeOutlet, parameters: ["COD", "Q-water"])
        let opened = try await backend.makeLocation().open(TestStations.registry(outlet))
        let cod = SeriesKey(station: "outlet", parameter: "COD", kind: .hour)
        let q = SeriesKey(station: "outlet", parameter: "Q-water", kind: .hour)
        _ = try await opened.store.write([
            Sample(series: cod, time: t0, value: 10), Sample(series: q, time: t0, value: 1),
            Sample(series: cod, time: t0 + 3_600, value: 40), Sample(series: q, time: t0 + 3_600, value: 3),
            Sample(series: cod, time: t0 + 7_200, value: 99), Sample(series: q, time: t0 + 7_200, value: 5, flag: .fault),
        ])
        let rows = try await opened.store.aggregate(
            AggregateQuery(series: cod, range: t0..<(t0 + 86_400), step: 86_400, function: .flowWeighted, flow: q))
        #expect(rows.first?.value == (10.0 * 1.0 + 40.0 * 3.0) / 4.0)
        #expect(rows.first?.validCount == 2)
        #expect(rows.first?.count == 3)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func latestAndSpanSurviveAReopen(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let other = SeriesKey(station: "site", parameter: "SO2", kind: .realtime)
        do {
            let opened = try await location.open(TestStations.registry(station))
            _ = try await opened.store.write([s(t0, 1), s(t0 + 60, 2), Sample(series: other, time: t0 - 86_400 * 40, value: 9)])
            await opened.close()
        }
        let opened = try await location.open(TestStations.registry(station))
        let store = opened.store
        let latest = try await store.latest(of: [key, other, SeriesKey(station: "site", parameter: "SO2", kind: .hour)])
        #expect(latest == [key: StoredSample(time: t0 + 60, value: 2, flag: .normal), other: StoredSample(time: t0 - 86_400 * 40, value: 9, flag: .normal)])
        #expect(try await store.span(of: key) == t0...(t0 + 60))
        #expect(try await store.oldestTime(of: key) == t0)
        #expect(try await store.newestTime(of: key) == t0 + 60)
        #expect(try await store.span(of: SeriesKey(station: "site", parameter: "SO2", kind: .minute)) == nil)
        // The newest reading survives the reopen: one older than it, in the same open hour, merges.
        let r = try await store.write([s(t0 + 30, 3)])
        #expect(r.summary.recomputedBuckets == 0)
        #expect(try await hour(store, .count).first?.validCount == 3)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func partialBucketsAtBothEndsCountOnlyWhatTheRangeCovers(_ backend: Backend) async throws {
        let minute = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
        let minuteKey = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
        let opened = try await backend.makeLocation().open(TestStations.registry(minute))
        let store = opened.store
        _ = try await store.write((0..<(3 * 1_440)).map { Sample(series: minuteKey, time: t0 + Int64($0) * 60, value: 1) })
        func count(_ range: Range<Int64>, step: Int64) async throws -> [AggregateRow] {
            try await store.aggregate(AggregateQuery(series: minuteKey, range: range, step: step, function: .count))
        }
        // Days: noon of the first day to noon of the third.
        let days = try await count((t0 + 43_200)..<(t0 + 2 * 86_400 + 43_200), step: 86_400)
        #expect(days.map(\.start) == [t0, t0 + 86_400, t0 + 2 * 86_400])
        #expect(days.map(\.partial) == [true, false, true])
        #expect(days.map(\.validCount) == [720, 1_440, 720])
        #expect(days.map(\.expectedCount) == [720, 1_440, 720])
        // Hours.
        let hours = try await count((t0 + 1_800)..<(t0 + 3 * 3_600 + 1_800), step: 3_600)
        #expect(hours.map(\.partial) == [true, false, false, true])
        #expect(hours.map(\.validCount) == [30, 60, 60, 30])
        #expect(hours.map(\.expectedCount) == [30, 60, 60, 30])
        // Steps from the raw samples.
        let quarters = try await count((t0 + 7 * 60)..<(t0 + 52 * 60), step: 900)
        #expect(quarters.map(\.start) == [t0, t0 + 900, t0 + 1_800, t0 + 2_700])
        #expect(quarters.map(\.validCount) == [8, 15, 15, 7])
        #expect(quarters.map(\.expectedCount) == [8, 15, 15, 7])
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func retentionDeletesOldRawSamplesAndRefusesOlderWrites(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let opened = try await location.open(TestStations.registry(station), retention: RetentionPolicy(raw: [.realtime: 86_400]))
        let store = opened.store
        let other = SeriesKey(station: "site", parameter: "SO2", kind: .hour)
        _ = try await store.write([s(t0, 1), s(t0 + 2 * 86_400, 2), Sample(series: other, time: t0, value: 5)])
        let report = try await store.applyRetention(now: t0 + 2 * 86_400 + 60)
        #expect(report.samplesDeleted[.realtime] == 1)
        #expect(try await store.samples(of: key, in: 0..<Int64.max).map(\.value) == [2])
        // Hour series have no raw limit in this policy; day rollups of the deleted reading remain.
        #expect(try await store.sampleCount(of: other) == 1)
        let day = try await store.aggregate(AggregateQuery(series: key, range: t0..<(t0 + 86_400), step: 86_400, function: .avg))
        #expect(day.first?.value == 1)
        #expect(try await store.oldestTime(of: key) == t0)  // from the rollups
        let refused = try await store.write([s(t0 + 10, 9), s(t0 + 3 * 86_400, 3)])
        #expect(refused.outcomes == [.beyondRetention, .inserted])
        #expect(refused.summary.beyondRetention == 1)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func retentionDropsWholeMonthsAndCountsWhatItDeletes(_ backend: Backend) async throws {
        let location = try await backend.makeLocation()
        let minute = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
        let minuteKey = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
        let opened = try await location.open(TestStations.registry(minute), retention: RetentionPolicy(raw: [.minute: 30 * 86_400]))
        let store = opened.store
        // 2024-01-01T00:00Z onwards: one reading an hour for 75 days (January, February, part of March).
        let jan1: Int64 = 1_704_067_200
        let samples = (0..<(75 * 24)).map { Sample(series: minuteKey, time: jan1 + Int64($0) * 3_600, value: 1) }
        #expect(try await store.write(samples).summary.inserted == 75 * 24)
        // Horizon 2024-02-10T00:00Z: January goes whole, February up to its 10th.
        let horizon: Int64 = 1_707_523_200
        let report = try await store.applyRetention(now: horizon + 30 * 86_400)
        #expect(report.samplesDeleted[.minute] == (31 + 9) * 24)
        #expect(try await store.sampleCount(of: minuteKey) == (75 - 40) * 24)
        #expect(try await store.span(of: minuteKey)?.upperBound == jan1 + Int64(75 * 24 - 1) * 3_600)
        #expect(try await store.samples(of: minuteKey, in: 0..<horizon).isEmpty)
        #expect(try await store.samples(of: minuteKey, in: horizon..<(horizon + 3_600)).count == 1)
        if backend != .sqlite {
            // January's partition is gone; February's (cut by the horizon) and March's stay.
            let tables = try await location.psql(
                "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'sample_minute'")
            #expect(tables?.contains("sample_minute_y2024m01") == false)
            #expect(tables?.contains("sample_minute_y2024m02") == true)
            #expect(tables?.contains("sample_minute_y2024m03") == true)
            #expect(tables?.contains("sample_minute_y2024m04") == true)  // the month after the newest, made ahead
        }
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func interleavedBatchesAndAShuffledResendKeepEverySampleOnce(_ backend: Backend) async throws {
        let parameters = ["PM2.5", "PM10", "SO2", "NO2", "CO", "O3"]
        let stations = StationRegistry((0..<5).map { TestStations.station("s\($0)", parameters: parameters) })
        let keys = stations.stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
        func feed(_ minutes: Range<Int>) -> [Sample] {
            minutes.flatMap { m in
                keys.enumerated().map { i, key in
                    Sample(series: key, time: t0 + Int64(m) * 60, value: Double((i * 31 + m * 17) % 200) / 4, flag: m % 97 == 5 ? .calibration : .normal)
                }
            }
        }
        let opened = try await backend.makeLocation().open(stations)
        let store = opened.store
        var inserted = 0
        for part in 0..<3 {
            let result = try await store.write(feed((part * 50)..<(part * 50 + 50)))
            #expect(result.outcomes.allSatisfy { $0 == .inserted })
            inserted += result.summary.inserted
        }
        #expect(inserted == keys.count * 150)
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 3)
        // The whole feed again, shuffled, with a batch-internal duplicate and one changed value.
        var again = feed(0..<150).shuffled()
        let changed = again[7]
        again[7] = Sample(series: changed.series, time: changed.time, value: changed.value + 1, flag: changed.flag)
        again.append(again[0])
        let result = try await store.write(again)
        #expect(result.summary.inserted == 0)
        #expect(result.summary.changed == 1)
        #expect(result.summary.duplicates == again.count - 1)
        #expect(result.outcomes[7] == .changed)
        for key in keys { #expect(try await store.sampleCount(of: key) == 150) }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 3)
        await opened.close()
    }

    /// A new batch out of time order within its series (the writers order a batch by series and
    /// time; the PostgreSQL one buckets a batch in time order by series and sorts only one that
    /// is not): every sample is stored once, the rollups agree with the samples, and a reading
    /// given twice for one instant keeps the later one.
    @Test(arguments: Backend.allCases)
    func aShuffledNewBatchIsStoredInTimeOrder(_ backend: Backend) async throws {
        let parameters = ["PM2.5", "SO2"]
        let stations = StationRegistry((0..<3).map { TestStations.station("s\($0)", parameters: parameters) })
        let keys = stations.stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
        var batch = (0..<120).flatMap { m in keys.enumerated().map { i, key in Sample(series: key, time: t0 + Int64(m) * 60, value: Double(i * 1_000 + m)) } }
        var generator = SystemRandomNumberGenerator()
        batch.shuffle(using: &generator)
        let twice = batch[3]
        batch.append(Sample(series: twice.series, time: twice.time, value: -1))
        let opened = try await backend.makeLocation().open(stations)
        let store = opened.store
        let result = try await store.write(batch)
        #expect(result.summary.inserted == keys.count * 120)
        #expect(result.summary.duplicates == 1)
        for key in keys { #expect(try await store.sampleCount(of: key) == 120) }
        let stored = try await store.samples(of: twice.series, in: twice.time..<(twice.time + 1))
        #expect(stored.map(\.value) == [-1])
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 2)
        await opened.close()
    }

    @Test(arguments: Backend.allCases)
    func aWriterWhoseMarksAreStaleStillStoresEverySampleOnce(_ backend: Backend) async throws {
        // Two writers on one store: the first remembers its series' newest samples, then the
        // second stores newer ones behind its back.
        let location = try await backend.makeLocation()
        let minute = TestStations.station("site", interval: 60, parameters: ["PM2.5", "SO2"])
        let keys = ["PM2.5", "SO2"].map { SeriesKey(station: "site", parameter: $0, kind: .minute) }
        func feed(_ minutes: Range<Int>) -> [Sample] {
            minutes.flatMap { m in keys.map { Sample(series: $0, time: t0 + Int64(m) * 60, value: Double(m)) } }
        }
        let first = try await location.open(TestStations.registry(minute))
        _ = try await first.store.write(feed(0..<60))
        let second = try await location.open(TestStations.registry(minute))
        _ = try await second.store.write(feed(60..<120))
        await second.close()
        let result = try await first.store.write(feed(60..<180))
        #expect(result.summary.inserted == 2 * 60)
        #expect(result.summary.duplicates == 2 * 60)
        for key in keys { #expect(try await first.store.sampleCount(of: key) == 180) }
        try await expectRollupsMatchRaw(first.store, keys: keys, from: t0, hours: 3, includingDay: true)
        await first.close()
    }
}

/// Checks a store's hour rollups (and, with `includingDay`, the day count of the first local day)
/// against the raw samples it returns, for each series over `hours` hours from `start`.
func expectRollupsMatchRaw(
    _ store: any TimeSeriesStore, keys: [SeriesKey], from start: Int64, hours: Int, includingDay: Bool = false
) async throws {
    let range = start..<(start + Int64(hours) * 3_600)
    for key in keys {
        let raw = try await store.samples(of: key, in: range)
        let rows = try await store.aggregate(AggregateQuery(series: key, range: range, step: 3_600, function: .sum))
        #expect(rows.count == hours, "\(key)")
        for row in rows {
            let inHour = raw.filter { $0.time >= row.start && $0.time < row.end }
            let valid = inHour.filter { $0.flag.isValid }
            #expect(row.count == inHour.count, "\(key) hour \(row.start)")
            #expect(row.validCount == valid.count, "\(key) hour \(row.start)")
            #expect(row.value == (valid.isEmpty ? nil : valid.reduce(0) { $0 + $1.value }), "\(key) hour \(row.start)")
        }
        if includingDay {
            let days = try await store.aggregate(AggregateQuery(series: key, range: start..<(start + 86_400), step: 86_400, function: .count))
            #expect(days.first?.validCount == raw.filter { $0.flag.isValid }.count)
        }
    }
}
