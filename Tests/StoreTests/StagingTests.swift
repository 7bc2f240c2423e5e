import EnvmonTesting
import Foundation
import Monitoring
@testable import Store
import Testing

/// Small batches staged (the daemon's live feed): outcomes as a direct write would give them,
/// every read sees staged samples, folds keep raw samples and rollups in agreement, and staged
/// samples survive a reopen.
@Suite struct StagingTests {
    let dir = TemporaryDirectory()
    let clock = ManualClock(1_700_000_000)
    let parameters = ["PM2.5", "SO2", "NO2"]
    // 2024-01-01T00:00:00+08:00
    let t0: Int64 = 1_704_038_400

    var stations: StationRegistry {
        StationRegistry((0..<5).map { TestStations.station("s\($0)", parameters: parameters) })
    }
    var keys: [SeriesKey] {
        stations.stations.flatMap { st in parameters.map { SeriesKey(station: st.id, parameter: $0, kind: .minute) } }
    }

    func open(_ policy: StagingPolicy = StagingPolicy(maxBatch: 100, foldRows: 1_000, foldSeconds: 60)) throws -> SQLiteStore {
        let clock = self.clock
        return try SQLiteStore(
            path: dir.file("store.sqlite"), stations: stations, retention: .forever, clock: { clock.now }, staging: policy)
    }

    /// One minute of every series, as a live feed sends it.
    func minute(_ m: Int, bump: Double = 0) -> [Sample] {
        keys.enumerated().map { i, key in
            Sample(series: key, time: t0 + Int64(m) * 60, value: Double(i * 3 + m % 17) + bump, flag: m % 23 == 4 ? .maintenance : .normal)
        }
    }

    @Test func stagedSamplesAreReadLikeStoredOnesAndFoldIntoRollups() async throws {
        let store = try open()
        var inserted = 0
        // 150 minutes of 15 series: 2,250 samples in batches of 15, folded every 1,000 rows.
        for m in 0..<150 { inserted += try await store.write(minute(m)).summary.inserted }
        #expect(inserted == 150 * 15)
        for key in keys { #expect(try await store.sampleCount(of: key) == 150) }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 3, includingDay: true)
        let latest = try await store.latest(of: keys)
        #expect(latest.values.allSatisfy { $0.time == t0 + 149 * 60 })
        try store.close()
    }

    /// A read folds only the series it reads: the rest stays staged, so a dashboard beside a
    /// busy daemon does not fold the log, nor whole partitions of it, on the writer before each read.
    @Test func aReadFoldsOnlyTheSeriesItReads() async throws {
        let store = try open(StagingPolicy(maxBatch: 100, foldRows: 100_000, foldSeconds: 3_600))
        for m in 0..<10 { _ = try await store.write(minute(m)) }
        #expect(store.stagedGauge.count == 150)
        #expect(store.stagedGauge.seriesStaged == 15)
        let read = keys[4]
        let samples = try await store.samples(of: read, in: t0..<(t0 + 600))
        #expect(samples.count == 10)
        // Every other series is still staged; the read one's rows stay in the log (deleted
        // when its partition folds) but are out of the writer's memory.
        #expect(store.stagedGauge.seriesStaged == 14)
        #expect(!store.stagedGauge.mayHaveStaged([read]))
        #expect(store.stagedGauge.mayHaveStaged([keys[7]]))
        let rows = try await store.aggregate(AggregateQuery(series: keys[7], range: t0..<(t0 + 3_600), step: 3_600, function: .count))
        #expect(rows.first?.count == 10)
        #expect(rows.first?.validCount == 9)  // minute 4 is flagged maintenance
        #expect(store.stagedGauge.seriesStaged == 13)
        // A read of a series already folded takes nothing from the writer.
        #expect(try await store.latest(of: [read])[read]?.time == t0 + 9 * 60)
        #expect(store.stagedGauge.seriesStaged == 13)
        // A reading staged after the fold is read too (folded by the next read).
        _ = try await store.write([Sample(series: read, time: t0 + 10 * 60, value: 1, flag: .normal)])
        #expect(try await store.samples(of: read, in: t0..<(t0 + 660)).count == 11)
        #expect(try await store.aggregate(AggregateQuery(series: read, range: t0..<(t0 + 3_600), step: 3_600, function: .count)).first?.count == 11)
        // What stays staged is still read right, and all of it folds at close.
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 1, includingDay: false)
        try store.close()
        let reopened = try open()
        for key in keys { #expect(try await reopened.sampleCount(of: key) == (key == read ? 11 : 10)) }
        try reopened.close()
    }

    /// Folds commit without a sync of their own (they move readings already on disk), and the
    /// writer's commits are synced again after them: `synchronous: full` stays full for batches.
    @Test func foldsLeaveTheWritersSyncLevelAsConfigured() async throws {
        let clock = self.clock
        let store = try SQLiteStore(
            path: dir.file("full.sqlite"), stations: stations, retention: .forever, clock: { clock.now },
            staging: StagingPolicy(maxBatch: 100, foldRows: 100_000, foldSeconds: 1), synchronous: .full)
        for m in 0..<5 { _ = try await store.write(minute(m)) }
        #expect(try await store.writerPragma("synchronous") == 2)
        clock.advance(by: 120)
        try await store.maintain()
        #expect(store.stagedGauge.count < 75)
        #expect(try await store.writerPragma("synchronous") == 2)
        #expect(try await store.samples(of: keys[3], in: t0..<(t0 + 600)).count == 5)
        try await store.foldStaged()
        #expect(store.stagedGauge.count == 0)
        #expect(try await store.writerPragma("synchronous") == 2)
        try store.close()
    }

    @Test func outcomesOfStagedRewritesAreThoseOfDirectWrites() async throws {
        let store = try open()
        _ = try await store.write(minute(0))
        // Again while staged: the same values are duplicates; a changed one is audited.
        var again = minute(0)
        again[2] = Sample(series: again[2].series, time: again[2].time, value: again[2].value + 5, flag: again[2].flag)
        let second = try await store.write(again)
        #expect(second.summary.duplicates == 14)
        #expect(second.summary.changed == 1)
        #expect(second.outcomes[2] == .changed)
        #expect(try await store.revisions(of: again[2].series).count == 1)

        // After a fold (the read), a change against the stored sample is a change too, audited by the fold.
        #expect(try await store.samples(of: again[2].series, in: t0..<(t0 + 60)).first?.value == again[2].value)
        var third = minute(0)
        third[2] = Sample(series: third[2].series, time: third[2].time, value: 99, flag: .calibration)
        let result = try await store.write(third)
        #expect(result.summary.changed == 1)
        #expect(result.summary.duplicates == 14)
        let stored = try await store.samples(of: third[2].series, in: t0..<(t0 + 60))
        #expect(stored.map(\.value) == [99])
        #expect(stored.map(\.flag) == [.calibration])
        #expect(try await store.revisions(of: third[2].series).count == 2)
        try store.close()
    }

    @Test func aGapFilledWhileStagedIsStoredAndItsResendsAndChangesAreFound() async throws {
        let store = try open()
        for m in [0, 1, 3] { _ = try await store.write(minute(m)) }
        // Minute 2 comes late: older than the newest staged reading of each series, not staged itself.
        #expect(try await store.write(minute(2)).summary.inserted == 15)
        #expect(try await store.write(minute(2)).summary.duplicates == 15)
        // A reading staged after the first lookup, then changed twice while still staged.
        #expect(try await store.write(minute(4)).summary.inserted == 15)
        #expect(try await store.write(minute(4, bump: 0.25)).summary.changed == 15)
        #expect(try await store.write(minute(4, bump: 0.5)).summary.changed == 15)
        #expect(try await store.write(minute(4, bump: 0.5)).summary.duplicates == 15)
        for key in keys {
            #expect(try await store.sampleCount(of: key) == 5)
            #expect(try await store.revisions(of: key).count == 2)
            let last = try await store.samples(of: key, in: (t0 + 240)..<(t0 + 300)).map(\.value)
            #expect(last.count == 1 && last[0].truncatingRemainder(dividingBy: 1) == 0.5)
        }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 1, includingDay: true)
        try store.close()
    }

    @Test func aLargeBatchFoldsStagedSamplesFirstAndItsLaterVersionWins() async throws {
        let store = try open()
        _ = try await store.write(minute(0))  // staged
        // A batch above maxBatch goes straight, after the staged samples are folded.
        var large: [Sample] = []
        for m in 0..<10 { large += minute(m, bump: m == 0 ? 0.5 : 0) }
        let result = try await store.write(large)
        #expect(result.summary.changed == 15)  // minute 0 again, each value 0.5 higher
        #expect(result.summary.inserted == 9 * 15)
        for key in keys {
            let values = try await store.samples(of: key, in: t0..<(t0 + 60)).map(\.value)
            #expect(values.count == 1 && values[0].truncatingRemainder(dividingBy: 1) == 0.5)
        }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 1, includingDay: true)
        try store.close()
    }

    @Test func stagedSamplesSurviveAReopenWithoutClose() async throws {
        do {
            let store = try open()
            for m in 0..<5 { _ = try await store.write(minute(m)) }
            // No close: as after a crash, the staged rows are committed but not folded.
        }
        let again = try open()
        for key in keys { #expect(try await again.sampleCount(of: key) == 5) }
        try await expectRollupsMatchRaw(again, keys: keys, from: t0, hours: 1, includingDay: true)
        // And writing on after the reopen folds first, then stages again.
        _ = try await again.write(minute(5))
        for key in keys { #expect(try await again.sampleCount(of: key) == 6) }
        try again.close()
    }

    @Test func partialFoldsKeepEverySampleOnceAndRollupsRight() async throws {
        // A partition (an eighth of the series) folded after every 30 staged samples: two batches.
        let store = try open(StagingPolicy(maxBatch: 100, foldRows: 1_000_000, foldSeconds: 1_000, partialFoldRows: 30))
        var inserted = 0
        for m in 0..<120 { inserted += try await store.write(minute(m)).summary.inserted }
        #expect(inserted == 120 * 15)
        // Re-sent minutes, some folded by now and some still staged: all duplicates.
        var duplicates = 0
        for m in 100..<120 { duplicates += try await store.write(minute(m)).summary.duplicates }
        #expect(duplicates == 20 * 15)
        for key in keys { #expect(try await store.sampleCount(of: key) == 120) }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 2, includingDay: true)
        try store.close()
    }

    @Test func partialFoldsAreMaintenanceAndACommitFoldsOnlyWhenThatFallsBehind() async throws {
        let store = try open(StagingPolicy(maxBatch: 100, foldRows: 1_000_000, foldSeconds: 1_000, partialFoldRows: 30))
        for m in 0..<3 { _ = try await store.write(minute(m)) }
        // 45 staged since the last fold: due for maintenance, but not yet for a commit (60).
        #expect((try await store.onWriter { $0.stagedSincePartial }) == 45)
        let before = (try await store.onWriter { $0.stagedRows })
        try await store.maintain()
        #expect((try await store.onWriter { $0.stagedSincePartial }) == 0)
        #expect((try await store.onWriter { $0.stagedRows }) < before, "maintenance folded a partition")
        try await store.maintain()
        #expect((try await store.onWriter { $0.stagedSincePartial }) == 0, "nothing more is due")
        // Without maintenance, the commit that reaches twice the partial fold folds itself.
        for m in 3..<7 { _ = try await store.write(minute(m)) }
        #expect((try await store.onWriter { $0.stagedSincePartial }) == 60)
        _ = try await store.write(minute(7))
        #expect((try await store.onWriter { $0.stagedSincePartial }) == 15)
        for key in keys { #expect(try await store.sampleCount(of: key) == 8) }
        try await expectRollupsMatchRaw(store, keys: keys, from: t0, hours: 1, includingDay: true)
        try store.close()
    }

    @Test func staleStagedSamplesAreFoldedByTime() async throws {
        let store = try open(StagingPolicy(maxBatch: 100, foldRows: 1_000_000, foldSeconds: 5))
        _ = try await store.write(minute(0))  // a new store has nothing to recover: staged at once
        #expect(try await store.stagedLogReadings() == 15)
        clock.advance(by: 6)
        // Each commit folds the partition whose oldest sample is the oldest, once it is 5 s old:
        // the 15 series of minute 0 (one partition each) are folded by the 15th commit after.
        for m in 1...15 { _ = try await store.write(minute(m)) }
        #expect(try await store.stagedLogReadings() < 16 * 15)
        clock.advance(by: 6)
        for m in 16...31 { _ = try await store.write(minute(m)) }
        // Minutes 0-15 are folded everywhere by now, and their rows deleted.
        #expect(try await store.stagedLogReadings() <= 16 * 15)
        for key in keys { #expect(try await store.sampleCount(of: key) == 32) }
        try store.close()
    }

    @Test func foldedRowsAreDeletedByPrefixAndACrashFoldsEachVersionOnce() async throws {
        // One partition folded after every 20 staged samples; every third minute the previous
        // minute is re-sent with other values (a correction), so versions of the same reading
        // are staged, folded (by their partition's turn or by a read) and still in the table
        // (waiting for the prefix delete) at once.
        let policy = StagingPolicy(maxBatch: 100, foldRows: 1_000_000, foldSeconds: 1_000, partialFoldRows: 20)
        var revised = 0
        do {
            let store = try open(policy)
            // Ten minutes without corrections at the end: some partitions fold again after the
            // last corrections, others not, so folded versions are still in the table.
            for m in 0..<210 {
                _ = try await store.write(minute(m))
                // A reader now and then: its series folded alone, out of the partitions' turn,
                // their rows left in the table for the prefix delete (and the crash below).
                if m % 7 == 3 {
                    let key = keys[m % keys.count]
                    #expect(try await store.samples(of: key, in: t0..<(t0 + 210 * 60)).count == m + 1)
                }
                if m % 3 == 2 && m < 200 {
                    let result = try await store.write(minute(m - 1, bump: 0.25))
                    #expect(result.summary.changed == 15)
                    revised += 15
                }
            }
            // Folded rows go: the table holds a few commits' worth, not the 210 minutes.
            let rows = try await store.stagedLogReadings()
            #expect(rows > 0 && rows < 60 * 15)
            // No close: as after a crash, some rows are folded (marked) but not deleted.
        }
        let again = try open(policy)
        for key in keys {
            #expect(try await again.sampleCount(of: key) == 210)
            let values = try await again.samples(of: key, in: t0..<(t0 + 210 * 60)).map(\.value)
            for (m, value) in values.enumerated() {
                let expected = minute(m, bump: m % 3 == 1 && m < 199 ? 0.25 : 0).first { $0.series == key }!.value
                #expect(value == expected, "minute \(m) of \(key)")
            }
        }
        // Each correction audited once: versions folded before the crash and still in the table
        // are folded again as duplicates, and only the last version of a reading counts.
        var revisions = 0
        for key in keys { revisions += try await again.revisions(of: key).count }
        #expect(revisions == revised)
        try await expectRollupsMatchRaw(again, keys: keys, from: t0, hours: 4, includingDay: true)
        #expect(try await again.stagedLogReadings() == 0)
        try again.close()
    }
}
