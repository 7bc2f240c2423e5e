public import Monitoring
import GRDB
import Foundation

extension SQLiteStore {
    /// The newest sample of every series the store holds, in one query: what an overview of a
    /// thousand stations reads at once instead of a seek per series through ``latest(of:)``.
    ///
    /// Each series costs one seek at the end of its key range of `sample` (``ReadSQL/latest``),
    /// however long it is.
    public func latestOfEverySeries() async throws(StoreError) -> [SeriesKey: StoredSample] {
        try await foldStaged()
        do {
            return try await pool.read { db in
                var out: [SeriesKey: StoredSample] = [:]
                // On SQLite's C API: GRDB's Row boxes each of the values of a large network. The
                // series first (one scan), then one seek at the end of each one's samples.
                let all = try RawStatement(db, sql: BatchSQL.everySeries)
                defer { all.reset() }
                var series: [(Int64, SeriesKey)] = []
                while try all.step() {
                    guard let station = all.text(at: 1), let parameter = all.text(at: 2), let kindText = all.text(at: 3),
                        let kind = SeriesKind(rawValue: String(cString: kindText))
                    else { continue }
                    series.append((all.int64(at: 0), SeriesKey(station: String(cString: station), parameter: String(cString: parameter), kind: kind)))
                }
                let latest = try RawStatement(db, sql: ReadSQL.latest)
                for (id, key) in series {
                    latest.reset()
                    latest.bind(id, at: 1)
                    guard try latest.step() else { continue }
                    let flag = latest.text(at: 2).flatMap { DataFlag(rawValue: String(cString: $0)) } ?? .normal
                    out[key] = StoredSample(time: latest.int64(at: 0), value: latest.double(at: 1), flag: flag)
                }
                latest.reset()
                return out
            }
        } catch {
            throw StoreError(.read, "cannot read the latest values", underlying: error)
        }
    }

    /// Several ``aggregate(_:)`` queries answered in one read transaction (one fold of what is
    /// staged, one snapshot): each answer in the order of `queries`. A query the single call would
    /// refuse (a step of zero, a flow-weighted mean without flow) throws here too.
    public func aggregate(_ queries: [AggregateQuery]) async throws(StoreError) -> [[AggregateRow]] {
        for query in queries {
            guard query.step > 0 else { throw StoreError(.badQuery, "the step must be positive") }
            guard query.function != .flowWeighted || query.flow != nil else {
                throw StoreError(.badQuery, "a flow-weighted mean needs a flow series")
            }
        }
        guard !queries.isEmpty else { return [] }
        try await foldStaged(for: queries.flatMap { [$0.series] + ($0.flow.map { [$0] } ?? []) })
        do {
            return try await pool.read { db in
                // One calendar a zone for the whole batch: a fresh one asks Foundation for every offset.
                var calendars: [String: ZoneCalendar] = [:]
                return try queries.map { query in
                    guard !query.range.isEmpty, let meta = try SQLiteStore.seriesMeta(db, query.series) else { return [] }
                    let zone = meta.zone.identifier
                    let calendar = calendars[zone] ?? ZoneCalendar(meta.zone)
                    calendars[zone] = calendar
                    return try SQLiteStore.aggregate(db, query, meta: meta, calendar: calendar)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.read, "cannot aggregate \(queries.count) series", underlying: error)
        }
    }
}

/// The SQL of the store's batched reads.
enum BatchSQL {
    /// Every series: the answer has a row for each, so a scan of `series` is the read.
    static let everySeries = "SELECT id, station, parameter, kind FROM series"
}
