import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// Buckets the query range cuts, at either end, are kept and marked partial, over the readings
/// inside the range.
@Suite struct PartialBucketTests {
    let dir = TemporaryDirectory()
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    // 2024-01-01T00:00:00+08:00, a local midnight.
    let t0: Int64 = 1_704_038_400

    /// `days` local days of minute readings, all valid, each worth 1.
    func store(days: Int = 3) async throws -> SQLiteStore {
        let store = try SQLiteStore(path: dir.file("partial.sqlite"), stations: TestStations.registry(station), retention: .forever)
        _ = try await store.write((0..<(days * 1_440)).map { Sample(series: key, time: t0 + Int64($0) * 60, value: 1) })
        return store
    }

    func count(_ store: SQLiteStore, _ range: Range<Int64>, step: Int64) async throws -> [AggregateRow] {
        try await store.aggregate(AggregateQuery(series: key, range: range, step: step, function: .count))
    }

    @Test func dayStepKeepsTheCutFirstAndLastDaysAndMarksThem() async throws {
        let store = try await store()
        // Noon of the first day to noon of the third.
        let rows = try await count(store, (t0 + 43_200)..<(t0 + 2 * 86_400 + 43_200), step: 86_400)
        #expect(rows.map(\.start) == [t0, t0 + 86_400, t0 + 2 * 86_400])
        #expect(rows.map(\.partial) == [true, false, true])
        // Only the readings inside the range, and only those expected there.
        #expect(rows.map(\.validCount) == [720, 1_440, 720])
        #expect(rows.map(\.expectedCount) == [720, 1_440, 720])
        #expect(rows.map(\.value) == [720, 1_440, 720])
    }

    @Test func hourStepCutsAtBothEndsLikeTheDayStep() async throws {
        let store = try await store()
        let rows = try await count(store, (t0 + 1_800)..<(t0 + 3 * 3_600 + 1_800), step: 3_600)
        #expect(rows.map(\.start) == [t0, t0 + 3_600, t0 + 7_200, t0 + 10_800])
        #expect(rows.map(\.partial) == [true, false, false, true])
        #expect(rows.map(\.validCount) == [30, 60, 60, 30])
        #expect(rows.map(\.expectedCount) == [30, 60, 60, 30])
    }

    @Test func stepsFromRawSamplesCutAtBothEndsToo() async throws {
        let store = try await store(days: 1)
        // 15 minutes is not whole hours: every bucket comes from the raw samples.
        let rows = try await count(store, (t0 + 7 * 60)..<(t0 + 52 * 60), step: 900)
        #expect(rows.map(\.start) == [t0, t0 + 900, t0 + 1_800, t0 + 2_700])
        #expect(rows.map(\.partial) == [true, false, false, true])
        #expect(rows.map(\.validCount) == [8, 15, 15, 7])
        #expect(rows.map(\.expectedCount) == [8, 15, 15, 7])
    }

    @Test func aRangeInsideOneBucketAndARangeOfWholeBucketsNeitherDropsNorMarks() async throws {
        let store = try await store(days: 1)
        let inside = try await count(store, (t0 + 600)..<(t0 + 1_200), step: 3_600)
        #expect(inside.map(\.start) == [t0])
        #expect(inside.map(\.partial) == [true])
        #expect(inside.map(\.validCount) == [10])
        let whole = try await count(store, t0..<(t0 + 86_400), step: 86_400)
        #expect(whole.map(\.partial) == [false])
        #expect(whole.map(\.validCount) == [1_440])
        #expect(whole.map(\.expectedCount) == [1_440])
    }

    @Test func aQueryNamesTheBucketsItCuts() {
        let query = AggregateQuery(series: key, range: (t0 + 43_200)..<(t0 + 86_400), step: 86_400, function: .avg)
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        #expect(query.bucket(containing: t0 + 43_200, in: zone) == t0..<(t0 + 86_400))
        let hours = AggregateQuery(series: key, range: (t0 + 1_800)..<(t0 + 7_200), step: 3_600, function: .avg)
        #expect(hours.bucket(containing: t0 + 1_800, in: zone) == t0..<(t0 + 3_600))
    }
}
