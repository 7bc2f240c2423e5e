import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Store
import Testing

@Suite struct RelativeRangeTests {
    let calendar = ZoneCalendar(TimeZone(identifier: "Asia/Shanghai")!)
    let now: Int64 = 1_796_000_000

    @Test func nowAndItsOffsetsCountFromTheGivenNow() throws {
        #expect(try LocalDates.bound("now", option: "--to", in: calendar, isEnd: true, now: now) == now)
        #expect(try LocalDates.bound("now-7d", option: "--from", in: calendar, isEnd: false, now: now) == now - 7 * 86_400)
        #expect(try LocalDates.bound("now-36h", option: "--from", in: calendar, isEnd: false, now: now) == now - 36 * 3_600)
        #expect(try LocalDates.bound("now-15m", option: "--from", in: calendar, isEnd: false, now: now) == now - 900)
        #expect(try LocalDates.bound("now+1h", option: "--to", in: calendar, isEnd: true, now: now) == now + 3_600)
        #expect(try LocalDates.bound(" now-1h30m ", option: "--from", in: calendar, isEnd: false, now: now) == now - 5_400)
    }

    @Test func aBadRelativeTimeNamesTheArgument() {
        for text in ["now-", "now-7x", "now7d", "now-7 d", "nowish"] {
            let error = #expect(throws: ReportsError.self) { try LocalDates.bound(text, option: "from", in: calendar, isEnd: false, now: now) }
            #expect(error?.argument == "from", "\(text)")
            #expect(error?.description.hasPrefix("from '\(text)' is not a relative time") == true, "\(error?.description ?? "")")
        }
    }

    @Test func withoutAClockARelativeTimeIsRefused() {
        let error = #expect(throws: ReportsError.self) { try LocalDates.bound("now-1d", option: "--from", in: calendar, isEnd: false) }
        #expect(error?.description.contains("needs the current time") == true)
    }
}

@Suite struct SeriesQueryTests {
    /// An outlet in Shanghai reporting COD each minute from `t0` for `minutes`, value = minute index % 60.
    static let t0 = CivilTime(year: 2026, month: 3, day: 1).secondsIfUTC - 8 * 3_600  // local midnight
    let station = TestStations.station("outlet-1", kind: .dischargeOutlet, interval: 60, parameters: ["COD", "Q-water"])
    let key = SeriesKey(station: "outlet-1", parameter: "COD", kind: .minute)

    func withStore(minutes: Int = 3 * 60, _ body: (SQLiteStore, StationRegistry) async throws -> Void) async throws {
        let dir = TemporaryDirectory()
        let registry = TestStations.registry(station)
        let store = try SQLiteStore(path: dir.file("s.sqlite"), stations: registry)
        _ = try await store.write((0..<minutes).map { Sample(series: key, time: Self.t0 + Int64($0) * 60, value: Double($0 % 60)) })
        try await body(store, registry)
        try store.close()
    }

    @Test func hourlyAveragesWithValidCounts() async throws {
        try await withStore { store, stations in
            let q = SeriesQuery(station: "outlet-1", parameter: "COD", step: "1h")
            let result = try await q.run(stations: stations, store: store, now: Self.t0 + 86_400)
            guard case .aggregates(let rows, let step, _) = result.rows else { Issue.record("not aggregates"); return }
            #expect(step == "1h")
            #expect(rows.map(\.value) == [29.5, 29.5, 29.5])
            #expect(rows.map(\.validCount) == [60, 60, 60])
            #expect(rows.allSatisfy { !$0.partial })
            let csv = SeriesQueryOutput.render(result, format: .csv)
            #expect(csv.hasPrefix("time,value,count,partial\n2026-03-01T00:00:00+08:00,29.5,60,false\n"))
        }
    }

    @Test func aRelativeFromCutsItsBucketAndMarksItPartial() async throws {
        try await withStore { store, stations in
            // now = 03:00 local; now-90m = 01:30: the 01:00 bucket is cut in half.
            let q = SeriesQuery(station: "outlet-1", parameter: "COD", from: "now-90m", to: "now", step: "1h", argumentPrefix: "")
            let result = try await q.run(stations: stations, store: store, now: Self.t0 + 3 * 3_600)
            guard case .aggregates(let rows, _, _) = result.rows else { Issue.record("not aggregates"); return }
            #expect(rows.map(\.validCount) == [30, 60])
            #expect(rows.map(\.partial) == [true, false])
            #expect(rows.first?.value == 44.5)
            #expect(result.range == (Self.t0 + 5_400)..<(Self.t0 + 3 * 3_600))
        }
    }

    @Test func rawReadingsOfARange() async throws {
        try await withStore { store, stations in
            let q = SeriesQuery(station: "outlet-1", parameter: "COD", from: "2026-03-01T00:00", to: "2026-03-01T00:03")
            let result = try await q.run(stations: stations, store: store, now: 0)
            #expect(SeriesQueryOutput.render(result, format: .csv) == """
                time,value,flag
                2026-03-01T00:00:00+08:00,0,N
                2026-03-01T00:01:00+08:00,1,N
                2026-03-01T00:02:00+08:00,2,N

                """)
        }
    }

    @Test func errorsNameTheArgumentAsTheCallerCallsIt() async throws {
        try await withStore(minutes: 1) { store, stations in
            func failure(_ q: SeriesQuery) async -> ReportsError? {
                await #expect(throws: ReportsError.self) { _ = try await q.run(stations: stations, store: store, now: 0) }
            }
            let step = await failure(SeriesQuery(station: "outlet-1", parameter: "COD", step: "hourly", argumentPrefix: ""))
            #expect(step?.argument == "step")
            #expect(step?.description == "step 'hourly' is not a duration (e.g. 15m, 1h, 1d)")
            let order = await failure(SeriesQuery(station: "outlet-1", parameter: "COD", from: "2026-03-02", to: "2026-03-01"))
            #expect(order?.description == "--from must be before --to")
            let unknown = await failure(SeriesQuery(station: "nowhere", parameter: "COD", argumentPrefix: ""))
            #expect(unknown?.argument == "station")
            #expect(unknown?.isNotFound == true)
            let parameter = await failure(SeriesQuery(station: "outlet-1", parameter: "SO2", argumentPrefix: ""))
            #expect(parameter?.argument == "parameter")
        }
    }

    @Test func aStationThatLeftSensorsIsReadFromTheStore() async throws {
        try await withStore { store, _ in
            let q = SeriesQuery(station: "outlet-1", parameter: "COD", from: "2026-03-01T00:00", to: "2026-03-01T00:01")
            let result = try await q.run(stations: StationRegistry([]), store: store, now: 0)
            #expect(result.station.retired)
            #expect(result.station.name.contains("not in sensors/"))
            guard case .raw(let rows) = result.rows else { Issue.record("not raw"); return }
            #expect(rows.count == 1)
        }
    }
}
