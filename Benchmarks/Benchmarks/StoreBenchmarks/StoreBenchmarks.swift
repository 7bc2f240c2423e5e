// Benchmarks of the embedded store (SQLiteStore): ingest throughput and the hourly trend query.
// See Benchmarks/README.md for how to run them and the goals they check.

import Benchmark
import Foundation
import Monitoring
import Store

let benchmarks: @Sendable () -> Void = {
    // 1. Ingest: 1,000 ambient series of one-minute data, written in the order a live feed
    //    delivers them (every series' value for minute t, then minute t+1, …), in batches of
    //    100,000 samples (BatchingWriter's maxBatch), 1,000,000 samples per iteration, into a fresh database each iteration.
    Benchmark(
        "Store ingest, 1000 series interleaved",
        configuration: .init(
            // No `.throughput`: the framework keeps it as whole iterations per second, rounded to
            // an integer, which for iterations of 1–2 s reads 1 (shown as "1 M/s" whatever the
            // real rate) or 0 (then dropped). The exact rate is the custom `samples/s` metric.
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, Ingest.samplesPerSecond],
            units: [Ingest.samplesPerSecond: .kilo],
            warmupIterations: 1,
            // One iteration is 1,000,000 samples; the text output divides the time and malloc
            // figures by this (per sample, marked `*`) unless run with `--scale`.
            scalingFactor: .mega,
            maxDuration: .seconds(40),
            maxIterations: 10
        )
    ) { benchmark in
        await Ingest.run(benchmark)
    }

    // 2. Hourly trend: `aggregate` over one year of one-minute data of one series, by hour.
    let trend = TrendFixture()
    Benchmark(
        "Hourly trend over one year of one-minute data",
        configuration: .init(
            // No `.cpuTotal`: on Linux it moves in 10 ms clock ticks, coarser than one query.
            metrics: [.wallClock, .throughput, .mallocCountTotal],
            warmupIterations: 3,
            maxDuration: .seconds(10),
            maxIterations: 300
        )
    ) { benchmark in
        await trend.run(benchmark)
    } setup: {
        try await trend.load()
    } teardown: {
        trend.remove()
    }
}

// MARK: - Fixtures

/// Ten parameters measured in ambient air, from the standard catalogue.
private let ambientParameters: [StationParameter] = {
    let params = ParameterCatalogue.standard.parameters.compactMap { p -> StationParameter? in
        guard let m = p.measurement(in: .ambient) else { return nil }
        return StationParameter(parameter: p, reportedUnit: m.unit, unit: m.unit, range: m.range)
    }
    precondition(params.count >= 10, "the catalogue has only \(params.count) ambient parameters")
    return Array(params.prefix(10))
}()

private let stationZone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3_600)!

/// An ambient air station reporting the ten ambient parameters every minute.
private func ambientStation(_ id: String) -> Station {
    Station(
        id: id, name: id, kind: .ambientAir, timeZone: stationZone, expectedInterval: 60,
        parameters: ambientParameters)
}

/// A plausible value of a parameter: somewhere in the lower part of its instrument range.
@inline(__always)
private func value(_ range: ClosedRange<Double>, _ i: Int, _ t: Int) -> Double {
    let fraction = 0.02 + Double((i &* 7_919 &+ t &* 104_729) % 1_000) / 5_000
    return range.lowerBound + (range.upperBound - range.lowerBound) * fraction
}

/// 2025-01-01T00:00:00Z; 2025 has 365 days, so 525,600 minutes.
private let yearStart: Int64 = 1_735_689_600
private let yearEnd: Int64 = yearStart + 365 * 86_400

/// A database file under the temporary directory, removed with its WAL and shared-memory files.
private struct TempDatabase {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("envmon-bench-\(UUID().uuidString).sqlite").path

    func remove() {
        for suffix in ["", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: path + suffix)
        }
    }
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

// MARK: - Ingest

private enum Ingest {
    static let samplesPerSecond = BenchmarkMetric.custom("samples/s", polarity: .prefersLarger, useScalingFactor: false)

    static let stationCount = 100
    static let minutes = 1_000
    /// The batch size the collectors' BatchingWriter flushes at.
    static let batchSize = 100_000

    static let registry = StationRegistry(
        (0..<stationCount).map { ambientStation(String(format: "bench-air-%03d", $0)) })

    /// 1,000 series: every station × every ambient parameter, one-minute averages.
    static let series: [(key: SeriesKey, range: ClosedRange<Double>)] = registry.stations.flatMap { station in
        station.parameters.map { p in
            (SeriesKey(station: station.id, parameter: p.parameter.id, kind: .minute), p.range)
        }
    }

    static var sampleCount: Int { series.count * minutes }

    /// The samples, built once, minute by minute across all series, cut into writer batches.
    static let batches: [[Sample]] = {
        precondition(series.count == 1_000 && Set(series.map(\.key)).count == 1_000)
        var all: [Sample] = []
        all.reserveCapacity(series.count * minutes)
        for t in 0..<minutes {
            let time = yearStart + Int64(t) * 60
            for (i, s) in series.enumerated() {
                all.append(Sample(series: s.key, time: time, value: value(s.range, i, t), flag: .normal))
            }
        }
        return stride(from: 0, to: all.count, by: batchSize).map { Array(all[$0..<min($0 + batchSize, all.count)]) }
    }()

    static func run(_ benchmark: Benchmark) async {
        let batches = self.batches  // built outside the measured region (first use)
        let file = TempDatabase()
        defer { file.remove() }
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: file.path, stations: registry)
        } catch {
            benchmark.error("cannot open \(file.path): \(error)")
            return
        }

        let clock = ContinuousClock()
        var inserted = 0
        benchmark.startMeasurement()
        let start = clock.now
        do {
            for batch in batches {
                inserted += try await store.write(batch).summary.inserted
            }
        } catch {
            benchmark.stopMeasurement()
            benchmark.error("write failed: \(error)")
            return
        }
        let elapsed = start.duration(to: clock.now)
        benchmark.stopMeasurement()

        precondition(inserted == sampleCount, "inserted \(inserted) of \(sampleCount) samples")
        benchmark.measurement(samplesPerSecond, Int((Double(sampleCount) / seconds(elapsed)).rounded()))
        try? store.close()
    }
}

// MARK: - Hourly trend

/// One series with a year of one-minute samples, loaded once before the iterations.
private final class TrendFixture: @unchecked Sendable {
    // Touched by the benchmark's setup, iterations and teardown, which the framework runs one
    // after another, never concurrently.
    private var file: TempDatabase?
    private var store: SQLiteStore?

    static let expectedRows = 365 * 24
    let key = SeriesKey(station: "bench-trend", parameter: "PM2.5", kind: .minute)

    var query: AggregateQuery {
        AggregateQuery(series: key, range: yearStart..<yearEnd, step: 3_600, function: .avg)
    }

    func load() async throws {
        let file = TempDatabase()
        self.file = file
        let station = ambientStation(key.station)
        let store = try SQLiteStore(path: file.path, stations: StationRegistry([station]))
        self.store = store
        let range = station.parameter(key.parameter)!.range
        let minutes = Int((yearEnd - yearStart) / 60)
        precondition(minutes == 525_600)
        var batch: [Sample] = []
        batch.reserveCapacity(Ingest.batchSize)
        for t in 0..<minutes {
            batch.append(Sample(series: key, time: yearStart + Int64(t) * 60, value: value(range, 0, t), flag: .normal))
            if batch.count == Ingest.batchSize || t == minutes - 1 {
                _ = try await store.write(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        let stored = try await store.sampleCount(of: key)
        precondition(stored == minutes, "the trend fixture holds \(stored) samples, not \(minutes)")
    }

    func run(_ benchmark: Benchmark) async {
        guard let store else {
            benchmark.error("the trend fixture was not loaded")
            return
        }
        let query = self.query
        benchmark.startMeasurement()
        let rows: [AggregateRow]
        do {
            rows = try await store.aggregate(query)
        } catch {
            benchmark.stopMeasurement()
            benchmark.error("aggregate failed: \(error)")
            return
        }
        benchmark.stopMeasurement()
        precondition(rows.count == Self.expectedRows, "the hourly trend returned \(rows.count) rows, not \(Self.expectedRows)")
        blackHole(rows)
    }

    func remove() {
        try? store?.close()
        store = nil
        file?.remove()
        file = nil
    }
}
