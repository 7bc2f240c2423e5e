import EnvmonTesting
import Monitoring
@testable import Store
import Testing

/// The plans of the store's reads (the statements in ``ReadSQL``, which the reads run): each
/// reaches its rows through a primary key or index, bounded on both sides where it reads a
/// range, so that a read costs what it returns and not the size of the store or the series.
@Suite struct ReadPlanTests {
    let dir = TemporaryDirectory()
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    /// A store with two days of minute data in one series, with its rollups, and a neighbour;
    /// with `analyzed`, with the statistics of ANALYZE too (which can change plans).
    func filledStore(analyzed: Bool = false) async throws -> SQLiteStore {
        let station = TestStations.station("site", interval: 60, parameters: ["PM2.5", "PM10"])
        let store = try SQLiteStore(path: dir.file("plans.sqlite"), stations: TestStations.registry(station), retention: .forever)
        let other = SeriesKey(station: "site", parameter: "PM10", kind: .minute)
        let samples = (0..<2_880).flatMap { i in
            [Sample(series: key, time: t0 + Int64(i) * 60, value: 1), Sample(series: other, time: t0 + Int64(i) * 60, value: 2)]
        }
        _ = try await store.write(samples)
        if analyzed { try await store.analyze() }
        return store
    }

    @Test(arguments: ReadSQL.all.map(\.name), [false, true])
    func readNeverScansATable(_ name: String, analyzed: Bool) async throws {
        let store = try await filledStore(analyzed: analyzed)
        let sql = try #require(ReadSQL.all.first { $0.name == name }?.sql)
        let plan = try await store.queryPlan(sql)
        #expect(!plan.isEmpty)
        for line in plan {
            // SCAN CONSTANT ROW is the outer SELECT of scalar subqueries, not a table.
            let scans = line.hasPrefix("SCAN ") && line != "SCAN CONSTANT ROW"
            #expect(!scans, "\(name) scans: \(line)\n\(sql)")
            #expect(!line.contains("TEMP B-TREE"), "\(name) sorts instead of reading in index order: \(line)")
        }
    }

    /// Partial indexes whose every row is one the read returns: scanning them is reading the answer.
    static let answerIndexes = ["alert_outbox_pending", "alert_outbox_unrouted", "outbox_delivery_due"]

    @Test(arguments: AlertReadSQL.all.map(\.name), [false, true])
    func alertReadNeverScansATable(_ name: String, analyzed: Bool) async throws {
        let store = try await filledStore(analyzed: analyzed)
        let sql = try #require(AlertReadSQL.all.first { $0.name == name }?.sql)
        let plan = try await store.queryPlan(sql)
        #expect(!plan.isEmpty)
        for line in plan where line.hasPrefix("SCAN ") && line != "SCAN CONSTANT ROW" {
            let ofAnswer = Self.answerIndexes.contains { line.hasSuffix("USING INDEX \($0)") || line.hasSuffix("USING COVERING INDEX \($0)") }
            #expect(ofAnswer, "\(name) scans: \(line)\n\(sql)")
        }
    }

    @Test(arguments: ["samples", "rollups", "rollupsWithoutExtremes", "withFlow"])
    func rangeReadsAreBoundedOnBothSides(_ name: String) async throws {
        let store = try await filledStore()
        let sql = try #require(ReadSQL.all.first { $0.name == name }?.sql)
        let plan = try await store.queryPlan(sql)
        // The outer table of the range (the first SEARCH): a seek to the start of the range and a
        // stop at its end, not every row of the series from the start.
        let search = try #require(plan.first { $0.hasPrefix("SEARCH ") }, "\(plan)")
        #expect(search.contains(">?") && search.contains("<?"), "\(name): \(search)")
    }

    @Test func spanLooksUpEachEndWithOneSeek() async throws {
        let store = try await filledStore()
        let id: Int64 = 1
        // What the span query was before: the same SEARCH in the plan, but every sample of the
        // series visited. The step count tells the two apart where the plan does not.
        let minMax = try await store.virtualMachineSteps("SELECT min(ts), max(ts) FROM sample WHERE series = ?", [id])
        #expect(minMax > 2_880)
        for sql in [ReadSQL.oldest, ReadSQL.newest] {
            let steps = try await store.virtualMachineSteps(sql, [id])
            #expect(steps < 200, "\(steps) steps:\n\(sql)")
        }
    }

    @Test func rangeReadVisitsOnlyItsRange() async throws {
        let store = try await filledStore()
        // One hour of a two-day series: steps in proportion to the hour's 60 rows, not 2,880.
        let hour = try await store.virtualMachineSteps(ReadSQL.samples, [1, t0 + 3_600, t0 + 7_200])
        let all = try await store.virtualMachineSteps(ReadSQL.samples, [1, t0, t0 + 2 * 86_400])
        #expect(hour * 20 < all, "\(hour) steps for an hour, \(all) for two days")
    }
}
