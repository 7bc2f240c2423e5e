import EnvmonTesting
import Monitoring
@testable import Store
import Testing

/// The batched reads an overview of many stations makes: the newest sample of every series in
/// one query, and many aggregates in one read transaction.
@Suite struct BatchReadTests {
    let dir = TemporaryDirectory()
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    func store() throws -> SQLiteStore {
        let a = TestStations.station("a", interval: 60, parameters: ["PM2.5", "PM10"])
        let b = TestStations.station("b", interval: 60, parameters: ["PM2.5"])
        let c = TestStations.station("c", interval: 60, parameters: ["PM2.5"])
        return try SQLiteStore(path: dir.file("batch.sqlite"), stations: TestStations.registry(a, b, c), retention: .forever)
    }

    @Test func latestOfEverySeriesIsWhatLatestOfEachSays() async throws {
        let store = try store()
        let a25 = SeriesKey(station: "a", parameter: "PM2.5", kind: .minute)
        let a10 = SeriesKey(station: "a", parameter: "PM10", kind: .minute)
        let aHour = SeriesKey(station: "a", parameter: "PM2.5", kind: .hour)
        let b25 = SeriesKey(station: "b", parameter: "PM2.5", kind: .minute)
        var samples = (0..<120).map { Sample(series: a25, time: t0 + Int64($0) * 60, value: Double($0)) }
        samples += (0..<30).map { Sample(series: a10, time: t0 + Int64($0) * 60, value: 100 + Double($0)) }
        samples.append(Sample(series: aHour, time: t0, value: 7))
        // b's newest reading is flagged: it is still the newest.
        samples.append(Sample(series: b25, time: t0 + 60, value: 3))
        samples.append(Sample(series: b25, time: t0 + 120, value: 999, flag: .calibration))
        _ = try await store.write(samples)

        let all = try await store.latestOfEverySeries()
        #expect(all.count == 4, "c has no series")
        #expect(all[a25] == StoredSample(time: t0 + 119 * 60, value: 119, flag: .normal))
        #expect(all[a10]?.value == 129)
        #expect(all[aHour]?.time == t0)
        #expect(all[b25] == StoredSample(time: t0 + 120, value: 999, flag: .calibration))
        #expect(all == (try await store.latest(of: [a25, a10, aHour, b25])))
    }

    @Test func latestOfEverySeriesSeeksInsteadOfReadingEverySample() async throws {
        let store = try store()
        let key = SeriesKey(station: "a", parameter: "PM2.5", kind: .minute)
        _ = try await store.write((0..<2_880).map { Sample(series: key, time: t0 + Int64($0) * 60, value: 1) })
        let steps = try await store.virtualMachineSteps(BatchSQL.latestOfEverySeries, [])
        #expect(steps < 200, "\(steps) steps for one series of 2,880 samples")
        let plan = try await store.queryPlan(BatchSQL.latestOfEverySeries)
        #expect(plan.filter { $0.hasPrefix("SCAN ") }.allSatisfy { $0.contains("se") && !$0.contains("sample") }, "\(plan)")
    }

    @Test func batchedAggregatesAnswerAsSingleQueriesDo() async throws {
        let store = try store()
        let a = SeriesKey(station: "a", parameter: "PM2.5", kind: .minute)
        let b = SeriesKey(station: "b", parameter: "PM2.5", kind: .minute)
        _ = try await store.write(
            (0..<180).flatMap { i in
                [Sample(series: a, time: t0 + Int64(i) * 60, value: Double(i)), Sample(series: b, time: t0 + Int64(i) * 60, value: 2)]
            })
        let queries = [
            AggregateQuery(series: a, range: t0..<(t0 + 3 * 3_600), step: 3_600, function: .avg),
            AggregateQuery(series: b, range: (t0 + 1_800)..<(t0 + 7_200), step: 3_600, function: .max),
            AggregateQuery(series: SeriesKey(station: "c", parameter: "PM2.5", kind: .minute), range: t0..<(t0 + 3_600), step: 3_600, function: .avg),
            AggregateQuery(series: a, range: t0..<t0, step: 3_600, function: .avg),
        ]
        let batched = try await store.aggregate(queries)
        #expect(batched.count == 4)
        for (query, rows) in zip(queries, batched) { #expect(rows == (try await store.aggregate(query))) }
        #expect(batched[0].map(\.value) == [29.5, 89.5, 149.5])
        #expect(batched[1].first?.partial == true && batched[2].isEmpty && batched[3].isEmpty)
        await #expect(throws: StoreError.self) {
            _ = try await store.aggregate([AggregateQuery(series: a, range: t0..<(t0 + 60), step: 0, function: .avg)])
        }
    }
}
