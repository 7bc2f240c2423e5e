import EnvmonTesting
import Foundation
import Monitoring
import Store
import Testing

/// A series' span (oldest and newest reading, each end alone or both) is found across its raw
/// samples, its rollups (kept longer than the samples) and its staged samples.
@Suite struct SpanTests {
    let dir = TemporaryDirectory()
    let station = TestStations.station("site", interval: 60, parameters: ["PM2.5"])
    let key = SeriesKey(station: "site", parameter: "PM2.5", kind: .minute)
    // 2024-01-01T00:00:00+08:00, a local midnight.
    let t0: Int64 = 1_704_038_400

    @Test func spanEndsComeFromRollupsWhereRetentionDeletedTheSamples() async throws {
        let realtime = SeriesKey(station: "site", parameter: "PM2.5", kind: .realtime)
        let store = try SQLiteStore(
            path: dir.file("retained.sqlite"), stations: TestStations.registry(station),
            retention: RetentionPolicy(raw: [.realtime: 86_400]))
        _ = try await store.write((0..<(2 * 1_440)).map { Sample(series: realtime, time: t0 + Int64($0) * 60, value: 1) })
        #expect(try await store.span(of: realtime) == t0...(t0 + 2 * 86_400 - 60))
        // Samples of the first day deleted; its rollups stay.
        _ = try await store.applyRetention(now: t0 + 2 * 86_400)
        #expect(try await store.samples(of: realtime, in: t0..<(t0 + 86_400)).isEmpty)
        #expect(try await store.oldestTime(of: realtime) == t0)
        #expect(try await store.newestTime(of: realtime) == t0 + 2 * 86_400 - 60)
        // Every sample deleted: the end of the newest bucket.
        _ = try await store.applyRetention(now: t0 + 4 * 86_400)
        #expect(try await store.span(of: realtime) == t0...(t0 + 2 * 86_400 - 1))
        #expect(try await store.span(of: key) == nil)
        #expect(try await store.oldestTime(of: key) == nil)
    }

    @Test func spanSeesStagedSamples() async throws {
        let store = try SQLiteStore(path: dir.file("staged.sqlite"), stations: TestStations.registry(station), staging: .live)
        _ = try await store.write((0..<1_440).map { Sample(series: key, time: t0 + Int64($0) * 60, value: 1) })
        // A small batch is staged, not yet in `sample`.
        _ = try await store.write([Sample(series: key, time: t0 + 86_400, value: 1)])
        #expect(try await store.newestTime(of: key) == t0 + 86_400)
        #expect(try await store.span(of: key) == t0...(t0 + 86_400))
    }
}
