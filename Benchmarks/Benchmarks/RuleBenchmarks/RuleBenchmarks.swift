// Benchmarks of the rule engine: throughput of streaming evaluation (1,000 rules over 10,000
// series), and the latency from a committed exceedance to its notification in the outbox.
// See Benchmarks/README.md for the goals.

import Benchmark
import Foundation
import Monitoring
import Rules
import Store
import Synchronization

let benchmarks: @Sendable () -> Void = {
    // 1. Streaming evaluation on one core: 1,000,000 readings per iteration, the 10,000 series
    //    interleaved as a live feed delivers them, in commits of 5,000 readings.
    let fixture = RuleFixture()
    Benchmark(
        "Rule engine, 1000 rules x 10000 series",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, RuleFixture.readingsPerSecond],
            units: [RuleFixture.readingsPerSecond: .kilo],
            warmupIterations: 1,
            scalingFactor: .mega,
            maxDuration: .seconds(30),
            maxIterations: 10
        )
    ) { benchmark in
        fixture.run(benchmark)
    }

    // 2. From a reading's submission to the writer until its notification is in the outbox
    //    (SQLite, one transaction with the new alert state), while 20,000 other readings a
    //    second are committed and evaluated.
    let latency = OutboxFixture()
    Benchmark(
        "Exceedance to outbox under 20k readings/s",
        configuration: .init(
            // Wall clock: from submitting the reading to the writer (its batch waits up to the
            // writer's 25 ms) to the outbox; the custom metric counts from the commit.
            metrics: [.wallClock, OutboxFixture.commitToOutbox],
            warmupIterations: 3,
            maxDuration: .seconds(30),
            maxIterations: 400
        )
    ) { benchmark in
        await latency.run(benchmark)
    } setup: {
        try await latency.start()
    } teardown: {
        await latency.stop()
    }
}

/// 1,000 stations × 10 ambient parameters = 10,000 series, and 1,000 rules selecting them by
/// label groups (as a city's rules select districts, operators, basins).
final class RuleFixture: @unchecked Sendable {
    static let readingsPerSecond = BenchmarkMetric.custom("readings/s", polarity: .prefersLarger, useScalingFactor: false)
    static let stationCount = 1_000

    let stations: StationRegistry
    let rules: [Rule]
    let engine: RuleEngine
    let keys: [SeriesKey]
    /// Minutes already fed: every iteration continues where the last stopped.
    var minute: Int64 = 0
    let t0: Int64 = 1_767_225_600

    init() {
        let params = ParameterCatalogue.standard.parameters.compactMap { p -> StationParameter? in
            guard let m = p.measurement(in: .ambient) else { return nil }
            return StationParameter(parameter: p, reportedUnit: m.unit, unit: m.unit, range: m.range)
        }.prefix(10)
        var list: [Station] = []
        for i in 0..<Self.stationCount {
            list.append(
                Station(
                    id: String(format: "st-%04d", i), name: "station \(i)", kind: .ambientAir, timeZone: TimeZone(identifier: "Asia/Shanghai")!,
                    expectedInterval: 60, parameters: Array(params), labels: ["group": String(i % 100), "district": String(i % 7)]))
        }
        stations = StationRegistry(list)
        let ids = params.map(\.parameter.id)
        var rules: [Rule] = []
        // 900: per group of 10 stations, a threshold on readings for each of 9 parameters.
        for g in 0..<100 {
            for (k, p) in ids.prefix(9).enumerated() {
                rules.append(
                    Rule(
                        name: "g\(g)-\(p)-high",
                        condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 100 + Double(k), below: nil), clearFraction: 0.9)),
                        match: RuleMatcher(labels: ["group": String(g)], parameters: [p]), holdFor: 300))
            }
        }
        // 100 more of the other kinds.
        for g in 0..<40 {
            rules.append(Rule(name: "g\(g)-stuck", condition: .stuck(readings: 10, tolerance: 0), match: RuleMatcher(labels: ["group": String(g)])))
        }
        for g in 40..<80 {
            rules.append(
                Rule(name: "g\(g)-rate", condition: .rateOfChange(maxChange: 500, per: 3_600), match: RuleMatcher(labels: ["group": String(g)], parameters: [ids[9]])))
        }
        for d in 0..<7 {
            rules.append(Rule(name: "d\(d)-fault", condition: .deviceFlag([.fault]), match: RuleMatcher(labels: ["district": String(d)])))
        }
        for g in 80..<91 {
            rules.append(
                Rule(name: "g\(g)-hourly", condition: .threshold(Threshold(basis: .hour, source: .fixed(above: 90, below: nil))),
                     match: RuleMatcher(labels: ["group": String(g)], parameters: [ids[0]])))
        }
        rules.append(Rule(name: "completeness", condition: .completeness(basis: .hour, minimum: 0.75)))
        rules.append(Rule(name: "silent", condition: .noData(after: nil, multiple: 5)))
        precondition(rules.count == 1_000, "\(rules.count) rules")
        self.rules = rules
        engine = RuleEngine(rules: rules, stations: stations)
        keys = list.flatMap { s in s.parameters.map { SeriesKey(station: s.id, parameter: $0.parameter.id, kind: .realtime) } }
    }

    func run(_ benchmark: Benchmark) {
        let perIteration = 1_000_000
        let minutes = perIteration / keys.count
        var batch: [Sample] = []
        batch.reserveCapacity(5_000)
        var transitions = 0
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        for m in 0..<minutes {
            let t = t0 + (minute + Int64(m)) * 60
            for (i, key) in keys.enumerated() {
                // Values mostly well under the limits; a few series drift above now and then.
                let base = Double((i * 7 + m) % 60) + 20
                let value = (i % 997 == 0 && m % 30 < 10) ? 150 : base
                batch.append(Sample(series: key, time: t, value: value, flag: (i + m) % 5_000 == 0 ? .fault : .normal))
                if batch.count == 5_000 {
                    transitions += engine.ingest(batch, receivedAt: t + 2).count
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if m % 10 == 9 { transitions += engine.tick(now: t + 60).count }
        }
        benchmark.stopMeasurement()
        minute += Int64(minutes)
        let seconds = Double((ContinuousClock.now - start).components.attoseconds) / 1e18 + Double((ContinuousClock.now - start).components.seconds)
        benchmark.measurement(Self.readingsPerSecond, Int(Double(perIteration) / seconds))
        blackHole(transitions)
    }
}

/// Notes when each batch holding a reading of the target station was committed, by the reading's
/// time, then passes it on.
final class TimingObserver: CommitObserver {
    let next: any CommitObserver
    private let committedAt = Mutex<[Int64: ContinuousClock.Instant]>([:])

    init(_ next: any CommitObserver) { self.next = next }

    func didCommit(_ samples: [Sample], outcomes: [SampleOutcome]) {
        let now = ContinuousClock.now
        let times = samples.filter { $0.series.station == OutboxFixture.station }.map(\.time)
        if !times.isEmpty { committedAt.withLock { for t in times { $0[t] = now } } }
        next.didCommit(samples, outcomes: outcomes)
    }

    /// When the target reading of time `t` was committed (once).
    func take(_ t: Int64) -> ContinuousClock.Instant? { committedAt.withLock { $0.removeValue(forKey: t) } }
}

/// A notification of the rule under test written to the outbox: the time of the reading that
/// caused it (the transition's `at`) and when its transaction ended.
struct OutboxSignal: Sendable {
    let readingTime: Int64
    let written: ContinuousClock.Instant
}

/// A journal that says when a notification of one rule has been written. Only that rule counts:
/// the target station also falls under the catch-all rules (hourly completeness, no-data), and
/// the service's ticks close the target's hours and notify about them at other times.
final class SignallingJournal: AlertJournal, @unchecked Sendable {
    let store: SQLiteStore
    let rule: String
    let written: AsyncStream<OutboxSignal>
    let continuation: AsyncStream<OutboxSignal>.Continuation

    init(store: SQLiteStore, rule: String) {
        self.store = store
        self.rule = rule
        (written, continuation) = AsyncStream.makeStream(of: OutboxSignal.self)
    }

    func loadAlertInstances() async throws(StoreError) -> [AlertInstance] { try await store.loadAlertInstances() }
    func record(_ transitions: [AlertTransition], updates: [AlertInstance], recordedAt: Int64) async throws(StoreError) {
        try await store.record(transitions, updates: updates, recordedAt: recordedAt)
        let now = ContinuousClock.now
        for t in transitions where t.instance.key.rule == rule && t.notification != nil {
            continuation.yield(OutboxSignal(readingTime: t.at, written: now))
        }
    }
    func alertHistory(since: Int64, limit: Int) async throws(StoreError) -> [AlertHistoryEntry] { [] }
    func alertEpisodes(overlapping range: Range<Int64>) async throws(StoreError) -> [AlertEpisode] { [] }
    func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] { [] }
}

final class OutboxFixture: @unchecked Sendable {
    /// From the commit holding the reading (the writer's `submit` returning) to the outbox row.
    static let commitToOutbox = BenchmarkMetric.custom("commit to outbox (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let station = "target"
    static let rule = "target-cod"
    var folder = ""
    var store: SQLiteStore?
    var writer: BatchingWriter<ContinuousClock>?
    var service: RuleService<ContinuousClock>?
    var signals: AsyncStream<OutboxSignal>.Iterator?
    var timing: TimingObserver?
    var tasks: [Task<Void, Never>] = []
    var iteration = 0
    let base = RuleFixture()
    let t0: Int64 = 1_767_225_600

    func start() async throws {
        folder = NSTemporaryDirectory() + "envmon-rule-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cod = ParameterCatalogue.standard["COD"]!
        let water = cod.measurement(in: .water)!
        let target = Station(
            id: Self.station, name: "target", kind: .dischargeOutlet, timeZone: TimeZone(identifier: "Asia/Shanghai")!, expectedInterval: 60,
            parameters: [StationParameter(parameter: cod, reportedUnit: water.unit, unit: water.unit, range: water.range)])
        let registry = StationRegistry(base.stations.stations + [target])
        let rules = base.rules + [
            Rule(name: Self.rule, condition: .threshold(Threshold(basis: .reading, source: .fixed(above: 90, below: nil))), match: RuleMatcher(stations: [Self.station]))
        ]
        let store = try SQLiteStore(path: folder + "/b.sqlite", stations: registry, staging: .live)
        let journal = SignallingJournal(store: store, rule: Self.rule)
        signals = journal.written.makeAsyncIterator()
        let service = RuleService(
            engine: RuleEngine(rules: rules, stations: registry), journal: journal, store: store, clock: ContinuousClock(),
            now: { Int64(Date().timeIntervalSince1970) }, tickInterval: .seconds(1))
        let timing = TimingObserver(service)
        self.timing = timing
        let writer = BatchingWriter(store: store, maxBatch: 100_000, maxDelay: .milliseconds(25), clock: ContinuousClock(), observer: timing)
        self.store = store
        self.service = service
        self.writer = writer
        tasks.append(Task { try? await service.run() })
        // Background: every 50 ms one reading of 1,000 of the series (20,000 readings/s).
        let keys = base.keys
        let t0 = self.t0
        tasks.append(
            Task {
                var round: Int64 = 0
                while !Task.isCancelled {
                    let t = t0 + round * 60
                    let slice = keys[Int(round % 10) * 1_000..<Int(round % 10 + 1) * 1_000]
                    let samples = slice.enumerated().map {
                        Sample(series: $0.element, time: t + Int64($0.offset % 60), value: 30 + Double((Int(round) + $0.offset) % 17))
                    }
                    _ = try? await writer.submit(samples)
                    round += 1
                    try? await Task.sleep(for: .milliseconds(50))
                }
            })
        // Past the first minutes of a fresh store (every series' first rows, the first full
        // fold of the staged rows), so iterations see the steady state.
        try await Task.sleep(for: .seconds(12))
    }

    func run(_ benchmark: Benchmark) async {
        guard let writer, let timing, var signals else { return benchmark.error("the fixture did not start") }
        // Alternately an exceedance (fires) and a normal value (resolves): both notify.
        iteration += 1
        let value: Double = iteration % 2 == 1 ? 150 : 40
        let time = t0 + Int64(iteration) * 60
        let sample = Sample(series: SeriesKey(station: Self.station, parameter: "COD", kind: .realtime), time: time, value: value)
        benchmark.startMeasurement()
        do {
            _ = try await writer.submit([sample])
        } catch {
            return benchmark.error("the writer refused the target reading: \(error)")
        }
        // This reading's notification, matched by the reading's time: a signal of another
        // reading never stands in for it.
        var written: ContinuousClock.Instant?
        while let signal = await signals.next() {
            if signal.readingTime == time {
                written = signal.written
                break
            }
        }
        benchmark.stopMeasurement()
        self.signals = signals
        guard let written, let committed = timing.take(time) else {
            return benchmark.error("no commit or no notification for the target reading of \(time)")
        }
        let (s, atto) = (written - committed).components
        let micros = Int(s) * 1_000_000 + Int(atto / 1_000_000_000_000)
        guard micros >= 0 else { return benchmark.error("the notification of \(time) came before its commit (\(micros) µs)") }
        benchmark.measurement(Self.commitToOutbox, micros)
    }

    func stop() async {
        for t in tasks { t.cancel() }
        service?.finish()
        await writer?.close()
        try? store?.close()
        try? FileManager.default.removeItem(atPath: folder)
    }
}
