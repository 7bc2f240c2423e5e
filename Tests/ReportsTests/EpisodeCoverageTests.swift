import EnvmonTesting
import Foundation
import Monitoring
import Reports
import Rules
import Store
import Testing

/// An episode that runs through a data gap tells its time above the limit from its time without data.
@Suite struct EpisodeCoverageTests {
    let dir = TemporaryDirectory()
    let station = TestStations.station("site", interval: 3_600, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .hour)
    // 2024-01-01T00:00:00+08:00, a local midnight.
    let t0: Int64 = 1_704_038_400

    @Test func aTwentyDayEpisodeWithTwoDaysOfDataAbove() async throws {
        let store = try SQLiteStore(path: dir.file("e.sqlite"), stations: TestStations.registry(station), retention: .forever)
        defer { try? store.close() }
        // Two whole days at 120 µg/m³ (above the 75 of GB 3095-2012 grade 2), a day at 30, then nothing.
        let values: [Double] = Array(repeating: 120, count: 48) + Array(repeating: 30, count: 24)
        _ = try await store.write(values.enumerated().map { Sample(series: key, time: t0 + Int64($0.offset) * 3_600, value: $0.element) })
        let rule = Rule(name: "daily", condition: .threshold(Threshold(basis: .day, source: .ambient(grade: .two))))
        let episode = AlertEpisode(
            id: 1, key: AlertKey(rule: "daily", station: "site", parameter: "PM2.5"), state: .firing, startedAt: t0, firedAt: t0 + 86_400,
            endedAt: t0 + 20 * 86_400)
        let coverage = try #require(try await EpisodeCoverage.measure(episode, rule: rule, station: station, store: store, now: t0 + 30 * 86_400))
        #expect(coverage == EpisodeCoverage(unit: .day, above: 2, within: 1, noData: 17))
        #expect(coverage.summary() == "above the limit 2d, within 1d, without data 17d")
        #expect(coverage.summary(.zhCN) == "超标2天，未超标1天，无数据17天")

        // An hourly rule counts hours; an episode still open runs to `now`.
        let hourly = Rule(name: "hourly", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 100, below: nil))))
        var open = episode
        open.endedAt = nil
        let hours = try #require(try await EpisodeCoverage.measure(open, rule: hourly, station: station, store: store, now: t0 + 4 * 86_400))
        #expect(hours == EpisodeCoverage(unit: .hour, above: 48, within: 24, noData: 24))
    }

    /// A station on a half-hour zone (India, UTC+5:30) keeps local clock hours that start at :30
    /// UTC, as the rule engine judges them: its hours and days are counted as such, not as UTC
    /// hours the readings fall across.
    @Test func aHalfHourZoneCountsItsOwnClockHours() async throws {
        let india = TestStations.station("site", zone: "Asia/Kolkata", interval: 60, parameters: ["PM2.5"])
        let minute = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
        let store = try SQLiteStore(path: dir.file("k.sqlite"), stations: TestStations.registry(india), retention: .forever)
        defer { try? store.close() }
        // 2024-01-01T00:00+05:30 = 2023-12-31T18:30Z: 36 local hours of minute readings, the
        // first 30 hours at 120, then six at 30.
        let midnight: Int64 = 1_704_047_400
        _ = try await store.write((0..<(36 * 60)).map { m in
            Sample(series: minute, time: midnight + Int64(m) * 60, value: m < 30 * 60 ? 120 : 30)
        })
        let hourly = Rule(name: "hourly", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 100, below: nil))))
        let episode = AlertEpisode(
            id: 1, key: AlertKey(rule: "hourly", station: "site", parameter: "PM2.5"), state: .firing, startedAt: midnight,
            firedAt: midnight + 3_600, endedAt: midnight + 36 * 3_600)
        let hours = try #require(try await EpisodeCoverage.measure(episode, rule: hourly, station: india, store: store, now: midnight + 40 * 3_600))
        #expect(hours == EpisodeCoverage(unit: .hour, above: 30, within: 6, noData: 0))
        let daily = Rule(name: "daily", condition: .threshold(Threshold(basis: .day, source: .fixed(above: 100, below: nil))))
        let days = try #require(try await EpisodeCoverage.measure(episode, rule: daily, station: india, store: store, now: midnight + 40 * 3_600))
        // Day one: 24 hours at 120. Day two: 6 at 120 and 6 at 30 (12 valid hours: below the
        // 20 a daily mean needs), so without data.
        #expect(days == EpisodeCoverage(unit: .day, above: 1, within: 0, noData: 1))
    }

    @Test func rulesThatAreNotThresholdsHaveNoCoverage() async throws {
        let store = try SQLiteStore(path: dir.file("n.sqlite"), stations: TestStations.registry(station), retention: .forever)
        defer { try? store.close() }
        let flags = Rule(name: "flags", condition: .deviceFlag([.fault]))
        let episode = AlertEpisode(id: 1, key: AlertKey(rule: "flags", station: "site", parameter: "PM2.5"), state: .firing, startedAt: t0, firedAt: t0)
        #expect(try await EpisodeCoverage.measure(episode, rule: flags, station: station, store: store, now: t0 + 3_600) == nil)
    }
}
