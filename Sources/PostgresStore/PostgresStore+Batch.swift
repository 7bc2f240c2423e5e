public import Monitoring
import PostgresNIO
public import Store

extension PostgresStore {
    /// The newest sample of every series the store holds: one statement per kind, each a seek at
    /// the end of every series' key range in that kind's partitions (``PostgresReadSQL/latestOfKind``).
    public func latestOfEverySeries() async throws(StoreError) -> [SeriesKey: StoredSample] {
        var out: [SeriesKey: StoredSample] = [:]
        do {
            for kind in SeriesKind.allCases {
                var binds = PostgresBindings(capacity: 2)
                binds.append(kind.code)
                binds.append(kind.rawValue)
                let rows = try await client.query(PostgresQuery(unsafeSQL: PostgresReadSQL.latestOfKind, binds: binds), logger: logger)
                for try await row in rows {
                    var c = PostgresCells(row)
                    let (station, parameter, t, value, flag) = (try c.string(), try c.string(), try c.int64(), try c.double(), try c.string())
                    out[SeriesKey(station: station, parameter: parameter, kind: kind)] = StoredSample(
                        time: t, value: value, flag: DataFlag(rawValue: flag) ?? .normal)
                }
            }
        } catch {
            throw Self.error(.read, "cannot read the latest values", error)
        }
        return out
    }

    /// Several ``aggregate(_:)`` queries, each answer in the order of `queries`; a query the
    /// single call would refuse throws before anything is read. The queries run side by side on
    /// the pool's connections, each on its own snapshot (a committed batch is whole in each).
    public func aggregate(_ queries: [AggregateQuery]) async throws(StoreError) -> [[AggregateRow]] {
        for query in queries {
            guard query.step > 0 else { throw StoreError(.badQuery, "the step must be positive") }
            guard query.function != .flowWeighted || query.flow != nil else {
                throw StoreError(.badQuery, "a flow-weighted mean needs a flow series")
            }
        }
        guard !queries.isEmpty else { return [] }
        do {
            return try await withThrowingTaskGroup(of: (Int, [AggregateRow]).self) { group in
                for (i, query) in queries.enumerated() {
                    group.addTask { (i, try await self.aggregate(query)) }
                }
                var answers = [[AggregateRow]](repeating: [], count: queries.count)
                for try await (i, rows) in group { answers[i] = rows }
                return answers
            }
        } catch {
            throw Self.error(.read, "cannot aggregate \(queries.count) series", error)
        }
    }
}

extension PostgresReadSQL {
    /// The newest sample of every series of one kind ($1 its code, $2 its name): a seek at the
    /// end of each one's key range, newest month first.
    package static let latestOfKind = """
        SELECT s.station, s.parameter, l.ts, l.value, l.flag
        FROM series s CROSS JOIN LATERAL (
            SELECT ts, value, flag FROM sample WHERE kind = $1 AND series = s.id ORDER BY ts DESC LIMIT 1
        ) l
        WHERE s.kind = $2
        """
}
