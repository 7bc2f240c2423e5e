import Foundation
import Logging
public import Monitoring
import NIOCore
import PostgresNIO
public import Store

extension PostgresStore {
    /// Stores samples in one transaction; see ``TimeSeriesStore/write(_:)``.
    ///
    /// Samples newer than their series' newest committed sample (the live and the import case)
    /// go in through one `INSERT … SELECT FROM unnest(…)`, with no per-row conflict check; the
    /// rest through one statement that compares each with the stored one, audits and replaces
    /// the changed ones and inserts the missing ones. When the first meets a stored sample after
    /// all (another writer stored newer ones meanwhile), the batch is rolled back and done again
    /// the second way. Rollups are updated in the same transaction: merged for readings in open
    /// buckets, recomputed from the samples for buckets that received late or changed readings.
    public func write(_ samples: [Sample]) async throws(StoreError) -> WriteResult {
        if samples.isEmpty { return WriteResult(outcomes: [], summary: WriteSummary()) }
        let now = clock()
        return try await gate.run { () async throws(StoreError) -> WriteResult in
            do {
                return try await PostgresBatchWrite(store: self, now: now).run(samples, trustHighWater: true)
            } catch {
                writer.reset()
                guard Self.isUniqueViolation(error) else {
                    throw Self.error(.write, "a batch of \(samples.count) samples was not stored", error)
                }
            }
            do {
                return try await PostgresBatchWrite(store: self, now: now).run(samples, trustHighWater: false)
            } catch {
                writer.reset()
                throw Self.error(.write, "a batch of \(samples.count) samples was not stored", error)
            }
        }
    }
}

/// One batch in one transaction (only while holding the writer gate).
struct PostgresBatchWrite {
    struct Entry {
        var slot: Int32
        var index: Int32
        var time: Int64
        var value: Double
        var flag: DataFlag
    }

    let store: PostgresStore
    let now: Int64
    var state: PostgresWriterState { store.writer }
    var logger: Logger { store.logger }

    func run(_ samples: [Sample], trustHighWater: Bool) async throws -> WriteResult {
        var outcomes = [SampleOutcome](repeating: .inserted, count: samples.count)
        var summary = WriteSummary()
        let horizons = try await loadHorizons()
        // Each sample's slot, its key hashed once (the server waits while a batch is prepared);
        // series not seen yet resolved together, then looked up again.
        var slots = [Int32](repeating: -1, count: samples.count)
        var missing: [Int] = []
        for (i, sample) in samples.enumerated() {
            if let slot = state.index[sample.series] { slots[i] = slot } else { missing.append(i) }
        }
        if !missing.isEmpty {
            try await resolveSeries(missing.map { samples[$0] })
            for i in missing { slots[i] = state.index[samples[i].series] ?? -1 }
        }

        var entries: [Entry] = []
        entries.reserveCapacity(samples.count)
        for (i, sample) in samples.enumerated() {
            let slot = slots[i]
            guard slot >= 0 else {
                outcomes[i] = .unknownSeries
                summary.unknownSeries += 1
                continue
            }
            if let h = horizons[sample.series.kind], sample.time < h {
                outcomes[i] = .beyondRetention
                summary.beyondRetention += 1
                continue
            }
            entries.append(Entry(slot: slot, index: Int32(i), time: sample.time, value: sample.value, flag: sample.flag))
        }
        if entries.isEmpty { return WriteResult(outcomes: outcomes, summary: summary) }
        entries = Self.ordered(entries, slots: state.states.count)

        // Which entries go where: appended (newer than the series' newest committed sample),
        // compared with the stored one, or dropped as an earlier version within the batch.
        let states = state.states
        var append: [Int] = []
        var compare: [Int] = []
        var newest: [Int32: Int64] = [:]
        for k in entries.indices {
            let e = entries[k]
            let sameSeriesNext = k + 1 < entries.count && entries[k + 1].slot == e.slot
            if !sameSeriesNext { newest[e.slot] = e.time }
            if sameSeriesNext && entries[k + 1].time == e.time {
                // Two samples for the same instant in one batch: the later one given wins.
                outcomes[Int(e.index)] = .duplicate
                summary.duplicates += 1
            } else if trustHighWater, e.time > (states[Int(e.slot)].highWater ?? .min) {
                append.append(k)
            } else {
                compare.append(k)
            }
        }
        try await ensurePartitions(for: append + compare, entries)

        let result: (outcomes: [SampleOutcome], summary: WriteSummary) = try await store.client.withTransaction(logger: logger) {
            connection in
            var outcomes = outcomes
            var summary = summary
            try await insert(append.map { entries[$0] }, on: connection)
            for k in append { outcomes[Int(entries[k].index)] = .inserted }
            summary.inserted += append.count
            if !compare.isEmpty {
                for (k, outcome) in try await upsert(compare.map { entries[$0] }, on: connection) {
                    outcomes[Int(entries[compare[k]].index)] = outcome
                    summary.add(outcome)
                }
            }
            // Rollups, in (series, time) order, of every reading stored or replaced.
            var cursor = RollupCursor(states: states)
            for e in entries {
                let outcome = outcomes[Int(e.index)]
                guard outcome == .inserted || outcome == .changed else { continue }
                // An earlier version of the same instant in this batch is `.duplicate`: skipped.
                cursor.add(slot: e.slot, time: e.time, value: e.value, flag: e.flag, changed: outcome == .changed)
            }
            cursor.finish()
            let dirty = cursor.dirty
            try await mergeRollups(cursor.pending.filter { !dirty.contains($0.key) }, on: connection)
            try await recompute(dirty, states: states, on: connection)
            summary.recomputedBuckets = dirty.count
            if store.configuration.logsCommits {
                // Last: the commit log's lock is held from here to the commit.
                let fresh = columns(entries.filter { outcomes[Int($0.index)] == .inserted || outcomes[Int($0.index)] == .changed })
                try await PostgresCommitLog.append(
                    series: fresh.series, times: fresh.times, values: fresh.values, flags: fresh.flags, at: now, on: connection, logger: logger)
            }
            return (outcomes, summary)
        }
        // Committed: only now move the marks (a rollback resets them).
        for (slot, time) in newest {
            state.states[Int(slot)].highWater = max(state.states[Int(slot)].highWater ?? .min, time)
        }
        return WriteResult(outcomes: result.outcomes, summary: result.summary)
    }

    /// `entries` ordered by (slot, time, index). A batch mostly comes in time order with its
    /// series interleaved (a minute of every station, then the next), so a stable bucketing by
    /// slot, two linear passes, gives that order; a series whose samples are not in time order
    /// sends the batch through a sort. With this and the single hashing above, ingest went from
    /// 0.75–0.83 of `\copy` to 0.78–0.88 (Benchmarks/pg-ingest.sh, three runs each).
    static func ordered(_ entries: [Entry], slots: Int) -> [Entry] {
        var start = [Int](repeating: 0, count: slots + 1)
        for e in entries { start[Int(e.slot) + 1] += 1 }
        for s in 0..<slots { start[s + 1] += start[s] }
        let out = [Entry](unsafeUninitializedCapacity: entries.count) { buffer, count in
            for e in entries {
                (buffer.baseAddress! + start[Int(e.slot)]).initialize(to: e)
                start[Int(e.slot)] += 1
            }
            count = entries.count
        }
        guard zip(out, out.dropFirst()).contains(where: { $0.slot == $1.slot && $0.time > $1.time }) else { return out }
        return out.sorted { a, b in a.slot != b.slot ? a.slot < b.slot : a.time != b.time ? a.time < b.time : a.index < b.index }
    }

    /// New samples, all in one statement; fails with a unique violation if one is stored already.
    private func insert(_ entries: [Entry], on connection: PostgresConnection) async throws {
        guard !entries.isEmpty else { return }
        if store.configuration.bulkInsert == .copy {
            try await copy(entries, on: connection)
            return
        }
        let c = columns(entries)
        try await connection.query(
            """
            INSERT INTO sample (series, kind, flag, ts, value)
            SELECT * FROM unnest(\(c.series)::integer[], \(c.kinds)::smallint[], \(c.flags)::text[], \(c.times)::bigint[], \(c.values)::float8[])
            """, logger: logger)
    }

    /// New samples through `COPY … FROM STDIN` in text format: integers written as digits, the
    /// value as Swift's shortest exact decimal, the flag a letter; sent 64 KiB at a time, so that
    /// the server parses one piece while the next is written.
    private func copy(_ entries: [Entry], on connection: PostgresConnection) async throws {
        let states = state.states
        try await connection.copyFrom(table: "sample", columns: ["series", "kind", "flag", "ts", "value"], logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(copyChunk + 256)
            var slot: Int32 = -1
            var prefix: [UInt8] = []
            for e in entries {
                if e.slot != slot {
                    // "series\tkind\t", once per run of a series' samples.
                    slot = e.slot
                    let st = states[Int(slot)]
                    prefix = Array("\(st.id)\t\(st.key.kind.code)\t".utf8)
                }
                buffer.writeBytes(prefix)
                buffer.writeString(e.flag.rawValue)
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeDecimal(e.time)
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(e.value.description)
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= copyChunk {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    /// Samples that may be stored: compared with the stored ones in one statement that audits
    /// and replaces the changed ones and inserts the missing ones. Returns each entry's outcome.
    private func upsert(_ entries: [Entry], on connection: PostgresConnection) async throws -> [(Int, SampleOutcome)] {
        let c = columns(entries)
        let order = (0..<Int32(entries.count)).map { $0 }
        let rows = try await connection.query(
            """
            WITH i AS (
                SELECT * FROM unnest(\(c.series)::integer[], \(c.kinds)::smallint[], \(c.flags)::text[], \(c.times)::bigint[],
                                     \(c.values)::float8[], \(order)::integer[]) AS i(series, kind, flag, ts, value, k)
            ), o AS (
                SELECT i.*, s.value AS old_value, s.flag AS old_flag,
                       s.value IS NOT NULL AND (s.value <> i.value OR s.flag <> i.flag) AS changed
                FROM i LEFT JOIN sample s ON s.kind = i.kind AND s.series = i.series AND s.ts = i.ts
            ), audit AS (
                INSERT INTO sample_revision (series, ts, old_value, old_flag, new_value, new_flag, revised_at)
                SELECT series, ts, old_value, old_flag, value, flag, \(now) FROM o WHERE changed ORDER BY k
            ), replaced AS (
                UPDATE sample s SET value = o.value, flag = o.flag FROM o
                WHERE o.changed AND s.kind = o.kind AND s.series = o.series AND s.ts = o.ts
            ), added AS (
                INSERT INTO sample (series, kind, flag, ts, value)
                SELECT series, kind, flag, ts, value FROM o WHERE old_value IS NULL
            )
            SELECT k, CASE WHEN old_value IS NULL THEN 0 WHEN changed THEN 2 ELSE 1 END::smallint FROM o
            """, logger: logger)
        var out: [(Int, SampleOutcome)] = []
        out.reserveCapacity(entries.count)
        for try await (k, code) in rows.decode((Int32, Int16).self) {
            out.append((Int(k), code == 0 ? .inserted : code == 2 ? .changed : .duplicate))
        }
        return out
    }

    private func columns(_ entries: [Entry]) -> (series: [Int32], kinds: [Int16], flags: [String], times: [Int64], values: [Double]) {
        let states = state.states
        var series: [Int32] = []
        var kinds: [Int16] = []
        var flags: [String] = []
        var times: [Int64] = []
        var values: [Double] = []
        series.reserveCapacity(entries.count)
        kinds.reserveCapacity(entries.count)
        flags.reserveCapacity(entries.count)
        times.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        for e in entries {
            let st = states[Int(e.slot)]
            series.append(Int32(st.id))
            kinds.append(st.key.kind.code)
            flags.append(e.flag.rawValue)
            times.append(e.time)
            values.append(e.value)
        }
        return (series, kinds, flags, times, values)
    }

    /// Adds the batch's accumulators to their rollup rows (creating them), in one upsert.
    private func mergeRollups(_ items: [(key: BucketKey, end: Int64, expected: Int64, acc: RollupAccumulator)], on connection: PostgresConnection) async throws {
        guard !items.isEmpty else { return }
        let r = RollupColumns(items.map { ($0.key, $0.end, $0.expected, $0.acc) })
        try await connection.query(
            """
            INSERT INTO rollup (series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
            SELECT series, resolution, bucket, bucket_end, count, valid_count, vsum,
                   CASE WHEN valid_count > 0 THEN vmin END, CASE WHEN valid_count > 0 THEN vmax END, flags, expected
            FROM unnest(\(r.series)::integer[], \(r.resolution)::integer[], \(r.bucket)::bigint[], \(r.end)::bigint[], \(r.count)::integer[],
                        \(r.valid)::integer[], \(r.sum)::float8[], \(r.min)::float8[], \(r.max)::float8[], \(r.flags)::smallint[],
                        \(r.expected)::integer[])
                 AS u(series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
            ON CONFLICT (series, resolution, bucket) DO UPDATE SET
                count = rollup.count + excluded.count,
                valid_count = rollup.valid_count + excluded.valid_count,
                vsum = rollup.vsum + excluded.vsum,
                vmin = LEAST(rollup.vmin, excluded.vmin),
                vmax = GREATEST(rollup.vmax, excluded.vmax),
                flags = rollup.flags | excluded.flags
            """, logger: logger)
    }

    /// Recomputes buckets from their samples: one read of all of them, one upsert.
    nonisolated(nonsending) func recompute(_ keys: Set<BucketKey>, states: [WriterState.SeriesState], on connection: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        let byID = Dictionary(states.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var buckets: [(key: BucketKey, end: Int64, expected: Int64, acc: RollupAccumulator)] = []
        for key in keys {
            let st = byID[key.series]
            let end = key.resolution == 3_600 ? key.start + 3_600 : st?.calendar.day(containing: key.start).upperBound ?? key.start + 86_400
            buckets.append((key, end, st.map { (end - key.start) / max(1, $0.interval) } ?? 0, RollupAccumulator()))
        }
        let series = buckets.map { Int32($0.key.series) }
        let kinds = buckets.map { byID[$0.key.series]?.key.kind.code ?? 0 }
        let starts = buckets.map(\.key.start)
        let ends = buckets.map(\.end)
        let rows = try await connection.query(
            """
            SELECT d.n, s.value, s.flag
            FROM unnest(\(series)::integer[], \(kinds)::smallint[], \(starts)::bigint[], \(ends)::bigint[]) WITH ORDINALITY AS d(series, kind, lo, hi, n)
            JOIN sample s ON s.kind = d.kind AND s.series = d.series AND s.ts >= d.lo AND s.ts < d.hi
            """, logger: logger)
        for try await (n, value, flag) in rows.decode((Int64, Double, String).self) {
            buckets[Int(n) - 1].acc.add(value, DataFlag(rawValue: flag) ?? .normal)
        }
        let r = RollupColumns(buckets.map { ($0.key, $0.end, $0.expected, $0.acc) })
        try await connection.query(
            """
            INSERT INTO rollup (series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
            SELECT series, resolution, bucket, bucket_end, count, valid_count, vsum,
                   CASE WHEN valid_count > 0 THEN vmin END, CASE WHEN valid_count > 0 THEN vmax END, flags, expected
            FROM unnest(\(r.series)::integer[], \(r.resolution)::integer[], \(r.bucket)::bigint[], \(r.end)::bigint[], \(r.count)::integer[],
                        \(r.valid)::integer[], \(r.sum)::float8[], \(r.min)::float8[], \(r.max)::float8[], \(r.flags)::smallint[],
                        \(r.expected)::integer[])
                 AS u(series, resolution, bucket, bucket_end, count, valid_count, vsum, vmin, vmax, flags, expected)
            ON CONFLICT (series, resolution, bucket) DO UPDATE SET
                bucket_end = excluded.bucket_end, count = excluded.count, valid_count = excluded.valid_count, vsum = excluded.vsum,
                vmin = excluded.vmin, vmax = excluded.vmax, flags = excluded.flags, expected = excluded.expected
            """, logger: logger)
    }

    /// The retention horizons applied so far, by kind.
    private func loadHorizons() async throws -> [SeriesKind: Int64] {
        if let h = state.horizons { return h }
        var h: [SeriesKind: Int64] = [:]
        for try await (kind, horizon) in try await store.client.query("SELECT kind, horizon FROM retention_horizon", logger: logger)
            .decode((String, Int64).self)
        {
            if let kind = SeriesKind(rawValue: kind) { h[kind] = horizon }
        }
        state.horizons = h
        return h
    }

    /// Creates the month partitions the entries need, and the month after the newest of each
    /// kind (ahead of the writes that will need it), in a transaction of their own: creating a
    /// partition locks its parent, which should not last a batch.
    private func ensurePartitions(for indices: [Int], _ entries: [Entry]) async throws {
        var known = try await store.knownPartitions()
        var needed = Set<SamplePartition>()
        var newest: [SeriesKind: SamplePartition] = [:]
        let states = state.states
        var lastSlot: Int32 = -1
        var lastPartition: SamplePartition?
        for k in indices {
            let e = entries[k]
            let kind = states[Int(e.slot)].key.kind
            if e.slot == lastSlot, let p = lastPartition, p.lowerBound <= e.time, e.time < p.upperBound { continue }
            let p = SamplePartition(kind: kind, containing: e.time)
            lastSlot = e.slot
            lastPartition = p
            needed.insert(p)
            if newest[kind].map({ $0 < p }) ?? true { newest[kind] = p }
        }
        for p in newest.values { needed.insert(p.next) }
        let missing = needed.subtracting(known).sorted()
        guard !missing.isEmpty else { return }
        try await store.client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))", logger: logger)
            for p in missing {
                try await connection.query(PostgresQuery(unsafeSQL: p.createSQL), logger: logger)
            }
        }
        known.formUnion(missing)
        state.partitions = known
    }
}

/// Bytes of COPY data sent at a time.
private let copyChunk = 64 << 10

extension ByteBuffer {
    /// Writes an integer's decimal digits, without making a `String`.
    fileprivate mutating func writeDecimal(_ value: Int64) {
        if value < 0 { writeInteger(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits (19 at most), written from the end
        withUnsafeMutableBytes(of: &digits) { raw in
            var at = raw.count
            repeat {
                at -= 1
                raw[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            writeBytes(UnsafeRawBufferPointer(rebasing: raw[at...]))
        }
    }
}

/// Rollup rows as the arrays of an `unnest` upsert.
struct RollupColumns {
    var series: [Int32] = []
    var resolution: [Int32] = []
    var bucket: [Int64] = []
    var end: [Int64] = []
    var count: [Int32] = []
    var valid: [Int32] = []
    var sum: [Double] = []
    var min: [Double] = []
    var max: [Double] = []
    var flags: [Int16] = []
    var expected: [Int32] = []

    init(_ items: [(key: BucketKey, end: Int64, expected: Int64, acc: RollupAccumulator)]) {
        for item in items {
            series.append(Int32(item.key.series))
            resolution.append(Int32(item.key.resolution))
            bucket.append(item.key.start)
            end.append(item.end)
            count.append(Int32(item.acc.count))
            valid.append(Int32(item.acc.validCount))
            sum.append(item.acc.sum)
            // Null when no reading is valid: the statement turns these into NULL by valid_count.
            min.append(item.acc.min ?? 0)
            max.append(item.acc.max ?? 0)
            flags.append(Int16(item.acc.flags.rawValue))
            expected.append(Int32(item.expected))
        }
    }
}
