import Monitoring
import Store
import Testing

/// Checks a store's hour rollups (and, with `includingDay`, the day count of the first local day)
/// against the raw samples it returns, for each series in `keys` over `hours` hours from `start`.
func expectRollupsMatchRaw(
    _ store: SQLiteStore, keys: [SeriesKey], from start: Int64, hours: Int, includingDay: Bool = false
) async throws {
    let range = start..<(start + Int64(hours) * 3_600)
    for key in keys {
        let raw = try await store.samples(of: key, in: range)
        let rows = try await store.aggregate(AggregateQuery(series: key, range: range, step: 3_600, function: .sum))
        for row in rows {
            let inHour = raw.filter { $0.time >= row.start && $0.time < row.end }
            let valid = inHour.filter { $0.flag.isValid }
            #expect(row.count == inHour.count, "\(key) hour \(row.start)")
            #expect(row.validCount == valid.count, "\(key) hour \(row.start)")
            #expect(row.value == (valid.isEmpty ? nil : valid.reduce(0) { $0 + $1.value }), "\(key) hour \(row.start)")
        }
        if includingDay {
            let days = try await store.aggregate(AggregateQuery(series: key, range: start..<(start + 86_400), step: 86_400, function: .count))
            #expect(days.first?.validCount == raw.filter { $0.flag.isValid }.count)
        }
    }
}
