import EnvmonCharts
import Testing

@Suite struct ColumnReducerTests {
    let t0: Int64 = 1_767_196_800  // 2026-01-01T00:00+08:00

    @Test func readingsFallIntoTheirPixelColumnAndCombine() {
        // A day into 24 columns: an hour each.
        let r = ColumnReducer(from: t0, to: t0 + 86_400, columns: 24)
        let samples = [
            ChartSample(time: t0, value: 10, interval: 60),
            ChartSample(time: t0 + 1_800, value: 20, interval: 60),
            ChartSample(time: t0 + 3_540, value: 60, interval: 60),
            ChartSample(time: t0 + 3_600, value: 5, interval: 60),
        ]
        let columns = r.reduce(samples)
        #expect(columns.count == 24)
        #expect(columns[0] == ChartColumn(min: 10, max: 60, mean: 30, count: 3))
        #expect(columns[1] == ChartColumn(min: 5, max: 5, mean: 5, count: 1))
        #expect(columns[2...].allSatisfy { $0 == nil }, "hours without readings are gaps")
    }

    @Test func theRangeIsHalfOpen() {
        let r = ColumnReducer(from: t0, to: t0 + 100, columns: 10)
        let columns = r.reduce([
            ChartSample(time: t0 - 1, value: 1, interval: 1),  // before: left out
            ChartSample(time: t0, value: 2, interval: 1),  // first instant: first column
            ChartSample(time: t0 + 99, value: 3, interval: 1),  // last instant: last column
            ChartSample(time: t0 + 100, value: 4, interval: 1),  // the end: left out
        ])
        #expect(columns[0] == ChartColumn(min: 2, max: 2, mean: 2, count: 1))
        #expect(columns[9] == ChartColumn(min: 3, max: 3, mean: 3, count: 1))
        #expect(columns[1..<9].allSatisfy { $0 == nil })
    }

    @Test func aSampleLongerThanAColumnFillsEveryColumnItOverlaps() {
        // Hour rollups on a 3-hour chart of 180 columns: each hour fills 60 columns, no gap between.
        let r = ColumnReducer(from: t0, to: t0 + 3 * 3_600, columns: 180)
        let hours = (0..<3).map { (h: Int) -> ChartSample in
            let start: Int64 = t0 + Int64(h) * 3_600
            let v = Double(h)
            return ChartSample(start: start, end: start + 3_600, min: v, max: v + 2, mean: v + 1, count: 60)
        }
        let columns = r.reduce(hours)
        #expect(columns.allSatisfy { $0 != nil })
        let means: [Double?] = [columns[59]?.mean, columns[60]?.mean, columns[179]?.mean]
        #expect(means == [1, 2, 3])
    }

    @Test func anHourStartingBeforeTheRangeIsClippedToIt() {
        let r = ColumnReducer(from: t0 + 1_800, to: t0 + 3_600, columns: 30)
        let columns = r.reduce([ChartSample(start: t0, end: t0 + 3_600, min: 1, max: 1, mean: 1, count: 60)])
        #expect(columns.allSatisfy { $0?.mean == 1 })
    }

    @Test func theMeanIsWeightedByEachSamplesCount() {
        let r = ColumnReducer(from: t0, to: t0 + 7_200, columns: 1)
        let columns = r.reduce([
            ChartSample(start: t0, end: t0 + 3_600, min: 0, max: 20, mean: 10, count: 3),
            ChartSample(start: t0 + 3_600, end: t0 + 7_200, min: 30, max: 50, mean: 40, count: 1),
        ])
        #expect(columns == [ChartColumn(min: 0, max: 50, mean: 17.5, count: 4)])
    }

    @Test func aYearOfMinuteDataMakesOneColumnPerPixel() {
        let year: Int64 = 365 * 86_400
        let r = ColumnReducer(from: t0, to: t0 + year, columns: 906)
        let samples = stride(from: t0, to: t0 + year, by: 60).lazy.map { ChartSample(time: $0, value: Double($0 % 7), interval: 60) }
        let columns = r.reduce(samples)
        #expect(columns.count == 906)
        #expect(columns.allSatisfy { $0 != nil })
        #expect(columns.reduce(0) { $0 + ($1?.count ?? 0) } >= 525_600, "every minute counted, the few on a column edge twice")
    }

    @Test func notANumberIsNotData() {
        let r = ColumnReducer(from: t0, to: t0 + 10, columns: 10)
        #expect(r.reduce([ChartSample(time: t0, value: .nan, interval: 1)]).allSatisfy { $0 == nil })
    }
}
