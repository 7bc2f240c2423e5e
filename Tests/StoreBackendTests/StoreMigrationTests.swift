import EnvmonTesting
import Foundation
import Monitoring
import PostgresStore
import Store
import Testing

/// `envmon migrate`'s library: a SQLite store with readings, alerts, an outbox and cases, moved
/// into an empty PostgreSQL database, answers the same queries there; the report says so, and
/// says so when it is not so.
@Suite struct StoreMigrationTests {
    typealias F = AlertFixtures
    static let t0 = AlertFixtures.t0
    let outlet = TestStations.station("outlet", kind: .dischargeOutlet, interval: 60, parameters: ["COD", "NH3-N"])
    let air = TestStations.station("site", parameters: ["PM2.5"])

    /// Two days of minute COD and NH3-N at the outlet and hourly PM2.5, some flagged, one resent
    /// changed; alerts fired, resolved, routed, claimed, delivered, held and acknowledged; a
    /// silence; a case with a note.
    func fill(_ store: SQLiteStore) async throws {
        var samples: [Sample] = []
        for m in 0..<(2 * 1_440) {
            let t = Self.t0 + Int64(m) * 60
            samples.append(Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .minute), time: t, value: 40 + Double(m % 97) / 3))
            samples.append(
                Sample(
                    series: SeriesKey(station: "outlet", parameter: "NH3-N", kind: .minute), time: t, value: Double(m % 13) * 0.7,
                    flag: m % 211 == 7 ? .calibration : .normal))
            if m % 60 == 0 {
                samples.append(Sample(series: SeriesKey(station: "site", parameter: "PM2.5", kind: .hour), time: t, value: Double(m % 500) / 7))
            }
        }
        _ = try await store.write(samples)
        _ = try await store.write([Sample(series: SeriesKey(station: "outlet", parameter: "COD", kind: .minute), time: Self.t0 + 600, value: 135)])
        let ph = AlertKey(rule: "nh3-high", station: "outlet", parameter: "NH3-N")
        try await store.record(
            [
                F.transition(from: .pending, to: .firing, at: Self.t0 + 600, sequence: 1),
                F.transition(ph, from: .pending, to: .firing, at: Self.t0 + 900, sequence: 1, value: 8, peak: 8),
                F.transition(ph, from: .firing, to: .resolved, at: Self.t0 + 1_800, sequence: 2, value: 2, peak: 8),
            ], updates: [], recordedAt: Self.t0 + 1_801)
        let entries = try await store.unroutedNotifications(limit: 10)
        try await store.route(
            entries.map { OutboxRouting(id: $0.id, deliveries: [.init(target: "duty", dueAt: Self.t0), .init(target: "phones", dueAt: Self.t0)]) },
            now: Self.t0 + 1_801)
        let claimed = try await store.claimDeliveries(target: "duty", now: Self.t0 + 1_801, limit: 10, claimant: "d1", leaseUntil: Self.t0 + 1_900)
        try await store.markDelivered(claimed[0].entry.id, target: "duty", at: Self.t0 + 1_802)
        try await store.finish([claimed[1].entry.id], target: "phones", as: .held, at: Self.t0 + 1_802, reason: "silenced by silence 1")
        _ = try await store.addSilence(
            Silence(matchers: ["station=\"outlet\""], startsAt: Self.t0, endsAt: Self.t0 + 86_400, createdBy: "li", comment: "检修", createdAt: Self.t0)
        )
        let open = try #require(try await store.alertEpisodes(overlapping: Int64.min..<Int64.max).first { $0.endedAt == nil })
        _ = try await store.acknowledge(episode: open.id, by: "wang", comment: "on site", at: Self.t0 + 2_000)
        _ = try await store.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0) { _ in .apply([CaseRegisterSuite.opened("ZY-1")]) }
        _ = try await store.caseRegister.changeCases(["ZY-1"], recordedAt: Self.t0 + 5) {
            CaseRegisterSuite.note($0, "ZY-1", text: "开工", at: Self.t0 + 5)
        }
    }

    @Test func aStoreMovedToPostgreSQLAnswersTheSameQueries() async throws {
        let registry = TestStations.registry(outlet, air)
        let dir = TemporaryDirectory()
        let sqlite = try SQLiteStore(path: dir.file("s.sqlite"), stations: registry, retention: .forever)
        try await fill(sqlite)
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(registry)
        let postgres = try #require(opened.store as? PostgresStore)

        let report = try await StoreMigration(source: sqlite, target: postgres).run()
        #expect(report.isVerified)
        #expect(report.series.count == 3 && report.series.allSatisfy(\.matches))
        let readings = report.series.map(\.target.count).reduce(0, +)
        #expect(readings == 2 * 2 * 1_440 + 48)
        let deliveries = try #require(report.tables.first { $0.table == "outbox_delivery" })
        #expect(deliveries.source == 6 && deliveries.target == 6)

        // The same reads, the same answers.
        let series = try await sqlite.allSeries()
        #expect(try await postgres.allSeries() == series)
        for key in series {
            let all = Int64.min..<Int64.max
            #expect(try await postgres.samples(of: key, in: all) == sqlite.samples(of: key, in: all))
            for (step, function) in [(Int64(3_600), Aggregation.avg), (86_400, .max), (86_400, .count)] {
                let q = AggregateQuery(series: key, range: Self.t0..<(Self.t0 + 2 * 86_400), step: step, function: function)
                #expect(try await postgres.aggregate(q) == sqlite.aggregate(q), "\(key) \(step) \(function)")
            }
        }
        #expect(try await postgres.latest(of: series) == sqlite.latest(of: series))
        #expect(try await postgres.alertHistory(since: 0, limit: 100) == sqlite.alertHistory(since: 0, limit: 100))
        #expect(try await postgres.alertEpisodes(overlapping: Int64.min..<Int64.max) == sqlite.alertEpisodes(overlapping: Int64.min..<Int64.max))
        #expect(try await postgres.pendingNotifications(limit: 100) == sqlite.pendingNotifications(limit: 100))
        #expect(try await postgres.deliveryCounts() == sqlite.deliveryCounts())
        #expect(try await postgres.undelivered(.held, since: 0, limit: 10) == sqlite.undelivered(.held, since: 0, limit: 10))
        #expect(try await postgres.openAcknowledgements() == sqlite.openAcknowledgements())
        #expect(try await postgres.silences(notEndedAt: nil) == sqlite.silences(notEndedAt: nil))
        #expect(try await postgres.caseRegister.cases() == sqlite.caseRegister.cases())
        #expect(try await postgres.caseRegister.caseEvents(nil) == sqlite.caseRegister.caseEvents(nil))
        // The lease taken on SQLite still holds on PostgreSQL.
        #expect(
            try await postgres.claimDeliveries(target: "duty", now: Self.t0 + 1_899, limit: 10, claimant: "p", leaseUntil: Self.t0 + 2_000).isEmpty)
        #expect(
            try await postgres.claimDeliveries(target: "duty", now: Self.t0 + 1_900, limit: 10, claimant: "p", leaseUntil: Self.t0 + 2_000).count == 2
        )

        // A second run into the same database is refused, and changes nothing.
        do {
            _ = try await StoreMigration(source: sqlite, target: postgres).run()
            Issue.record("migrated into a database that has data")
        } catch {
            #expect(error.code == .conflict)
        }
        #expect(try await postgres.sampleCount(of: series[0]) == sqlite.sampleCount(of: series[0]))
        try sqlite.close()
        await opened.close()
    }

    @Test func readingsTheTargetRefusesLeaveTheMigrationUnverified() async throws {
        let dir = TemporaryDirectory()
        let sqlite = try SQLiteStore(path: dir.file("s.sqlite"), stations: TestStations.registry(outlet, air), retention: .forever)
        try await fill(sqlite)
        // The air station has left sensors/: its readings cannot be written to the target.
        let location = try await Backend.postgres.makeLocation()
        let opened = try await location.open(TestStations.registry(outlet))
        let postgres = try #require(opened.store as? PostgresStore)
        let report = try await StoreMigration(source: sqlite, target: postgres).run()
        #expect(report.skipped == [SeriesKey(station: "site", parameter: "PM2.5", kind: .hour)])
        #expect(report.series.filter { !$0.matches }.map(\.key) == report.skipped)
        #expect(report.alertRowsMatch)
        #expect(!report.isVerified)
        try sqlite.close()
        await opened.close()
    }
}
