import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// The plans of the store's reads on PostgreSQL: a read touches the partitions of its range
/// only, through their primary keys, whatever else the table holds (design: "a read touches only
/// the range it asks for").
@Suite struct PostgresPlanTests {
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    // 2024-01-01T00:00Z, 2024-02-01T00:00Z.
    let jan1: Int64 = 1_704_067_200
    let feb1: Int64 = 1_706_745_600

    /// A store with a reading every hour from January to March, and its location.
    func filled() async throws -> (OpenStore, Location) {
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(TestStations.registry(station))
        _ = try await opened.store.write((0..<(90 * 24)).map { Sample(series: key, time: jan1 + Int64($0) * 3_600, value: 1) })
        _ = try await location.psql("ANALYZE")
        return (opened, location)
    }

    @Test func aRangeReadPrunesToItsMonthAndUsesThePrimaryKey() async throws {
        let (opened, location) = try await filled()
        let id = try #require(try await location.psql("SELECT id FROM series"))
        let plan = try #require(
            try await location.psql(
                "PREPARE q(smallint, integer, bigint, bigint) AS \(PostgresReadSQL.samples);"
                    + " EXPLAIN (COSTS OFF) EXECUTE q(2, \(id), \(feb1 + 3_600), \(feb1 + 7_200))"))
        #expect(plan.contains("sample_minute_y2024m02"), "\(plan)")
        #expect(!plan.contains("y2024m01") && !plan.contains("y2024m03"), "\(plan)")
        #expect(plan.contains("Index"), "\(plan)")
        #expect(!plan.contains("Seq Scan"), "\(plan)")
        await opened.close()
    }

    @Test func latestReadsTheNewestMonthFirstWithoutSorting() async throws {
        let (opened, location) = try await filled()
        let plan = try #require(
            try await location.psql(
                "PREPARE l(smallint, text, text[], text[]) AS \(PostgresReadSQL.latest);"
                    + " EXPLAIN (COSTS OFF) EXECUTE l(2, 'minute', '{site}', '{PM2.5}')"))
        #expect(plan.contains("Limit"), "\(plan)")
        #expect(plan.contains("Index Scan Backward") || plan.contains("Index Only Scan Backward"), "\(plan)")
        #expect(!plan.contains("Sort"), "\(plan)")
        #expect(!plan.contains("sample_realtime") && !plan.contains("sample_hour"), "\(plan)")
        #expect(try await opened.store.latest(of: [key])[key]?.time == jan1 + Int64(90 * 24 - 1) * 3_600)
        await opened.close()
    }

    @Test func latestOfEverySeriesSeeksTheEndOfEachSeriesInItsKindsPartitionsOnly() async throws {
        let (opened, location) = try await filled()
        let plan = try #require(
            try await location.psql(
                "PREPARE e(smallint, text) AS \(PostgresReadSQL.latestOfKind);" + " EXPLAIN (COSTS OFF) EXECUTE e(2, 'minute')"))
        #expect(plan.contains("Limit"), "\(plan)")
        #expect(plan.contains("Index Scan Backward") || plan.contains("Index Only Scan Backward"), "\(plan)")
        #expect(!plan.contains("Sort"), "\(plan)")
        #expect(!plan.contains("sample_realtime") && !plan.contains("sample_hour"), "\(plan)")
        #expect(try await opened.store.latestOfEverySeries()[key]?.time == jan1 + Int64(90 * 24 - 1) * 3_600)
        await opened.close()
    }
}
