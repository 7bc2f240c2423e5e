import Foundation
import Logging
import Monitoring
import PostgresNIO
import Store

extension PostgresBatchWrite {
    /// Gives every series of the batch whose station reports its parameter a slot: its `series`
    /// row (created, or its zone, interval and unit brought up to date) and its newest sample, for
    /// all of the batch's new series in two statements.
    func resolveSeries(_ samples: [Sample]) async throws {
        var seen = Set<SeriesKey>()
        var keys: [SeriesKey] = []
        var zones: [String] = []
        var intervals: [Int64] = []
        var units: [String] = []
        for sample in samples where state.index[sample.series] == nil && !seen.contains(sample.series) {
            let key = sample.series
            seen.insert(key)
            guard let station = state.stations[key.station], let parameter = station.parameter(key.parameter) else { continue }
            keys.append(key)
            zones.append(station.timeZone.identifier)
            intervals.append(key.kind.interval(at: station))
            units.append(parameter.unit.rawValue)
        }
        guard !keys.isEmpty else { return }
        var ids: [SeriesKey: Int64] = [:]
        // The series rows and, for a series whose zone or interval changed in sensors/ since
        // its row was written, its day rollups rebuilt: in one transaction, so that a crash
        // between them cannot leave the new zone written and the old days kept. The `old` CTE
        // sees the rows as they were before the upsert (one snapshot for the whole statement).
        // A second daemon meeting the change at the same moment may see the old row as well
        // (READ COMMITTED) and rebuild again, to the same days; a daemon that met the series
        // before the change keeps its old calendar until its stations are reloaded.
        try await store.client.withTransaction(logger: logger) { connection in
            var changed: [(key: SeriesKey, id: Int64, zone: String, interval: Int64)] = []
            let rows = try await connection.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(\(keys.map(\.station))::text[], \(keys.map(\.parameter))::text[], \(keys.map(\.kind.rawValue))::text[],
                                         \(zones)::text[], \(intervals)::bigint[], \(units)::text[])
                        AS u(station, parameter, kind, time_zone, interval_s, unit)
                ), old AS (
                    SELECT s.id, s.time_zone, s.interval_s FROM series s JOIN input i USING (station, parameter, kind)
                ), up AS (
                    INSERT INTO series (station, parameter, kind, time_zone, interval_s, unit)
                    SELECT * FROM input
                    ON CONFLICT (station, parameter, kind) DO UPDATE
                        SET time_zone = excluded.time_zone, interval_s = excluded.interval_s, unit = excluded.unit
                    RETURNING id, station, parameter, kind, time_zone, interval_s
                )
                SELECT up.id, up.station, up.parameter, up.kind, up.time_zone, up.interval_s,
                       old.id IS NOT NULL AND (old.time_zone <> up.time_zone OR old.interval_s <> up.interval_s)
                FROM up LEFT JOIN old ON old.id = up.id
                """, logger: logger)
            for try await (id, station, parameter, kind, zone, interval, rezoned) in rows.decode(
                (Int32, String, String, String, String, Int64, Bool).self)
            {
                guard let kind = SeriesKind(rawValue: kind) else { continue }
                let key = SeriesKey(station: station, parameter: parameter, kind: kind)
                ids[key] = Int64(id)
                if rezoned { changed.append((key, Int64(id), zone, interval)) }
            }
            for c in changed {
                let calendar = state.calendar(for: TimeZone(identifier: c.zone) ?? .gmt)
                let st = WriterState.SeriesState(key: c.key, id: c.id, calendar: calendar, interval: c.interval, highWater: nil)
                try await rebuildDayRollups(of: st, on: connection)
            }
        }
        // Newest sample per series, one kind at a time so that each lookup prunes to its kind's
        // partitions and reads them newest first.
        var newest: [Int64: Int64] = [:]
        for kind in SeriesKind.allCases {
            let of = keys.filter { $0.kind == kind }.compactMap { ids[$0].map(Int32.init) }
            guard !of.isEmpty else { continue }
            let rows = try await store.client.query(
                """
                SELECT u.id, (SELECT s.ts FROM sample s WHERE s.kind = \(kind.code) AND s.series = u.id ORDER BY s.ts DESC LIMIT 1)
                FROM unnest(\(of)::integer[]) AS u(id)
                """, logger: logger)
            for try await (id, ts) in rows.decode((Int32, Int64?).self) {
                if let ts { newest[Int64(id)] = ts }
            }
        }
        for (i, key) in keys.enumerated() {
            guard let id = ids[key] else { continue }
            let calendar = state.calendar(for: TimeZone(identifier: zones[i]) ?? .gmt)
            _ = state.add(WriterState.SeriesState(key: key, id: id, calendar: calendar, interval: intervals[i], highWater: newest[id]))
        }
    }

    /// Rebuilds the day rollups of series `st` from its samples, in its calendar's days and with
    /// its interval's expected counts, as the SQLite store does after a zone or interval change:
    /// the days that hold samples are recomputed as late data's are; days older than the oldest
    /// sample (retention removed their readings) are kept. The days are found from the distinct
    /// quarter hours that hold samples (every zone's offset is a whole number of quarter hours,
    /// so none straddles a local midnight): a year of minute data sends 35,000 numbers, not
    /// half a million.
    private nonisolated(nonsending) func rebuildDayRollups(of st: WriterState.SeriesState, on connection: PostgresConnection) async throws {
        var days: Set<BucketKey> = []
        let quarters = try await connection.query(
            """
            SELECT DISTINCT ts - ((ts % 900) + 900) % 900 FROM sample
            WHERE kind = \(st.key.kind.code) AND series = \(Int32(st.id))
            """, logger: logger)
        for try await quarter in quarters.decode(Int64.self) {
            days.insert(BucketKey(series: st.id, resolution: 86_400, start: st.calendar.day(containing: quarter).lowerBound))
        }
        guard let from = days.map(\.start).min() else { return }
        try await connection.query(
            "DELETE FROM rollup WHERE series = \(Int32(st.id)) AND resolution = 86400 AND bucket_end > \(from)", logger: logger)
        try await recompute(days, states: [st], on: connection)
    }
}
